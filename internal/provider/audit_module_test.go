package provider

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// auditFinding is one element of the module's findings output.
type auditFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Kind     string `json:"kind"`
	ID       *int64 `json:"id"`
	Name     string `json:"name"`
	Message  string `json:"message"`
}

func (f auditFinding) key() string {
	id := "null"
	if f.ID != nil {
		id = strconv.FormatInt(*f.ID, 10)
	}
	return fmt.Sprintf("%s %s %s %s", f.Rule, f.Kind, id, f.Name)
}

// auditRules are the module's rules; every one has a count, 0 included.
var auditRules = []string{
	"device_acl_unreadable", "device_open_to_any_address", "device_open_outside_deny", "device_permit_too_wide", "device_without_call_limit", "did_active_unrouted",
	"did_routed_to_unlisted_device", "cli_shared_by_devices", "cli_banned_still_assigned",
}

// TestAuditModuleMockTests runs the module's own `terraform test` files:
// a mocked provider (no MOR, no network) hitting each rule and each rule's
// negative case. They call the provider's functions, which mock_provider
// takes from the built provider.
func TestAuditModuleMockTests(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureTestMocks)
	requireCLI(t, featureTestOverrideInstances)
	requireCLI(t, featureFunctions)
	tf := newCLIRunner(t, "")
	// A copy, so that the run writes nothing into the repository.
	for _, pattern := range []string{"*.tf", "tests/*.tftest.hcl"} {
		files, err := filepath.Glob(filepath.Join(auditModuleDir, pattern))
		if err != nil || len(files) == 0 {
			t.Fatalf("no %s in %s: %v", pattern, auditModuleDir, err)
		}
		for _, name := range files {
			rel, _ := filepath.Rel(auditModuleDir, name)
			raw, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(tf.dir, rel)
			if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, raw, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := tf.mustRun("test", "-no-color")
	// Every run passes; none is skipped.
	if !strings.Contains(out, "Success!") || strings.Contains(out, "... skip") {
		t.Fatalf("terraform test:\n%s", out)
	}
	if runs := len(regexp.MustCompile(`(?m)^\s*run "[^"]+"\.\.\. pass$`).FindAllString(out, -1)); runs < 12 {
		t.Errorf("only %d runs passed; the module's tests have 12:\n%s", runs, out)
	}
}

// TestAuditModuleAgainstSimulator runs examples/modules/audit with the built
// provider against the simulator and compares its findings with those
// worked out here from the dataset. The dataset is the generated one plus a
// case for each rule the generator never makes (a /8 in a permit, a DID
// routed nowhere, a DID routed to another user's device, a CLI on two
// devices) and a DID routed to its owner's IP-authenticated device, whose
// name is not its username. It runs against a current release and one
// before X4, whose device_list sends no username.
func TestAuditModuleAgainstSimulator(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureFunctions)
	for name, opts := range map[string]morsim.Options{"current": {}, "before X4": {Legacy: true}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			auditAgainstSimulator(t, opts)
		})
	}
}

