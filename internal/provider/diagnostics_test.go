package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
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

// A request not sent because its turn under max_requests_per_second comes
// after the read's deadline is not a network problem: the advice says what
// to change instead of pointing at the URL.
func TestTurnAfterTheDeadlineAdvice(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	err := &mor.TransportError{Method: "dids_get", URL: "https://mor.example.com/billing/api/dids_get", Attempts: 1, Permanent: true, Err: mor.ErrTurnAfterDeadline}
	addClientError(t.Context(), &diags, "MOR DIDs", err)
	detail := diags[0].Detail()
	if !strings.Contains(detail, "Raise max_requests_per_second, or give the read more time: nothing was sent to MOR.") || strings.Contains(detail, "MOR_URL") {
		t.Errorf("detail %q; want the advice to raise max_requests_per_second, not to check the URL", detail)
	}
}

// What to do about MOR's message is chosen by MOR's own words, even when a
// short API key has been redacted out of the message shown.
func TestHintSurvivesARedactedMessage(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	sim.SetFault("", morsim.Fault{Body: []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<page><error>API Requests are disabled</error></page>\n")})
	config := providerBlockWithOverrides(sim, []string{`api_secret_key = "api"`, "max_retries = 0"}) + `data "mor_dids" "x" {}`
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{Config: config, ExpectError: errorRe("MOR answered: [redacted] Requests are disabled. An admin must switch the API on in MOR")}}})
}

// Every hint is keyed by a message the client knows: APIError.Known is
// empty for any other, so a misspelt key would never give its advice.
func TestHintsAreKeyedByKnownMessages(t *testing.T) {
	t.Parallel()
	for message := range hints {
		if !mor.IsKnownMessage("", message) {
			t.Errorf("hints has advice for %q, which the client does not know", message)
		}
	}
	for method, byMessage := range methodHints {
		for message := range byMessage {
			if !mor.IsKnownMessage(method, message) {
				t.Errorf("methodHints has advice for %s's %q, which the client does not know", method, message)
			}
		}
	}
}
