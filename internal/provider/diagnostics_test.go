package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// A diagnostic's detail keeps its line breaks and loses every control and
// format character, whatever the client let through.
func TestAddErrorDropsControlCharacters(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	addError(&diags, "Unable to Reach MOR", "a\x1b]0;x\x07b\u202ec\u009bd\u200be\r\n\nf")
	if got := diags[0].Detail(); got != "a]0;xbcde\n\nf" {
		t.Errorf("detail %q", got)
	}
}
