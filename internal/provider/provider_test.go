package provider

import (
	"fmt"
	"net"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"mor": func() (tfprotov6.ProviderServer, error) { return NewProtocolServer("test")(), nil },
}

// testSim is a simulator serving a generated dataset over loopback HTTP.
type testSim struct {
	*morsim.Server
	URL  string
	Data *morsim.Dataset
	// closedURL, when set, is a loopback URL nothing listens on.
	closedURL string
}

var testSizes = morsim.Sizes{Resellers: 2, Users: 8, Devices: 40, DIDs: 60, CLIs: 30}

func newTestSim(t *testing.T) *testSim {
	t.Helper()
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &testSim{Server: sim, URL: srv.URL + "/billing", Data: data}
}

// providerConfig is a provider block for the simulator's admin; extra lines
// are added inside the block.
func (s *testSim) providerConfig(extra ...string) string {
	return fmt.Sprintf(`
provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = %q
  %s
}
`, s.URL, s.Data.APIKey, strings.Join(extra, "\n  "))
}

func (s *testSim) user(name string) morsim.User {
	for _, u := range s.Data.Users {
		if u.Username == name {
			return u
		}
	}
	panic("no user " + name)
}

// devicesOf returns a user's devices, sorted by id.
func (s *testSim) devicesOf(userID int64) []morsim.Device {
	var out []morsim.Device
	for _, d := range s.Data.Devices {
		if d.UserID == userID {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// errorRe matches a diagnostic phrase even where Terraform wraps its lines.
func errorRe(phrase string) *regexp.Regexp {
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr + "/billing"
}

func stringOrNull(s string) knownvalue.Check {
	if s == "" {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(s)
}

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
				ExpectError: errorRe(`the answer is an HTML page, not a MOR API answer; it begins: "MOR: Login"`),
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