func auditAgainstSimulator(t *testing.T, opts morsim.Options) {
	data := morsim.Generate(42, testSizes)
	sim := &testSim{Data: data} // for devicesOf; served below, once the cases are added

	// The admin's own users with devices: the admin may read their devices.
	var audited []morsim.User
	for _, u := range data.Users {
		if u.Role == morsim.RoleUser && u.OwnerID == 0 && len(sim.devicesOf(u.ID)) > 0 && len(audited) < 3 {
			audited = append(audited, u)
		}
	}
	if len(audited) < 2 {
		t.Fatalf("only %d admin-owned users with devices in the dataset", len(audited))
	}
	a, b := audited[0], audited[1]
	var widened int64
	for _, d := range data.Devices {
		if d.UserID == a.ID && d.Fields["permit"] != "0.0.0.0/0.0.0.0" {
			d.Fields["permit"] += ";10.0.0.0/255.0.0.0"
			widened = d.ID
			break
		}
	}
	aDevice, bDevice := sim.devicesOf(a.ID)[0], sim.devicesOf(b.ID)[0]
	// A device that denies nothing, so its permit restricts nothing.
	bDevices := sim.devicesOf(b.ID)
	lastOfB := bDevices[len(bDevices)-1]
	lastOfB.Fields["permit"], lastOfB.Fields["deny"] = "10.9.8.0/255.255.255.0", ""
	// Entries the provider cannot read, on devices no other case uses: a
	// host name in a permit, and Asterisk's exception in a deny beside a
	// permit still judged (a /8).
	var unreadable []morsim.Device
	for _, u := range audited {
		for _, d := range sim.devicesOf(u.ID) {
			if len(unreadable) < 2 && d.ID != aDevice.ID && d.ID != lastOfB.ID && d.ID != widened {
				unreadable = append(unreadable, d)
			}
		}
	}
	if len(unreadable) < 2 {
		t.Fatal("no two devices of the audited users are left for the unreadable-entries cases")
	}
	unreadable[0].Fields["permit"], unreadable[0].Fields["deny"] = "10.9.8.0/24;pbx.example.com", "0.0.0.0/0.0.0.0"
	unreadable[1].Fields["permit"], unreadable[1].Fields["deny"] = "10.0.0.0/255.0.0.0", "0.0.0.0/0.0.0.0;!10.9.8.7"
	// IP authentication: MOR names the device ipauth…, and it has no username.
	aDevice.Fields["name"], aDevice.Fields["username"] = fmt.Sprintf("ipauth%x", aDevice.ID), ""
	data.DIDs = append(data.DIDs,
		morsim.DID{ID: 9001, Number: "37069990001", Status: "active", ProviderID: 1, ProviderName: "Provider 1", UserID: a.ID},
		morsim.DID{ID: 9002, Number: "37069990002", Status: "active", ProviderID: 1, ProviderName: "Provider 1", UserID: a.ID, DeviceID: bDevice.ID},
		morsim.DID{ID: 9003, Number: "37069990003", Status: "active", ProviderID: 1, ProviderName: "Provider 1", UserID: a.ID, DeviceID: aDevice.ID},
	)
	data.CLIs = append(data.CLIs,
		morsim.CLI{ID: 9001, DeviceID: aDevice.ID, CLI: "37059990001", AddedAt: "2015-08-31 12:40:23 +0300", UpdatedAt: "2015-08-31 12:40:23 +0300"},
		morsim.CLI{ID: 9002, DeviceID: bDevice.ID, CLI: "37059990001", AddedAt: "2015-08-31 12:40:23 +0300", UpdatedAt: "2015-08-31 12:40:23 +0300", Banned: true},
	)
	srv := httptest.NewServer(morsim.New(data, opts))
	t.Cleanup(srv.Close)
	want := expectedAuditFindings(data, audited)
	for _, rule := range auditRules {
		if countRule(want, rule) == 0 {
			t.Fatalf("the dataset gives no finding for rule %s: the test would not show the module finds it", rule)
		}
	}

	var ids []string
	for _, u := range audited {
		ids = append(ids, strconv.FormatInt(u.ID, 10))
	}
	module := auditModuleSource(t)
	config := fmt.Sprintf(`
module "audit" {
  source   = %q
  user_ids = [%s]
  all_dids = true
  all_clis = true
}

output "findings" { value = module.audit.findings }
output "counts" { value = module.audit.counts }
`, module, strings.Join(ids, ", "))
	tf := newCLIRunner(t, config, "MOR_URL="+srv.URL+"/billing", "MOR_USERNAME=admin", "MOR_API_SECRET_KEY="+data.APIKey)
	tf.mustRun("get", "-no-color")
	applied := tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	var out struct {
		Findings struct{ Value []auditFinding } `json:"findings"`
		Counts   struct{ Value map[string]int } `json:"counts"`
	}
	if err := json.Unmarshal([]byte(tf.mustRun("output", "-json")), &out); err != nil {
		t.Fatal(err)
	}

	got := map[string]auditFinding{}
	for _, f := range out.Findings.Value {
		if f.Message == "" || f.Severity == "" {
			t.Errorf("finding %s has no message or severity", f.key())
		}
		got[f.key()] = f
	}
	if len(got) != len(out.Findings.Value) {
		t.Errorf("%d findings, %d distinct", len(out.Findings.Value), len(got))
	}
	if gotKeys, wantKeys := sortedKeys(got), sortedKeys(want); !reflect.DeepEqual(gotKeys, wantKeys) {
		t.Errorf("findings:\n got  %q\n want %q", gotKeys, wantKeys)
	}
	for _, rule := range auditRules {
		if out.Counts.Value[rule] != countRule(want, rule) {
			t.Errorf("counts[%s] = %d, want %d", rule, out.Counts.Value[rule], countRule(want, rule))
		}
		// Each rule with findings shows as a check block warning.
		if !strings.Contains(applied, fmt.Sprintf("in check %q", rule)) {
			t.Errorf("apply shows no warning from check %s", rule)
		}
	}
}

