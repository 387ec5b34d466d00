package provider

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The ephemeral resource's values reach a consumer (the testing framework's
// echo provider, which copies its configuration into a test resource).
func TestDeviceCredentialsEphemeralResource(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureEphemeral)
	sim := newTestSim(t)
	dev := sim.adminDeviceWithPIN(t)
	port, _ := strconv.ParseInt(dev.Fields["port"], 10, 64)
	want := map[string]knownvalue.Check{
		"device_id":       knownvalue.Int64Exact(dev.ID),
		"device_username": knownvalue.StringExact(dev.Fields["username"]),
		"user_id":         knownvalue.Int64Exact(dev.UserID),
		"username":        knownvalue.StringExact(dev.Fields["username"]),
		"device_type":     knownvalue.StringExact(dev.Fields["device_type"]),
		"host":            knownvalue.StringExact(dev.Fields["host"]),
		"ipaddr":          knownvalue.StringExact(dev.Fields["ipaddr"]),
		"port":            knownvalue.Int64Exact(port),
		"transport":       knownvalue.StringExact(dev.Fields["transport"]),
		"secret":          knownvalue.StringExact(dev.Fields["secret"]),
		"pin":             knownvalue.StringExact(dev.Fields["pin"]),
		"md5secret":       knownvalue.Null(),
		"remotesecret":    knownvalue.Null(),
	}
	echoed := knownvalue.ObjectExact(want)
	step := func(lookup string) resource.TestStep {
		return resource.TestStep{
			Config: sim.providerConfig() + `
ephemeral "mor_device_credentials" "pbx" {
  ` + lookup + `
}
provider "echo" {
  data = ephemeral.mor_device_credentials.pbx
}
resource "echo" "sbc" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("echo.sbc", tfjsonpath.New("data"), echoed)},
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"mor":  protoV6ProviderFactories["mor"],
			"echo": echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + `ephemeral "mor_device_credentials" "both" {
  device_id       = 1
  device_username = "x"
}`,
				ExpectError: errorRe("Invalid Attribute Combination"),
			},
			step(fmt.Sprintf("device_id = %d", dev.ID)),
			step(fmt.Sprintf("device_username = %q", dev.Fields["username"])),
		},
	})
}

// sbcModule stands for an SBC or PBX module: it takes SIP credentials as
// ephemeral variables and hands them on as an ephemeral output. Its
// precondition proves the credentials arrived intact, against a digest the
// caller passes, so no secret needs to be written in the configuration.
const sbcModule = `
variable "sip_username" {
  type      = string
  ephemeral = true
}
variable "sip_secrets" {
  type      = list(string)
  ephemeral = true
  sensitive = true
}
variable "credentials_sha256" {
  type = string
}
output "sip_secrets" {
  value     = var.sip_secrets
  ephemeral = true
  precondition {
    condition     = sha256(join("\n", concat([var.sip_username], var.sip_secrets))) == var.credentials_sha256
    error_message = "The SIP credentials did not arrive intact."
  }
}
`

// credentialsDigest is what sbcModule computes from the credentials.
func credentialsDigest(dev morsim.Device) string {
	parts := []string{dev.Fields["username"]}
	for _, col := range []string{"secret", "md5secret", "remotesecret", "pin"} {
		parts = append(parts, dev.Fields[col])
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return hex.EncodeToString(sum[:])
}

// newSBCRunner is a CLI runner for config with sbcModule in ./sbc.
func newSBCRunner(t *testing.T, config string, env ...string) *cliRunner {
	t.Helper()
	tf := newCLIRunner(t, morProviderRequirement+config, env...)
	if err := os.MkdirAll(filepath.Join(tf.dir, "sbc"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tf.dir, "sbc", "main.tf"), []byte(sbcModule), 0o600); err != nil {
		t.Fatal(err)
	}
	tf.mustRun("get", "-no-color") // installs the local module only: no init, no registry
	return tf
}

// A device's credentials handed to a module through the ephemeral resource
// arrive intact and are in none of: the saved plan (its raw members and
// `terraform show -json`), the state, the TRACE log, the CLI's output.
func TestDeviceCredentialsNeverInPlanStateOrLogs(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureEphemeral)
	sim := newTestSim(t)
	dev := sim.adminDeviceWithPIN(t)
	// Long values, so a match cannot be chance: generated PINs have 4 digits.
	secrets := map[string]string{
		"secret": "sip-Secret-9f3c1e77", "md5secret": "5f4dcc3b5aa765d61d8327deb882cf99",
		"remotesecret": "trunk-Remote-41b8d2", "pin": "930000044217",
	}
	for col, v := range secrets {
		dev.Fields[col] = v // the simulator's record shares this map
	}

	config := fmt.Sprintf(`provider "mor" {}
variable "credentials_sha256" {
  type = string
}
ephemeral "mor_device_credentials" "pbx" {
  device_id = %d
}
module "sbc" {
  source             = "./sbc"
  sip_username       = ephemeral.mor_device_credentials.pbx.username
  sip_secrets        = [for s in ["secret", "md5secret", "remotesecret", "pin"] : ephemeral.mor_device_credentials.pbx[s]]
  credentials_sha256 = var.credentials_sha256
}
resource "terraform_data" "sbc_peer" {
  input = { device_id = %d, sbc = "sbc-1" }
}
`, dev.ID, dev.ID)
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	tf := newSBCRunner(t, config, append(simEnv(sim.URL, sim.Data), "TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+logFile)...)

	// The precondition can fail: a wrong digest stops the plan.
	out, err := tf.run("plan", "-input=false", "-no-color", "-var", "credentials_sha256="+strings.Repeat("0", 64))
	if err == nil || !errorRe("The SIP credentials did not arrive intact.").MatchString(out) {
		t.Fatalf("a wrong digest did not fail the plan (%v):\n%s", err, out)
	}
	checked := map[string][]byte{"output of the failed plan": []byte(out)}

	planFile := filepath.Join(tf.dir, "sbc.tfplan")
	checked["plan output"] = []byte(tf.mustRun("plan", "-input=false", "-no-color", "-out="+planFile, "-var", "credentials_sha256="+credentialsDigest(dev)))
	planJSON := tf.mustRun("show", "-json", planFile)
	if !strings.Contains(planJSON, `"terraform_data.sbc_peer"`) {
		t.Fatalf("the saved plan lacks the terraform_data resource: the check below would prove nothing:\n%s", planJSON)
	}
	checked["terraform show -json of the saved plan"] = []byte(planJSON)
	for name, b := range zipMembers(t, planFile) {
		checked["saved plan member "+name] = b
	}
	checked["apply output"] = []byte(tf.mustRun("apply", "-input=false", "-no-color", planFile))
	state, err := os.ReadFile(filepath.Join(tf.dir, "terraform.tfstate"))
	if err != nil || !strings.Contains(string(state), `"sbc-1"`) {
		t.Fatalf("no state with the terraform_data resource (%v)", err)
	}
	checked["state file"] = state
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "mor_api") || !strings.Contains(string(logs), "OpenEphemeralResource") {
		t.Fatalf("the TRACE log (%d bytes) lacks the provider's API log or the ephemeral resource's open: the check below would prove nothing", len(logs))
	}
	checked["TRACE log"] = logs

	for where, b := range checked {
		for col, v := range secrets {
			if strings.Contains(string(b), v) {
				t.Errorf("the device's %s is in the %s", col, where)
			}
		}
	}
	// Two plans and an apply, each opening the ephemeral resource once.
	// OpenTofu (1.12.6) opens it in the two plans only: applying the saved
	// plan, it leaves unopened an ephemeral resource that no resource being
	// changed refers to.
	want := int64(3)
	if cliUnderTest(t).tofu {
		want = 2
	}
	if got := sim.Stats().ByMethod[morsim.MethodDeviceDetails]; got != want {
		t.Errorf("%d device_details_get requests, want %d (one per plan or apply under Terraform; per plan under OpenTofu)", got, want)
	}
}

// The same device read by mor_device and opened by mor_device_credentials
// in one plan costs one request, and both see the same secret.
func TestDeviceCredentialsShareTheDeviceRead(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureEphemeral)
	sim := newTestSim(t)
	dev := sim.adminDeviceWithPIN(t)
	tf := newSBCRunner(t, fmt.Sprintf(`provider "mor" {}
data "mor_device" "pbx" {
  device_id       = %d
  include_secrets = true
}
ephemeral "mor_device_credentials" "pbx" {
  device_id = %d
}
module "sbc" {
  source             = "./sbc"
  sip_username       = ephemeral.mor_device_credentials.pbx.username
  sip_secrets        = [for s in ["secret", "md5secret", "remotesecret", "pin"] : coalesce(ephemeral.mor_device_credentials.pbx[s], "-")]
  credentials_sha256 = sha256(join("\n", concat([data.mor_device.pbx.username], [for s in [data.mor_device.pbx.secret, data.mor_device.pbx.md5secret, data.mor_device.pbx.remotesecret, data.mor_device.pbx.pin] : coalesce(s, "-")])))
}
`, dev.ID, dev.ID), simEnv(sim.URL, sim.Data)...)
	tf.mustRun("plan", "-input=false", "-no-color")
	if got := fmt.Sprint(sim.Stats().ByMethod); got != fmt.Sprint(map[string]int64{morsim.MethodDeviceDetails: 1}) {
		t.Errorf("requests by method %s, want one device_details_get", got)
	}
}

// Each way a device read fails gives the ephemeral resource the diagnostic
// mor_device gives: the same summary, detail and attribute.
func TestDeviceCredentialsErrorsMatchDataSource(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureEphemeral)
	sim := newTestSim(t)
	for _, tc := range []struct {
		name, lookup, provider, summary string
		fault                           *morsim.Fault
	}{
		{name: "not found by id", lookup: "device_id = 424242", summary: "MOR Device Not Found"},
		{name: "not found by username", lookup: `device_username = "no-such-device"`, summary: "MOR Device Not Found"},
		{name: "wrong key", lookup: "device_id = 1", provider: `api_secret_key = "wrong"`, summary: "MOR Rejected the Request"},
		{name: "transport fault", lookup: "device_id = 1", fault: &morsim.Fault{ResetMidBody: true}, summary: "Unable to Reach MOR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Subtests share the simulator and its faults: one at a time.
			sim.ClearFaults()
			if tc.fault != nil {
				sim.SetFault(morsim.MethodDeviceDetails, *tc.fault)
			}
			tf := newCLIRunner(t, morProviderRequirement+providerBlockWithOverrides(sim, []string{"max_retries = 0", tc.provider})+fmt.Sprintf(`
data "mor_device" "x" {
  %s
}
ephemeral "mor_device_credentials" "x" {
  %s
}
`, tc.lookup, tc.lookup))
			out, err := tf.run("plan", "-input=false", "-json")
			if err == nil {
				t.Fatalf("the plan succeeded:\n%s", out)
			}
			diags := errorDiagnostics(t, out)
			dataDiag, ephemeralDiag := diags["data.mor_device.x"], diags["ephemeral.mor_device_credentials.x"]
			// Of two reads refused for the whole run, the one MOR answered
			// second was not asked, and says so: the rest is the same.
			dataDiag.Detail, ephemeralDiag.Detail = withoutRepeatedNote(dataDiag.Detail), withoutRepeatedNote(ephemeralDiag.Detail)
			if dataDiag.Summary != tc.summary {
				t.Fatalf("mor_device: %+v, want %q; all errors: %+v", dataDiag, tc.summary, diags)
			}
			if ephemeralDiag != dataDiag {
				t.Errorf("the ephemeral resource says\n%+v\nmor_device says\n%+v", ephemeralDiag, dataDiag)
			}
		})
	}
}

// planDiagnostic is what a diagnostic says, less where it is: its
// summary, detail and the configuration text it points at.
type planDiagnostic struct {
	Summary, Detail, Highlighted string
}

// errorDiagnostics reads the error diagnostics of `terraform plan -json`
// by the address of the block they are about.
func errorDiagnostics(t *testing.T, jsonLines string) map[string]planDiagnostic {
	t.Helper()
	diags := map[string]planDiagnostic{}
	sc := bufio.NewScanner(strings.NewReader(jsonLines))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Type       string
			Diagnostic struct {
				Severity, Summary, Detail, Address string
				Snippet                            *struct {
					Code                 string
					HighlightStartOffset int `json:"highlight_start_offset"`
					HighlightEndOffset   int `json:"highlight_end_offset"`
				}
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("%v in %s", err, sc.Text())
		}
		d := line.Diagnostic
		if line.Type != "diagnostic" || d.Severity != "error" {
			continue
		}
		pd := planDiagnostic{Summary: d.Summary, Detail: d.Detail}
		if s := d.Snippet; s != nil {
			pd.Highlighted = s.Code[s.HighlightStartOffset:s.HighlightEndOffset]
		}
		diags[d.Address] = pd
	}
	return diags
}

// Opened before the provider was configured (Terraform does not do this),
// the resource says so, as the data sources do, instead of panicking on a
// nil client.
func TestCredentialsOpenedBeforeConfigure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := &deviceCredentialsEphemeralResource{}
	var schemaResp ephemeral.SchemaResponse
	r.Schema(ctx, ephemeral.SchemaRequest{}, &schemaResp)
	typ := schemaResp.Schema.Type().TerraformType(ctx)
	config := objectOf(typ, map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, 101)})
	resp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{Schema: schemaResp.Schema, Raw: tftypes.NewValue(typ, nil)}}
	r.Open(ctx, ephemeral.OpenRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: config}}, &resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "MOR Provider Not Configured" {
		t.Errorf("diagnostics %v, want MOR Provider Not Configured", resp.Diagnostics)
	}
}

// withoutRepeatedNote is a diagnostic's detail less the note a read refused
// for the whole run has when MOR was not asked for it (addAPIError).
func withoutRepeatedNote(detail string) string {
	return strings.Replace(detail, repeatedRefusalNote, "", 1)
}
