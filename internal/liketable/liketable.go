// Package liketable reads the table of SQL LIKE cases (internal/mor/testdata/
// like_patterns.tsv) that the client's and the simulator's translations of
// search_did_number are both tested against: an oracle must not share the
// code it checks, but the two can share what they are checked with.
package liketable

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Case is one row: whether value matches pattern.
type Case struct {
	Pattern, Value string
	Match          bool
}

// Read reads the table at path: tab-separated pattern, value and match,
// strings optionally Go-quoted, blank lines and # comments skipped.
func Read(path string) ([]Case, error) {
	f, err := os.Open(path) //nolint:gosec // a test table the caller names
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cases []Case
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 {
			return nil, fmt.Errorf("%q: want pattern, value and match separated by tabs", line)
		}
		for i, s := range fields[:2] {
			if strings.HasPrefix(s, "\"") {
				if fields[i], err = strconv.Unquote(s); err != nil {
					return nil, fmt.Errorf("%q: %w", line, err)
				}
			}
		}
		match, err := strconv.ParseBool(fields[2])
		if err != nil {
			return nil, fmt.Errorf("%q: %w", line, err)
		}
		cases = append(cases, Case{Pattern: fields[0], Value: fields[1], Match: match})
	}
	return cases, sc.Err()
}
