package provider

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// cliDiagnostic is one diagnostic of `terraform plan -json`: its summary,
// detail, the configuration line it points at and the text it highlights.
type cliDiagnostic struct {
	Severity, Summary, Detail, Line, Highlighted string
}

// planDiagnostics runs `terraform plan -json` and returns its error
// diagnostics; the plan must fail.
func planDiagnostics(t *testing.T, tf *cliRunner) []cliDiagnostic {
	t.Helper()
	out, err := tf.run("plan", "-input=false", "-json")
	if err == nil {
		t.Fatalf("the plan succeeded:\n%s", out)
	}
	var diags []cliDiagnostic
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Type       string
			Diagnostic struct {
				Severity, Summary, Detail string
				Snippet                   *struct {
					Code                 string
					HighlightStartOffset int `json:"highlight_start_offset"`
					HighlightEndOffset   int `json:"highlight_end_offset"`
				}
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("%v in %s", err, sc.Text())
		}
		if line.Type != "diagnostic" || line.Diagnostic.Severity != "error" {
			continue // dev_overrides always warn
		}
		d := cliDiagnostic{Severity: line.Diagnostic.Severity, Summary: line.Diagnostic.Summary, Detail: line.Diagnostic.Detail}
		if s := line.Diagnostic.Snippet; s != nil {
			d.Line, d.Highlighted = s.Code, s.Code[s.HighlightStartOffset:s.HighlightEndOffset]
		}
		diags = append(diags, d)
	}
	return diags
}

