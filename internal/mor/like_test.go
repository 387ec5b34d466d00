package mor

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The SQL LIKE translation of search_did_number is written twice, in the
// client and in the simulator (an oracle must not share the code it
// checks); both are checked against one table, testdata/like_patterns.tsv.
func TestLikePatternTable(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/like_patterns.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
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
		c := struct{ pattern, value string }{fields[0], fields[1]}
		want, err := strconv.ParseBool(fields[2])
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if got := likePattern(c.pattern).MatchString(c.value); got != want {
			t.Errorf("%q LIKE %q: %v, want %v", c.value, c.pattern, got, want)
		}
		n++
	}
	if n < 20 {
		t.Fatalf("%d cases read from the table", n)
	}
}
