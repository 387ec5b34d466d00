package provider

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func TestSecurityWarnings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg  mor.Config
		want []string
	}{
		{mor.Config{BaseURL: "https://mor.example.com/billing", HTTPMethod: "POST"}, nil},
		{mor.Config{BaseURL: "http://127.0.0.1:8080/billing", HTTPMethod: "POST"}, nil},
		{mor.Config{BaseURL: "http://localhost/billing", HTTPMethod: "POST"}, nil},
		{mor.Config{BaseURL: "http://[::1]:8080/billing", HTTPMethod: "POST"}, nil},
		{mor.Config{BaseURL: "http://[2001:db8::10]/billing", HTTPMethod: "POST"}, []string{"MOR API Used Without TLS"}},
		{mor.Config{BaseURL: "http://mor.example.com/billing", HTTPMethod: "POST"}, []string{"MOR API Used Without TLS"}},
		{mor.Config{BaseURL: "https://mor.example.com/billing", HTTPMethod: "GET"}, []string{"MOR Request Hashes Sent in URLs"}},
		{mor.Config{BaseURL: "https://mor.example.com/billing", HTTPMethod: "POST", Insecure: true}, []string{"MOR TLS Certificate Not Verified"}},
		{mor.Config{BaseURL: "http://10.1.2.3/billing", HTTPMethod: "GET", Insecure: true},
			[]string{"MOR Request Hashes Sent in URLs", "MOR TLS Certificate Not Verified", "MOR API Used Without TLS"}},
	} {
		var got []string
		for _, d := range securityWarnings(tc.cfg) {
			got = append(got, d.Summary())
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%+v: warnings %q, want %q", tc.cfg, got, tc.want)
		}
	}
	// With GET, mor_users' URL holds the password, or else the unique hash,
	// if one is set.
	for _, tc := range []struct {
		password, uniqueHash, want string
	}{
		{"", "", ""},
		{"pw", "", "mor_users' URL also holds the login password"},
		{"pw", "uh", "mor_users' URL also holds the login password"},
		{"", "uh", "mor_users' URL also holds the unique hash"},
	} {
		detail := securityWarnings(mor.Config{BaseURL: "https://mor.example.com/billing", HTTPMethod: "GET", Password: tc.password, UniqueHash: tc.uniqueHash})[0].Detail()
		if named := strings.Contains(detail, "mor_users' URL also holds"); named != (tc.want != "") || !strings.Contains(detail, tc.want) {
			t.Errorf("password %q, unique hash %q: the GET warning says %q, want it to say %q", tc.password, tc.uniqueHash, detail, tc.want)
		}
	}
}

// newTLSSim serves the simulator over HTTPS with a certificate made for the
// test, and writes that certificate as a PEM file.
func newTLSSim(t *testing.T) (url, caFile string, data *morsim.Dataset) {
	t.Helper()
	data = morsim.Generate(42, testSizes)
	srv := httptest.NewTLSServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/billing", caFile, data
}

func TestTLS(t *testing.T) {
	t.Parallel()
	url, caFile, data := newTLSSim(t)
	config := func(extra string) string {
		return fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = %q
  max_retries    = 0
  %s
}
data "mor_dids" "all" {}
`, url, data.APIKey, extra)
	}
	all := statecheck.ExpectKnownValue("data.mor_dids.all", tfjsonpath.New("dids"), knownvalue.ListSizeExact(len(data.DIDs)))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(`ca_cert_file = "/nonexistent/ca.pem"`),
				ExpectError: errorRe("Invalid MOR Provider Setting"),
			},
			{
				// Verification is on by default: a certificate from an
				// unknown authority fails the plan.
				Config:      config(""),
				ExpectError: errorRe("certificate signed by unknown authority"),
			},
			{
				Config:            config(fmt.Sprintf("ca_cert_file = %q", caFile)),
				ConfigStateChecks: []statecheck.StateCheck{all},
			},
			{
				Config:            config("insecure = true"),
				ConfigStateChecks: []statecheck.StateCheck{all},
			},
		},
	})
}

// The client's entries are not even built into log calls when the
// provider's log is off (TF_LOG_PROVIDER_MOR=off, as main.go sets it when
// nothing reads it), unless the mor_api subsystem's own level asks for them.
func TestAPILoggerOffWithProviderLog(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_MOR", "off")
	if apiLogger("key") != nil {
		t.Error("TF_LOG_PROVIDER_MOR=off: want no logger")
	}
	t.Setenv("TF_LOG_PROVIDER_MOR_API", "DEBUG")
	if apiLogger("key") == nil {
		t.Error("TF_LOG_PROVIDER_MOR_API=DEBUG: want a logger")
	}
	t.Setenv("TF_LOG_PROVIDER_MOR", "TRACE")
	t.Setenv("TF_LOG_PROVIDER_MOR_API", "")
	if apiLogger("key") == nil {
		t.Error("TF_LOG_PROVIDER_MOR=TRACE: want a logger")
	}
}
