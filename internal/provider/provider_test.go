package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The acceptance tests run Terraform itself (TF_ACC_TERRAFORM_PATH, or
// terraform on PATH) against the simulator over HTTP. They use
// resource.UnitTest, not resource.Test: they need no real MOR and no
// credentials, so `go test ./...` runs them every time.

func TestProviderConfigFromEnvironment(t *testing.T) {
	sim := newTestSim(t)
	t.Setenv("MOR_URL", sim.URL)
	t.Setenv("MOR_USERNAME", "admin")
	t.Setenv("MOR_API_SECRET_KEY", sim.Data.APIKey)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
provider "mor" {}
data "mor_dids" "all" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_dids.all", tfjsonpath.New("dids"), knownvalue.ListSizeExact(len(sim.Data.DIDs))),
				},
			},
		},
	})
}

func TestProviderConfigWinsOverEnvironment(t *testing.T) {
	sim := newTestSim(t)
	t.Setenv("MOR_URL", closedURL(t))
	t.Setenv("MOR_USERNAME", "nobody")
	t.Setenv("MOR_API_SECRET_KEY", "wrong-key")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + `data "mor_dids" "all" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_dids.all", tfjsonpath.New("dids"), knownvalue.ListSizeExact(len(sim.Data.DIDs))),
				},
			},
		},
	})
}

func TestProviderConfigErrors(t *testing.T) {
	for _, env := range []string{"MOR_URL", "MOR_USERNAME", "MOR_API_SECRET_KEY", "MOR_PASSWORD"} {
		t.Setenv(env, "")
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      `provider "mor" {}` + "\n" + `data "mor_dids" "all" {}`,
				ExpectError: errorRe("Set api_secret_key in the provider block or the MOR_API_SECRET_KEY environment variable"),
			},
			{
				Config:      `provider "mor" {}` + "\n" + `data "mor_dids" "all" {}`,
				ExpectError: errorRe("Set url in the provider block or the MOR_URL environment variable"),
			},
			{
				Config: `provider "mor" {
  url            = "mor.example.com"
  username       = "admin"
  api_secret_key = "k"
}
data "mor_dids" "all" {}`,
				ExpectError: errorRe("must start with http:// or https://"),
			},
			{
				Config: `provider "mor" {
  url             = "https://mor.example.com"
  username        = "admin"
  api_secret_key  = "k"
  request_timeout = "soon"
}
data "mor_dids" "all" {}`,
				ExpectError: regexp.MustCompile(`request_timeout`),
			},
			{
				Config: `provider "mor" {
  url            = "https://mor.example.com"
  username       = "admin"
  api_secret_key = "k"
  http_method    = "PUT"
}
data "mor_dids" "all" {}`,
				ExpectError: errorRe(`http_method value must be one of`),
			},
		},
	})
}

// The errors users meet first: wrong key, unknown user, an HTML page, GET
// switched off, an unreachable server. Each fails the plan with MOR's words
// (or the fault's) and what to do.
func TestProviderReadErrors(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	unreachable := closedURL(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = "wrong-key"
}
data "mor_dids" "all" {}`, sim.URL),
				ExpectError: errorRe("MOR answered: Incorrect hash. Check api_secret_key / MOR_API_SECRET_KEY and that it is the key of the API user"),
			},
			{
				Config: fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "nobody"
  api_secret_key = %q
}
data "mor_devices" "d" { user_id = 3 }`, sim.URL, sim.Data.APIKey),
				ExpectError: errorRe("MOR answered: Bad login. Check username / MOR_USERNAME"),
			},
			{
				Config:      sim.providerConfig(`http_method = "GET"`) + `data "mor_dids" "all" {}`,
				ExpectError: errorRe(`MOR answered: GET Requests are disabled. Use http_method = "POST"`),
			},
			{
				PreConfig:   func() { sim.SetFault(morsim.MethodDIDs, morsim.Fault{HTML: true}) },
				Config:      sim.providerConfig() + `data "mor_dids" "all" {}`,
				ExpectError: errorRe(`the answer is an HTML page, not a MOR API answer; its title: "MOR: Login"`),
			},
			{
				Config: fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = "k"
  max_retries    = 0
}
data "mor_dids" "all" {}`, unreachable),
				ExpectError: errorRe("Unable to Reach MOR"),
			},
		},
	})
}
