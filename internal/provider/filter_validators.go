package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// textFilter refuses an empty or blank text filter: MOR reads one as no
// filter, so a variable that came out empty would turn a lookup into the
// whole list.
var textFilter = []validator.String{
	stringvalidator.RegexMatches(regexp.MustCompile(`\S`),
		"must hold a non-space character: an empty filter matches everything, so leave the attribute out (or null) to read without it"),
}

// atLeastOne and atLeastZero refuse an id MOR cannot have, at plan time:
// rows start at 1, users at 0 (the admin).
var (
	atLeastOne  = []validator.Int64{int64validator.AtLeast(1)}
	atLeastZero = []validator.Int64{int64validator.AtLeast(0)}
)

// oneOfInASCIICase refuses a value that is none of values in any ASCII
// letter case, as the provider compares MOR's answers: the library's
// case-insensitive check folds other letters too ("ſ" to "s"), which would
// pass a value that then matches nothing.
func oneOfInASCIICase(values ...string) []validator.String {
	return []validator.String{
		stringvalidator.OneOfCaseInsensitive(values...),
		stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z]*$`), "must be written in ASCII letters"),
	}
}