// Each message a user meets on a configuration mistake says what is wrong
// and what to do, on the attribute at fault, before anything is sent to MOR.
func TestMessagesNameTheAttributeAtFault(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	env := append(simEnv(sim.URL, sim.Data), "MOR_PASSWORD=old-mor-password")
	for _, tc := range []struct {
		name, config string
		env          []string
		ephemeral    bool
		// what the one error diagnostic says: its summary, phrases of its
		// detail, the attribute its line sets and the value highlighted.
		summary, attribute, highlighted string
		detail                          []string
		sendsRequest                    bool
	}{
		{
			name: "empty url hides MOR_URL", config: `provider "mor" { url = "" }` + "\ndata \"mor_dids\" \"all\" {}", env: env,
			summary: "Empty MOR Provider Setting", attribute: "url", highlighted: `""`,
			detail: []string{`url is set to "" in the provider block`, "overrides the MOR_URL environment variable, which is set", "Remove the url line to use MOR_URL"},
		},
		{
			name: "empty username hides MOR_USERNAME", config: `provider "mor" { username = "" }` + "\ndata \"mor_dids\" \"all\" {}", env: env,
			summary: "Empty MOR Provider Setting", attribute: "username", highlighted: `""`,
			detail: []string{"overrides the MOR_USERNAME environment variable, which is set", "Remove the username line to use MOR_USERNAME"},
		},
		{
			name: "empty api_secret_key hides MOR_API_SECRET_KEY", config: `provider "mor" { api_secret_key = "" }` + "\ndata \"mor_dids\" \"all\" {}", env: env,
			summary: "Empty MOR Provider Setting", attribute: "api_secret_key", highlighted: `""`,
			detail: []string{"overrides the MOR_API_SECRET_KEY environment variable, which is set"},
		},
		{
			name: "empty password hides MOR_PASSWORD", config: `provider "mor" { password = "" }` + "\ndata \"mor_dids\" \"all\" {}", env: env,
			summary: "Empty MOR Provider Setting", attribute: "password", highlighted: `""`,
			detail: []string{"overrides the MOR_PASSWORD environment variable, which is set"},
		},
		{
			name: "empty uniquehash hides MOR_UNIQUEHASH", config: `provider "mor" { uniquehash = "" }` + "\ndata \"mor_users\" \"all\" {}",
			env:     append(simEnv(sim.URL, sim.Data), "MOR_UNIQUEHASH="+morsim.UniqueHashOf("admin")),
			summary: "Empty MOR Provider Setting", attribute: "uniquehash", highlighted: `""`,
			detail: []string{"overrides the MOR_UNIQUEHASH environment variable, which is set", "Remove the uniquehash line to use MOR_UNIQUEHASH"},
		},
		{
			name: "empty username without MOR_USERNAME", config: `provider "mor" { username = "" }` + "\ndata \"mor_dids\" \"all\" {}",
			env:     []string{"MOR_URL=" + sim.URL, "MOR_API_SECRET_KEY=" + sim.Data.APIKey},
			summary: "Empty MOR Provider Setting", attribute: "username", highlighted: `""`,
			detail: []string{`username is set to "" in the provider block, and MOR needs a value`, "set the MOR_USERNAME environment variable"},
		},
		{
			name: "request_timeout without unit", config: `provider "mor" { request_timeout = "30" }` + "\ndata \"mor_dids\" \"all\" {}", env: env,
			summary: "Invalid Request Timeout", attribute: "request_timeout", highlighted: `"30"`,
			detail: []string{`request_timeout is "30", and it has no unit.`, `such as "30s"`},
		},
		{
			name: "mor_device empty device_username", config: `provider "mor" {}` + "\ndata \"mor_device\" \"x\" { device_username = \"\" }", env: env,
			summary: "Invalid Attribute Value Length", attribute: "device_username", highlighted: `""`,
			detail: []string{"Attribute device_username string length must be at least 1, got: 0"},
		},
		{
			name: "mor_device negative device_id", config: `provider "mor" {}` + "\ndata \"mor_device\" \"x\" { device_id = -5 }", env: env,
			summary: "Invalid Attribute Value", attribute: "device_id", highlighted: "-5",
			detail: []string{"Attribute device_id value must be at least 1, got: -5"},
		},
		{
			name: "mor_device device_id 0", config: `provider "mor" {}` + "\ndata \"mor_device\" \"x\" { device_id = 0 }", env: env,
			summary: "Invalid Attribute Value", attribute: "device_id", highlighted: "0",
			detail: []string{"Attribute device_id value must be at least 1, got: 0"},
		},
		{
			name: "mor_device_clis negative device_id", config: `provider "mor" {}` + "\ndata \"mor_device_clis\" \"x\" { device_id = -5 }", env: env,
			summary: "Invalid Attribute Value", attribute: "device_id", highlighted: "-5",
			detail: []string{"Attribute device_id value must be at least 1, got: -5"},
		},
		{
			name: "mor_dids device_id 0", config: `provider "mor" {}` + "\ndata \"mor_dids\" \"x\" { device_id = 0 }", env: env,
			summary: "Invalid Attribute Value", attribute: "device_id", highlighted: "0",
			detail: []string{"Attribute device_id value must be at least 1, got: 0"},
		},
		{
			// MOR would match user 0 as every DID not assigned to a reseller.
			name: "mor_dids user_id 0", config: `provider "mor" {}` + "\ndata \"mor_dids\" \"x\" { user_id = 0 }", env: env,
			summary: "Invalid Attribute Value", attribute: "user_id", highlighted: "0",
			detail: []string{"Attribute user_id value must be at least 1, got: 0"},
		},
		{
			name: "mor_devices negative user_id", config: `provider "mor" {}` + "\ndata \"mor_devices\" \"x\" { user_id = -1 }", env: env,
			summary: "Invalid Attribute Value", attribute: "user_id", highlighted: "-1",
			detail: []string{"Attribute user_id value must be at least 0, got: -1"},
		},
		{
			name: "ephemeral empty device_username", config: `provider "mor" {}` + "\nephemeral \"mor_device_credentials\" \"x\" { device_username = \"\" }", env: env, ephemeral: true,
			summary: "Invalid Attribute Value Length", attribute: "device_username", highlighted: `""`,
			detail: []string{"Attribute device_username string length must be at least 1, got: 0"},
		},
		{
			name: "ephemeral negative device_id", config: `provider "mor" {}` + "\nephemeral \"mor_device_credentials\" \"x\" { device_id = -5 }", env: env, ephemeral: true,
			summary: "Invalid Attribute Value", attribute: "device_id", highlighted: "-5",
			detail: []string{"Attribute device_id value must be at least 1, got: -5"},
		},
		{
			name: "mor_dids empty did_number", config: `provider "mor" {}` + "\ndata \"mor_dids\" \"x\" { did_number = \"\" }", env: env,
			summary: "Invalid Attribute Value Match", attribute: "did_number", highlighted: `""`,
			detail: []string{"must hold a non-space character: an empty filter matches everything"},
		},
		{
			name: "mor_dids blank owner", config: `provider "mor" {}` + "\ndata \"mor_dids\" \"x\" { owner = \" \" }", env: env,
			summary: "Invalid Attribute Value Match", attribute: "owner", highlighted: `" "`,
			detail: []string{"must hold a non-space character"},
		},
		{
			name: "device not found names the API user", config: `provider "mor" {}` + "\ndata \"mor_device\" \"x\" { device_id = 424242 }", env: env,
			summary: "MOR Device Not Found", attribute: "device_id", highlighted: "424242", sendsRequest: true,
			detail: []string{"No device with device_id 424242 is in the API user's scope", `the API user "admin" (the provider's username, or MOR_USERNAME) is the admin`},
		},
		{
			name: "device not found by a DID's device name", config: `provider "mor" {}` + "\ndata \"mor_device\" \"x\" { device_username = \"ipauth4aa73a4300\" }", env: env,
			summary: "MOR Device Not Found", attribute: "device_username", highlighted: `"ipauth4aa73a4300"`, sendsRequest: true,
			detail: []string{`No device with device_username "ipauth4aa73a4300"`, "it is MOR's device name, which is not the username of a device that authenticates by IP address"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.ephemeral {
				requireCLI(t, featureEphemeral)
			}
			// Each run gets a simulator of its own, to count what it sends.
			own := morsim.New(sim.Data, morsim.Options{})
			tf := newCLIRunner(t, morProviderRequirement+tc.config, withSimURL(tc.env, sim.URL, serveSim(t, own))...)
			diags := planDiagnostics(t, tf)
			if len(diags) != 1 {
				t.Fatalf("want one error, got %+v", diags)
			}
			d := diags[0]
			if d.Summary != tc.summary {
				t.Errorf("summary %q, want %q", d.Summary, tc.summary)
			}
			for _, phrase := range tc.detail {
				if !strings.Contains(d.Detail, phrase) {
					t.Errorf("detail %q lacks %q", d.Detail, phrase)
				}
			}
			if strings.Contains(d.Detail, `\n`) || strings.Contains(d.Detail, "Given Value") {
				t.Errorf("detail %q holds a literal \\n or the framework's Given Value", d.Detail)
			}
			if attr, _, _ := strings.Cut(strings.TrimSpace(d.Line), " "); !strings.Contains(d.Line, tc.attribute+" ") || d.Highlighted != tc.highlighted {
				t.Errorf("points at %q (%q highlighted, first word %q), want the %s attribute's %s", d.Line, d.Highlighted, attr, tc.attribute, tc.highlighted)
			}
			if sent := own.Stats().Requests; (sent > 0) != tc.sendsRequest {
				t.Errorf("%d requests sent to MOR", sent)
			}
		})
	}
}

// withSimURL is env with MOR_URL's value from pointed at to instead.
func withSimURL(env []string, from, to string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if kv == "MOR_URL="+from {
			kv = "MOR_URL=" + to
		}
		out = append(out, kv)
	}
	return out
}
