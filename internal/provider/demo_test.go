package provider

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// TestDemo runs examples/demo, the configuration `make demo` applies, against
// the demo dataset and checks every output against the dataset itself. It
// runs Terraform directly rather than through terraform-plugin-testing, whose
// state shim does not support for_each (hashicorp/terraform-plugin-sdk#536).
func TestDemo(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(morsim.DemoSeed, morsim.DemoSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	// The admin's first customer, which the demo finds with mor_users, and
	// the demo's variable default.
	const customerUserID, cliDeviceID = 6, 152
	customers := map[string]string{}
	for _, u := range data.Users {
		if u.Role == morsim.RoleUser && u.OwnerID == 0 {
			customers[u.Username] = fmt.Sprint(u.ID)
			if u.Blocked {
				customers[u.Username] += " (blocked)"
			}
		}
	}
	if first := data.Users[customerUserID]; first.ID != customerUserID || first.Role != morsim.RoleUser || first.OwnerID != 0 {
		t.Fatalf("user %d is not the admin's first customer in the demo data", customerUserID)
	}
	devices := map[int64]morsim.Device{}
	for _, d := range data.Devices {
		devices[d.ID] = d
	}

	routing := map[string]string{}
	audited := map[string]morsim.Device{}
	for _, did := range data.DIDs {
		if did.Status != "active" || did.DeviceID == 0 || did.ResellerID != 0 {
			continue
		}
		d := devices[did.DeviceID]
		routing[did.Number] = fmt.Sprintf("%s/%s  %s  %s:%s",
			d.Fields["device_type"], d.Fields["name"], d.Fields["device_type"], d.Fields["ipaddr"], d.Fields["port"])
		audited[d.Fields["username"]] = d
	}
	if len(routing) < 10 {
		t.Fatalf("only %d routed DIDs in the demo data", len(routing))
	}

	var free []string
	for _, did := range data.DIDs {
		if did.Status == "free" {
			free = append(free, did.Number)
		}
	}
	sort.Strings(free)

	customer := map[string]map[string]string{}
	for _, d := range data.Devices {
		if d.UserID == customerUserID {
			customer[d.Fields["username"]] = map[string]string{
				"type": d.Fields["device_type"], "host": d.Fields["host"], "codecs": strings.Join(d.AudioCodecs, ","),
			}
			audited[d.Fields["username"]] = d
		}
	}

	var clis []morsim.CLI
	for _, c := range data.CLIs {
		if c.DeviceID == cliDeviceID {
			clis = append(clis, c)
		}
	}
	sort.Slice(clis, func(i, j int) bool { return clis[i].ID < clis[j].ID })
	cliList := []string{}
	for _, c := range clis {
		s := c.CLI
		if c.Banned {
			s += " (banned)"
		}
		cliList = append(cliList, s)
	}
	if len(cliList) == 0 {
		t.Fatal("the demo's device has no CLIs")
	}

	var open, unlimited []string
	for name, d := range audited {
		if d.Fields["permit"] == "0.0.0.0/0.0.0.0" {
			open = append(open, name)
		}
		if d.Fields["call_limit"] == "0" {
			unlimited = append(unlimited, name)
		}
	}
	if len(open) == 0 || len(unlimited) == 0 {
		t.Fatal("the demo's audit would flag nothing; the checks would show nothing")
	}

	outputs := runDemo(t, srv.URL+"/billing", data.APIKey)
	for name, want := range map[string]any{
		"did_routing":      routing,
		"free_dids":        free,
		"customer_devices": customer,
		"device_clis":      cliList,
		"customers":        customers,
		"audit":            map[string]any{"open_to_any_address": sorted(open), "without_call_limit": sorted(unlimited)},
	} {
		// Compare as JSON values, as Terraform prints them.
		wantJSON, _ := json.Marshal(want)
		var wantValue any
		_ = json.Unmarshal(wantJSON, &wantValue)
		if got := outputs[name]; !reflect.DeepEqual(got, wantValue) {
			t.Errorf("output %s:\n got  %v\n want %v", name, got, wantValue)
		}
	}
}

// runDemo does what scripts/demo.sh does: plan and apply examples/demo with
// the built provider, and return the outputs.
func runDemo(t *testing.T, url, key string) map[string]any {
	t.Helper()
	config, err := os.ReadFile("../../examples/demo/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	tf := newCLIRunner(t, string(config), "MOR_URL="+url, "MOR_USERNAME=admin", "MOR_API_SECRET_KEY="+key, "MOR_PASSWORD="+morsim.PasswordOf("admin"))
	tf.mustRun("plan", "-input=false", "-no-color", "-out=demo.tfplan")
	applied := tf.mustRun("apply", "-input=false", "-no-color", "demo.tfplan")
	// The audit reports through check blocks, as warnings.
	for _, want := range []string{"Warning: Check block assertion failed", "accept calls from any address", "have no call limit"} {
		if !strings.Contains(applied, want) {
			t.Errorf("apply output lacks %q", want)
		}
	}
	var raw map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(tf.mustRun("output", "-json")), &raw); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]any{}
	for name, o := range raw {
		outputs[name] = o.Value
	}
	return outputs
}
