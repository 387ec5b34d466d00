package morsim

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The simulator's SQL LIKE translation of search_did_number, against a
// table of cases (testdata/like_patterns.tsv).
func TestLikePatternTable(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/like_patterns.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// Tab-separated pattern, value and match, strings optionally
		// Go-quoted, blank lines and # comments skipped.
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 {
			t.Fatalf("%q: want pattern, value and match separated by tabs", line)
		}
		for i, s := range fields[:2] {
			if strings.HasPrefix(s, "\"") {
				if fields[i], err = strconv.Unquote(s); err != nil {
					t.Fatalf("%q: %v", line, err)
				}
			}
		}
		want, err := strconv.ParseBool(fields[2])
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		cases++
		if got := likeMatcher(fields[0])(fields[1]); got != want {
			t.Errorf("%q LIKE %q: %v, want %v", fields[1], fields[0], got, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cases < 20 {
		t.Fatalf("%d cases read from the table", cases)
	}
}
