package morsim

import (
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/liketable"
)

// The SQL LIKE translation of search_did_number is written twice, in the
// client and in the simulator (an oracle must not share the code it
// checks); both are checked against one table, ../mor/testdata/like_patterns.tsv.
func TestLikePatternTable(t *testing.T) {
	t.Parallel()
	cases, err := liketable.Read("../mor/testdata/like_patterns.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("%d cases read from the table", len(cases))
	}
	for _, c := range cases {
		if got := likeMatcher(c.Pattern)(c.Value); got != c.Match {
			t.Errorf("%q LIKE %q: %v, want %v", c.Value, c.Pattern, got, c.Match)
		}
	}
}
