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
