package provider

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The same lookup declared 20 times (as 20 modules might) makes one request
// per distinct API call in a plan.
func TestIdenticalLookupsMakeOneRequest(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	var user morsim.User
	for _, u := range data.Users {
		if u.Username == "user1" {
			user = u
		}
	}
	var device int64
	for _, d := range data.Devices {
		if d.UserID == user.ID {
			device = d.ID
			break
		}
	}
	var config strings.Builder
	config.WriteString(morProviderRequirement + "provider \"mor\" {}\n")
	for i := range 20 {
		fmt.Fprintf(&config, `data "mor_dids" "active_%d" { status = "active" }
data "mor_devices" "user_%d" { user_id = %d }
data "mor_device" "pbx_%d" { device_id = %d }
data "mor_device_clis" "pbx_%d" { device_id = %d }
`, i, i, user.ID, i, device, i, device)
	}
	// One different DIDs lookup: a distinct call, so one more request.
	// (Not free: the provider reads free and active with one search.)
	config.WriteString(`data "mor_dids" "closed" { status = "closed" }` + "\n")
	tf := newCLIRunner(t, config.String(), simEnv(srv.URL+"/billing", data)...)
	tf.mustRun("plan", "-input=false", "-no-color")
	st := sim.Stats()
	want := map[string]int64{morsim.MethodDIDs: 2, morsim.MethodDevices: 1, morsim.MethodDeviceDetails: 1, morsim.MethodCLIs: 1}
	if fmt.Sprint(st.ByMethod) != fmt.Sprint(want) {
		t.Errorf("requests by method %v, want %v (one per distinct call)", st.ByMethod, want)
	}
}

// A plan of many lookups with a key MOR does not accept sends no more
// requests than were in flight when MOR first refused, and every lookup
// fails with MOR's answer.
func TestWrongKeyIsNotTriedPerLookup(t *testing.T) {
	t.Parallel()
	const lookups, slots = 30, 2
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ids := make([]string, lookups)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprint(data.Devices[i].ID))
	}
	config := fmt.Sprintf(`%sprovider "mor" {
  max_concurrent_requests = %d
}
data "mor_device" "each" {
  for_each  = toset([%s])
  device_id = each.value
}
`, morProviderRequirement, slots, strings.Join(ids, ", "))
	env := append(simEnv(srv.URL+"/billing", data), "MOR_API_SECRET_KEY=not-the-key")
	out, err := newCLIRunner(t, config, env...).run("plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the plan succeeded with a wrong key:\n%s", out)
	}
	if n := strings.Count(out, "MOR answered: Incorrect hash."); n != lookups {
		t.Errorf("%d lookups failed with MOR's Incorrect hash, want %d:\n%s", n, lookups, out)
	}
	requests := int(sim.Stats().ByMethod[morsim.MethodDeviceDetails])
	if requests > slots {
		t.Errorf("MOR got %d requests for %d lookups, want at most %d", requests, lookups, slots)
	}
	// The lookups that sent nothing say so (in Terraform's output, wrapped).
	if n := strings.Count(strings.Join(strings.Fields(out), " "), repeatedRefusalNote); n != lookups-requests {
		t.Errorf("%d errors say their read sent no request, want %d (%d lookups, %d requests):\n%s", n, lookups-requests, lookups, requests, out)
	}
}
