package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// Tests that no device secret is stored where the user did not ask for it:
// mor_device without include_secrets, the audit module and the demo.

// secretColumns are the device columns the tests search files for: the
// four secrets and the credentials the simulator puts in auth and setvar.
var secretColumns = []string{"secret", "md5secret", "remotesecret", "pin", "auth", "setvar"}

// datasetSecrets maps every device secret of the dataset to where it is
// from ("device 101's pin"). The generated values are long and distinct,
// so that finding one in a file cannot be chance.
func datasetSecrets(t *testing.T, data *morsim.Dataset) map[string]string {
	t.Helper()
	secrets := map[string]string{}
	found := map[string]bool{}
	for _, d := range data.Devices {
		for _, col := range secretColumns {
			v := d.Fields[col]
			if v == "" {
				continue
			}
			if len(v) < 8 {
				t.Fatalf("device %d's %s %q is too short to search for", d.ID, col, v)
			}
			secrets[v] = fmt.Sprintf("device %d's %s", d.ID, col)
			found[col] = true
		}
	}
	for _, col := range secretColumns {
		if !found[col] {
			t.Fatalf("no device of the dataset has a %s: the search would not cover it", col)
		}
	}
	return secrets
}

// expectNoSecret fails the test for each secret found in b.
func expectNoSecret(t *testing.T, secrets map[string]string, where string, b []byte) {
	t.Helper()
	var found []string
	for v, what := range secrets {
		if strings.Contains(string(b), v) {
			found = append(found, what)
		}
	}
	sort.Strings(found)
	for _, what := range found {
		t.Errorf("%s is in the %s", what, where)
	}
}

// mor_device without include_secrets keeps every secret of MOR's answer
// (the four secret attributes, and credentials in auth and setvar) out of
// the state, the saved plan and `show -json`; with it, they are in state,
// marked sensitive, and auth and setvar are in secret_attributes only.
func TestDeviceDataSourceSecretsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	dev := sim.adminDeviceWithPIN(t)
	// The simulator's record shares this map: the device has all four.
	dev.Fields["md5secret"] = "5f4dcc3b5aa765d61d8327deb882cf99"
	dev.Fields["remotesecret"] = "trunk-Remote-41b8d2"
	secrets := datasetSecrets(t, sim.Data)
	config := morProviderRequirement + fmt.Sprintf(`provider "mor" {}
variable "include_secrets" {
  type    = bool
  default = null
}
data "mor_device" "pbx" {
  device_id       = %d
  include_secrets = var.include_secrets
}
resource "terraform_data" "peer" {
  input = { permit = data.mor_device.pbx.permit, qualify = data.mor_device.pbx.attributes["qualify"] }
}
`, dev.ID)
	tf := newCLIRunner(t, config, simEnv(sim.URL, sim.Data)...)

	planFile := filepath.Join(tf.dir, "device.tfplan")
	checked := map[string][]byte{"plan output": []byte(tf.mustRun("plan", "-input=false", "-no-color", "-out="+planFile))}
	for name, b := range zipMembers(t, planFile) {
		checked["saved plan member "+name] = b
	}
	checked["show -json of the saved plan"] = []byte(tf.mustRun("show", "-json", planFile))
	checked["apply output"] = []byte(tf.mustRun("apply", "-input=false", "-no-color", planFile))
	state := readFile(t, filepath.Join(tf.dir, "terraform.tfstate"))
	checked["state file"] = state
	shown := tf.mustRun("show", "-json")
	checked["show -json"] = []byte(shown)
	// The device was read: its username and permit are in state.
	if !strings.Contains(string(state), fmt.Sprintf("%q", dev.Fields["username"])) || !strings.Contains(string(state), dev.Fields["permit"]) {
		t.Fatalf("the state lacks the device: the search below would prove nothing:\n%s", state)
	}
	for where, b := range checked {
		expectNoSecret(t, secrets, where, b)
	}
	values := deviceStateValues(t, shown, "data.mor_device.pbx")
	for _, attr := range []string{"secret", "md5secret", "remotesecret", "pin", "secret_attributes"} {
		if values.Values[attr] != nil {
			t.Errorf("without include_secrets, %s is %v, want null", attr, values.Values[attr])
		}
	}
	attributes, _ := values.Values["attributes"].(map[string]any)
	for _, col := range []string{"auth", "setvar", "requirecalltoken"} {
		if _, ok := attributes[col]; ok {
			t.Errorf("attributes holds %s", col)
		}
	}
	if attributes["qualify"] != "500" {
		t.Errorf("attributes[qualify] = %v, want 500", attributes["qualify"])
	}

	// Asked for, the secrets are in state, and sensitive.
	tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-var=include_secrets=true")
	state = readFile(t, filepath.Join(tf.dir, "terraform.tfstate"))
	for _, col := range secretColumns {
		if !strings.Contains(string(state), dev.Fields[col]) {
			t.Errorf("with include_secrets, the device's %s is not in state", col)
		}
	}
	values = deviceStateValues(t, tf.mustRun("show", "-json"), "data.mor_device.pbx")
	for _, attr := range []string{"secret", "md5secret", "remotesecret", "pin"} {
		if values.Values[attr] != dev.Fields[attr] {
			t.Errorf("with include_secrets, %s is not the device's", attr)
		}
		if values.Sensitive[attr] != true {
			t.Errorf("with include_secrets, %s is not sensitive", attr)
		}
	}
	secretAttributes, _ := values.Values["secret_attributes"].(map[string]any)
	for _, col := range []string{"auth", "setvar"} {
		if secretAttributes[col] != dev.Fields[col] {
			t.Errorf("with include_secrets, secret_attributes[%s] is not the device's", col)
		}
	}
	if values.Sensitive["secret_attributes"] == nil || values.Sensitive["secret_attributes"] == false {
		t.Errorf("secret_attributes is not sensitive")
	}
	attributes, _ = values.Values["attributes"].(map[string]any)
	if _, ok := attributes["auth"]; ok {
		t.Errorf("with include_secrets, attributes still holds auth")
	}
}