// expectedAuditFindings works out the findings from the dataset, by the
// rules the module's README states.
func expectedAuditFindings(data *morsim.Dataset, audited []morsim.User) map[string]auditFinding {
	want := map[string]auditFinding{}
	add := func(rule, kind string, id int64, name string) {
		f := auditFinding{Rule: rule, Kind: kind, ID: &id, Name: name}
		want[f.key()] = f
	}
	devices := map[int64]morsim.Device{}
	for _, d := range data.Devices {
		devices[d.ID] = d
	}
	// As a DID names a device: its technology and its Asterisk peer name.
	ref := func(d morsim.Device) string { return d.Field("device_type") + "/" + d.Field("name") }
	for _, u := range audited {
		for _, d := range data.Devices {
			if d.UserID != u.ID {
				continue
			}
			if d.Field("call_limit") == "0" {
				add("device_without_call_limit", "device", d.ID, ref(d))
			}
			// A list the provider cannot read is judged by no other rule; a
			// permit read is, whatever deny says, as it comes after deny.
			_, permitErr := mor.ParseACL(d.Field("permit"))
			_, denyErr := mor.ParseACL(d.Field("deny"))
			if permitErr != nil || denyErr != nil {
				add("device_acl_unreadable", "device", d.ID, ref(d))
			}
			if permitErr != nil {
				continue
			}
			if d.Field("permit") == "0.0.0.0/0.0.0.0" {
				add("device_open_to_any_address", "device", d.ID, ref(d))
			}
			// The dataset's denies are 0.0.0.0/0.0.0.0 or empty, and its permits
			// IPv4: deny and permit name every address only when deny does.
			if denyErr == nil && d.Field("permit") != "" && d.Field("permit") != "0.0.0.0/0.0.0.0" && d.Field("deny") != "0.0.0.0/0.0.0.0" {
				add("device_open_outside_deny", "device", d.ID, ref(d))
			}
			if d.Field("permit") != "0.0.0.0/0.0.0.0" && widerThan16(d.Field("permit")) {
				add("device_permit_too_wide", "device", d.ID, ref(d))
			}
		}
		for _, did := range data.DIDs {
			if dev, ok := devices[did.DeviceID]; did.UserID == u.ID && ok && dev.UserID != u.ID {
				add("did_routed_to_unlisted_device", "did", did.ID, did.Number)
			}
		}
	}
	devicesOfCLI := map[string]map[int64]bool{}
	for _, c := range data.CLIs {
		if devicesOfCLI[c.CLI] == nil {
			devicesOfCLI[c.CLI] = map[int64]bool{}
		}
		devicesOfCLI[c.CLI][c.DeviceID] = true
	}
	for _, c := range data.CLIs {
		if len(devicesOfCLI[c.CLI]) > 1 {
			add("cli_shared_by_devices", "cli", c.ID, c.CLI)
		}
		if c.Banned {
			add("cli_banned_still_assigned", "cli", c.ID, c.CLI)
		}
	}
	for _, did := range data.DIDs {
		if did.Status == "active" && did.DeviceID == 0 && did.DialplanID == 0 {
			add("did_active_unrouted", "did", did.ID, did.Number)
		}
	}
	return want
}

// widerThan16 tells whether a permit the generator writes (dotted masks)
// holds a network wider than a /16, the module's default threshold.
func widerThan16(permit string) bool {
	for _, entry := range strings.Split(permit, ";") {
		_, mask, _ := strings.Cut(entry, "/")
		if ones, _ := net.IPMask(net.ParseIP(mask).To4()).Size(); ones < 16 {
			return true
		}
	}
	return false
}

func countRule(findings map[string]auditFinding, rule string) int {
	n := 0
	for _, f := range findings {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

func sortedKeys(m map[string]auditFinding) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
