package provider

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// examplesRunElsewhere are the example files other tests run as written,
// by the test that does; a folder stands for every file in it.
var examplesRunElsewhere = map[string]string{
	"demo/main.tf":  "TestDemo and TestDemoStoresNoDeviceSecret",
	"modules/audit": "TestAuditModuleAgainstSimulator, TestAuditModuleMockTests and TestAuditModuleStoresNoDeviceSecret",
}

// exampleConfigs are the example folders this test applies, each with
// examples/provider/provider.tf beside it (the provider example: settings
// from the MOR_* variables the test sets), and the CLI feature they need.
var exampleConfigs = map[string]*cliFeature{
	"provider":                                   nil,
	"data-sources/mor_device":                    nil,
	"data-sources/mor_device_clis":               nil,
	"data-sources/mor_devices":                   &featureFunctions,
	"data-sources/mor_dids":                      nil,
	"data-sources/mor_users":                     nil,
	"functions/acl_allows_any":                   &featureFunctions,
	"functions/parse_acl":                        &featureFunctions,
	"functions/parse_device_ref":                 &featureFunctions,
	"functions/parse_dial_plan":                  &featureFunctions,
	"ephemeral-resources/mor_device_credentials": &featureEphemeral,
}

// Every example under examples/ runs as written against the simulator's
// demo dataset (the one `make demo` and cmd/morsim serve), so its ids and
// names exist; the outputs that make a claim are checked against the
// dataset. A file no test runs fails the test.
func TestExamplesRunAsWritten(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(morsim.DemoSeed, morsim.DemoSizes)
	sim := morsim.New(data, morsim.Options{})
	url := serveSim(t, sim)
	provider := readFile(t, filepath.Join(examplesDir, "provider", "provider.tf"))

	var all []string
	err := filepath.WalkDir(examplesDir, func(name string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(examplesDir, name)
		all = append(all, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]string{}
	for _, file := range all {
		if strings.HasSuffix(file, ".md") {
			covered[file] = "no test: documentation, not configuration"
			continue
		}
		for prefix, by := range examplesRunElsewhere {
			if file == prefix || strings.HasPrefix(file, prefix+"/") {
				covered[file] = by
			}
		}
		if dir := filepath.ToSlash(filepath.Dir(file)); exampleConfigs[dir] != nil || hasKey(exampleConfigs, dir) {
			covered[file] = "TestExamplesRunAsWritten/" + dir
		} else if parent := filepath.ToSlash(filepath.Dir(dir)); hasKey(exampleConfigs, parent) {
			covered[file] = "TestExamplesRunAsWritten/" + parent + " (a module it calls)"
		}
	}
	for _, file := range all {
		if covered[file] == "" {
			t.Errorf("examples/%s is run by no test: add it to exampleConfigs or examplesRunElsewhere", file)
		} else {
			t.Logf("examples/%s: run by %s", file, covered[file])
		}
	}

	for dir, feature := range exampleConfigs {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			if feature != nil {
				requireCLI(t, *feature)
			}
			tf := newCLIRunner(t, "", simEnv(url, data)...)
			if err := os.CopyFS(tf.dir, os.DirFS(filepath.Join(examplesDir, dir))); err != nil {
				t.Fatal(err)
			}
			if dir != "provider" {
				if err := os.WriteFile(filepath.Join(tf.dir, "provider.tf"), provider, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tf.mustRun("get", "-no-color")
			applied := tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
			if strings.Contains(applied, "Warning: Check block assertion failed") {
				t.Errorf("a check block failed:\n%s", applied)
			}
			var raw map[string]struct{ Value any }
			if err := json.Unmarshal([]byte(tf.mustRun("output", "-json")), &raw); err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for name, o := range raw {
				got[name] = o.Value
			}
			checkExampleOutputs(t, dir, got, data)
		})
	}
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// checkExampleOutputs checks what the examples' outputs claim against the
// dataset.
func checkExampleOutputs(t *testing.T, dir string, got map[string]any, data *morsim.Dataset) {
	t.Helper()
	want := map[string]any{}
	switch dir {
	case "data-sources/mor_devices":
		var open, unregistered []any
		for _, d := range data.Devices {
			if d.UserID != 6 {
				continue
			}
			if d.Fields["permit"] == "0.0.0.0/0.0.0.0" {
				open = append(open, d.Fields["username"])
			}
			if d.Fields["ipaddr"] == "0.0.0.0" {
				unregistered = append(unregistered, d.Fields["username"])
			}
		}
		if len(open) == 0 {
			t.Fatal("user 6 has no device open to any address: the example's claim goes unchecked")
		}
		want["devices_open_to_any_address"], want["devices_not_registered"] = open, unregistered
	case "data-sources/mor_device":
		want["pbx_qualify"] = "500"
	case "data-sources/mor_users":
		var own, blocked []any
		resellers := map[string]any{}
		for _, u := range data.Users {
			if u.ID == 0 {
				continue // users_get leaves out the API user itself
			}
			if u.Role == morsim.RoleUser && u.OwnerID == 0 {
				own = append(own, float64(u.ID))
			}
			if u.Blocked {
				blocked = append(blocked, u.Username)
			}
			if u.Role == morsim.RoleUser && u.OwnerID != 0 {
				resellers[u.Username] = float64(u.OwnerID)
			}
		}
		if len(own) == 0 || len(blocked) == 0 || len(resellers) == 0 {
			t.Fatal("the demo dataset lacks own customers, blocked users or resellers' customers: the example's claims go unchecked")
		}
		want["own_customer_ids"], want["blocked_users"], want["resellers_customers"] = own, blocked, resellers
	}
	for name, w := range want {
		g, _ := got[name].([]any)
		if list, ok := w.([]any); ok {
			sort.Slice(g, func(i, j int) bool { return fmt.Sprint(g[i]) < fmt.Sprint(g[j]) })
			sort.Slice(list, func(i, j int) bool { return fmt.Sprint(list[i]) < fmt.Sprint(list[j]) })
			if !reflect.DeepEqual(g, list) {
				t.Errorf("output %s = %v, want %v", name, got[name], w)
			}
			continue
		}
		if !reflect.DeepEqual(got[name], w) {
			t.Errorf("output %s = %v, want %v", name, got[name], w)
		}
	}
}

// The demo's closing lines tell how to run the provider against a real MOR
// with what works before it is on a registry: the dev_overrides CLI
// configuration the demo wrote, not `terraform init`.
func TestDemoScriptNextSteps(t *testing.T) {
	t.Parallel()
	script := string(readFile(t, "../../scripts/demo.sh"))
	_, next, ok := strings.Cut(script, `echo "Next:`)
	if !ok {
		t.Fatal("scripts/demo.sh prints no Next: lines")
	}
	// The commands are the lines printed indented.
	for _, line := range strings.Split(next, "\n") {
		if strings.HasPrefix(line, `echo "  `) && strings.Contains(line, " init") {
			t.Errorf("the demo's Next: lines tell to run init, which fails for a provider not on the registry: %s", line)
		}
	}
	for _, want := range []string{"dev_overrides", "TF_CLI_CONFIG_FILE=$run/terraformrc", "MOR_URL=", "MOR_API_SECRET_KEY=", "MOR_PASSWORD=", "/examples/demo plan"} {
		if !strings.Contains(next, want) {
			t.Errorf("the demo's Next: lines lack %q:\n%s", want, next)
		}
	}
}
