package provider

import (
	"net"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// A url with an IPv6 literal reaches a simulator listening on [::1] only.
func TestIPv6URL(t *testing.T) {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback on this machine: %v", err)
	}
	data := morsim.Generate(42, testSizes)
	srv := httptest.NewUnstartedServer(morsim.New(data, morsim.Options{}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	sim := &testSim{URL: srv.URL + "/billing", Data: data} // http://[::1]:port/billing
	resource.ParallelTest(t, resource.TestCase{
		IsUnitTest:               true,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig() + `data "mor_dids" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.mor_dids.all", tfjsonpath.New("dids"), knownvalue.ListSizeExact(len(data.DIDs))),
			},
		}},
	})
}