// stateValues are a data source's values in `terraform show -json`, and
// which are sensitive.
type stateValues struct {
	Values    map[string]any `json:"values"`
	Sensitive map[string]any `json:"sensitive_values"`
}

// deviceStateValues finds a root module resource in `terraform show -json`.
func deviceStateValues(t *testing.T, shown, address string) stateValues {
	t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string
					stateValues
				}
			} `json:"root_module"`
		}
	}
	if err := json.Unmarshal([]byte(shown), &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r.stateValues
		}
	}
	t.Fatalf("no %s in show -json:\n%s", address, shown)
	return stateValues{}
}

// `make demo`'s configuration stores no device secret: its state and saved
// plan hold none of the demo dataset's.
func TestDemoStoresNoDeviceSecret(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(morsim.DemoSeed, morsim.DemoSizes)
	secrets := datasetSecrets(t, data)
	url := serveSim(t, morsim.New(data, morsim.Options{}))
	tf := newCLIRunner(t, "", simEnv(url, data)...)
	// What scripts/demo.sh copies: every .tf file of examples/demo.
	files, err := filepath.Glob(filepath.Join(examplesDir, "demo", "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples/demo/*.tf: %v", err)
	}
	for _, name := range files {
		if err := os.WriteFile(filepath.Join(tf.dir, filepath.Base(name)), readFile(t, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	planFile := filepath.Join(tf.dir, "demo.tfplan")
	tf.mustRun("plan", "-input=false", "-no-color", "-out="+planFile)
	checked := map[string][]byte{}
	for name, b := range zipMembers(t, planFile) {
		checked["saved plan member "+name] = b
	}
	tf.mustRun("apply", "-input=false", "-no-color", planFile)
	state := readFile(t, filepath.Join(tf.dir, "terraform.tfstate"))
	checked["state file"] = state
	checked["show -json"] = []byte(tf.mustRun("show", "-json"))
	if !strings.Contains(string(state), `"mor_device"`) || !strings.Contains(string(state), `"permit"`) {
		t.Fatal("the demo's state holds no mor_device: the search below would prove nothing")
	}
	for where, b := range checked {
		expectNoSecret(t, secrets, where, b)
	}
}

// The audit module, run against the simulator over every admin-owned user,
// stores no device secret in its state.
func TestAuditModuleStoresNoDeviceSecret(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureFunctions)
	data := morsim.Generate(42, testSizes)
	secrets := datasetSecrets(t, data)
	sim := morsim.New(data, morsim.Options{})
	url := serveSim(t, sim)
	var ids []string
	for _, u := range data.Users {
		if u.Role == morsim.RoleUser && u.OwnerID == 0 {
			ids = append(ids, fmt.Sprint(u.ID))
		}
	}
	module := auditModuleSource(t)
	tf := newCLIRunner(t, fmt.Sprintf(`
module "audit" {
  source   = %q
  user_ids = [%s]
  all_dids = true
  all_clis = true
}
`, module, strings.Join(ids, ", ")), simEnv(url, data)...)
	tf.mustRun("get", "-no-color")
	tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	state := readFile(t, filepath.Join(tf.dir, "terraform.tfstate"))
	if got := sim.Stats().ByMethod[morsim.MethodDeviceDetails]; got < 5 || !strings.Contains(string(state), `"permit"`) {
		t.Fatalf("the audit read %d devices in full: the search below would prove little", got)
	}
	expectNoSecret(t, secrets, "state file", state)
	expectNoSecret(t, secrets, "show -json", []byte(tf.mustRun("show", "-json")))
}
