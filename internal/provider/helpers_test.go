package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func sorted(s []string) []string {
	sort.Strings(s)
	if s == nil {
		return []string{}
	}
	return s
}

// providerBlockWithOverrides is providerConfig, where extra settings replace
// the defaults they name (url, api_secret_key).
func providerBlockWithOverrides(s *testSim, extra []string) string {
	settings := map[string]string{"url": fmt.Sprintf("%q", s.URL), "username": `"admin"`, "api_secret_key": fmt.Sprintf("%q", s.Data.APIKey)}
	var rest []string
	for _, e := range extra {
		name, value, _ := strings.Cut(e, " = ")
		if _, ok := settings[name]; ok {
			settings[name] = value
		} else {
			rest = append(rest, e)
		}
	}
	return fmt.Sprintf("provider \"mor\" {\n  url = %s\n  username = %s\n  api_secret_key = %s\n  %s\n}\n",
		settings["url"], settings["username"], settings["api_secret_key"], strings.Join(rest, "\n  "))
}

// builtProvider is this repository's provider binary, built once per test
// run for the tests that drive the terraform CLI themselves.
var builtProvider struct {
	once sync.Once
	dir  string
	err  error
}

func providerBinaryDir(t *testing.T) string {
	t.Helper()
	builtProvider.once.Do(func() {
		builtProvider.dir, builtProvider.err = os.MkdirTemp("", "mor-provider-")
		if builtProvider.err != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(builtProvider.dir, "terraform-provider-mor"), "../..").CombinedOutput()
		if err != nil {
			builtProvider.err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if builtProvider.err != nil {
		t.Fatal(builtProvider.err)
	}
	return builtProvider.dir
}

// cliRunner runs the terraform CLI in a scratch folder holding one
// configuration, with the built provider installed through dev_overrides
// (as `make demo` does). For what terraform-plugin-testing cannot do:
// for_each configurations, signals, and reading Terraform's own logs.
type cliRunner struct {
	t         *testing.T
	terraform string
	dir       string
	env       []string
}

func newCLIRunner(t *testing.T, config string, env ...string) *cliRunner {
	t.Helper()
	terraform := cliUnderTest(t).path
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, ".terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"mor-terraform/mor\" = %q\n  }\n  direct {}\n}\n", providerBinaryDir(t))
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"TF_CLI_CONFIG_FILE=" + rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	var inherited []string
	for _, kv := range os.Environ() {
		// The test decides logging and MOR settings itself.
		if !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "MOR_") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			inherited = append(inherited, kv)
		}
	}
	return &cliRunner{t: t, terraform: terraform, dir: dir, env: append(append(inherited, base...), env...)}
}

// command returns a terraform command in the runner's folder.
func (r *cliRunner) command(args ...string) *exec.Cmd {
	cmd := exec.Command(r.terraform, append([]string{"-chdir=" + r.dir}, args...)...)
	cmd.Env = r.env
	return cmd
}

// run runs terraform and returns its combined output.
func (r *cliRunner) run(args ...string) (string, error) {
	out, err := r.command(args...).CombinedOutput()
	return string(out), err
}

// mustRun runs terraform and fails the test when it fails.
func (r *cliRunner) mustRun(args ...string) string {
	r.t.Helper()
	out, err := r.run(args...)
	if err != nil {
		r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// directServerOf is the protocol server, whose ProviderServer is the
// framework's own.
func directServerOf(t *testing.T, server tfprotov6.ProviderServer) *directReadServer {
	t.Helper()
	direct, ok := server.(*directReadServer)
	if !ok {
		t.Fatalf("the protocol server is a %T", server)
	}
	return direct
}

func stateOf(t *testing.T, resp *tfprotov6.ReadDataSourceResponse, typ tftypes.Type) tftypes.Value {
	t.Helper()
	if resp.State == nil {
		t.Fatal("no state")
	}
	v, err := resp.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

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

// benchTarget is a replaying simulator with its dataset.
type benchTarget struct {
	url  string
	data *morsim.Dataset
}

// objectOf is a value of an object type with the given attributes set and
// the others null.
func objectOf(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		panic(fmt.Sprintf("%s is not an object type", typ))
	}
	vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, t := range obj.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(t, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func dynamicValue(b testing.TB, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

// configuredProvider starts a provider as Terraform does for one run and
// configures it for the target.
func configuredProvider(b testing.TB, target benchTarget) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	return configuredAs(b, target, "admin")
}

// configuredAs is configuredProvider for the given API user.
func configuredAs(b testing.TB, target benchTarget, username string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	server := NewProtocolServer("bench")()
	return server, configure(b, server, target, username)
}

// configure configures a provider server as username, with the user's
// simulator password, and returns its schemas.
func configure(b testing.TB, server tfprotov6.ProviderServer, target benchTarget, username string) *tfprotov6.GetProviderSchemaResponse {
	b.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		b.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	typ := schemas.Provider.ValueType()
	config := objectOf(typ, map[string]tftypes.Value{
		"url":            tftypes.NewValue(tftypes.String, target.url),
		"username":       tftypes.NewValue(tftypes.String, username),
		"api_secret_key": tftypes.NewValue(tftypes.String, target.data.APIKey),
		"password":       tftypes.NewValue(tftypes.String, morsim.PasswordOf(username)),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(b, typ, config)})
	if err != nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return schemas
}

func simEnv(url string, data *morsim.Dataset) []string {
	return []string{"MOR_URL=" + url, "MOR_USERNAME=admin", "MOR_API_SECRET_KEY=" + data.APIKey, "MOR_PASSWORD=" + morsim.PasswordOf("admin")}
}

const morProviderRequirement = `terraform {
  required_providers {
    mor = { source = "mor-terraform/mor" }
  }
}
`

// diagnosticsText is diagnostics as a person reads them.
func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, fmt.Sprintf("%s: %s", d.Summary, d.Detail))
	}
	if len(lines) == 0 {
		return "no diagnostics"
	}
	return strings.Join(lines, "; ")
}

// valuesToTry are null, unknown and a few known values (valid and not) of
// a type; null comes first.
func valuesToTry(typ tftypes.Type) []tftypes.Value {
	values := []tftypes.Value{tftypes.NewValue(typ, nil), tftypes.NewValue(typ, tftypes.UnknownValue)}
	add := func(vs ...any) {
		for _, v := range vs {
			values = append(values, tftypes.NewValue(typ, v))
		}
	}
	switch {
	case typ.Is(tftypes.Number):
		beyondInt64, _ := new(big.Float).SetString("9223372036854775808")
		add(101, 1, 0, -1, 1.5, beyondInt64)
	case typ.Is(tftypes.String):
		add("", " ", "1101", "\xff\xfe", "a\x00b")
	case typ.Is(tftypes.Bool):
		add(true, false)
	case typ.Is(tftypes.List{ElementType: tftypes.String}):
		add([]tftypes.Value{}, []tftypes.Value{tftypes.NewValue(tftypes.String, "x")})
	case typ.Is(tftypes.Map{ElementType: tftypes.String}):
		add(map[string]tftypes.Value{}, map[string]tftypes.Value{"k": tftypes.NewValue(tftypes.String, "v")})
	}
	return values
}

// diagnosticSet is diagnostics in a fixed order.
func diagnosticSet(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	sorted := slices.Clone(diags)
	slices.SortFunc(sorted, func(a, b *tfprotov6.Diagnostic) int {
		return strings.Compare(fmt.Sprint(a.Summary, a.Detail, a.Attribute), fmt.Sprint(b.Summary, b.Detail, b.Attribute))
	})
	return sorted
}

// configuredPeer is the protocol server configured as the simulator's admin.
func configuredPeer(t *testing.T) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse, *testSim) {
	t.Helper()
	sim := newTestSim(t)
	server, schemas := configuredAs(t, benchTarget{url: sim.URL, data: sim.Data}, "admin")
	return server, schemas, sim
}

// objectType is a data source's state type.
func objectType(t *testing.T, schemas *tfprotov6.GetProviderSchemaResponse, dataSource string) tftypes.Object {
	t.Helper()
	typ, ok := schemas.DataSourceSchemas[dataSource].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("%s's schema is not an object", dataSource)
	}
	return typ
}

// configEntry is one attribute of a configuration written by hand.
type configEntry struct {
	name string
	raw  []byte
}

// configEntries are every attribute of typ in name order, as Terraform
// sends them, null unless set.
func configEntries(typ tftypes.Object, set map[string][]byte) []configEntry {
	var entries []configEntry
	for name := range typ.AttributeTypes {
		raw, ok := set[name]
		if !ok {
			raw = []byte{0xc0}
		}
		entries = append(entries, configEntry{name, raw})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	return entries
}

func msgpackObject(entries []configEntry) []byte {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	_ = enc.EncodeMapLen(len(entries))
	for _, e := range entries {
		_ = enc.EncodeString(e.name)
		buf.Write(e.raw)
	}
	return buf.Bytes()
}

func msgpackOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serveSim serves a simulator over loopback HTTP for the test's duration
// and returns its MOR_URL.
func serveSim(t *testing.T, sim *morsim.Server) string {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return srv.URL + "/billing"
}

// readFile reads a file a test run wrote.
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipMembers returns the raw bytes of the file and each of its members
// (a saved plan is a zip archive).
func zipMembers(t *testing.T, name string) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	members := map[string][]byte{"(whole file)": raw}
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		members[f.Name] = b
	}
	if len(members) < 3 {
		t.Fatalf("the saved plan has %d members", len(members)-1)
	}
	return members
}

func callLimit(n int) string {
	if n == 0 {
		return "Unlimited"
	}
	return fmt.Sprint(n)
}

// auditModuleDir is the audit module, relative to this package.
const auditModuleDir = "../../examples/modules/audit"

// auditModuleSource is the audit module's absolute path, for a module
// block's source in a configuration the CLI runs in a directory of its own.
func auditModuleSource(t *testing.T) string {
	t.Helper()
	module, err := filepath.Abs(auditModuleDir)
	if err != nil {
		t.Fatal(err)
	}
	return module
}

// examplesDir is examples/, relative to this package.
const examplesDir = "../../examples"

// The proxy tests run the terraform CLI with the built provider, as a
// process of its own: Go reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY once
// per process, so each plan gets its own environment.
//
// Go never sends requests for "localhost" or a loopback address through a
// proxy, so MOR's URL names the simulator "Localhost": Go compares the name
// with "localhost" case-sensitively and proxies it, while the proxy (and Go,
// when NO_PROXY bypasses the proxy) resolves it case-insensitively through
// the hosts file's universal localhost entry. ("localhost." with a trailing
// dot is proxied too, but neither Go's resolver nor glibc's resolve it
// without DNS.)
const proxiedHost = "Localhost"

func (s *testSim) expectCLIs(addr string, match func(c morsim.CLI, dev morsim.Device) bool) statecheck.StateCheck {
	devices := map[int64]morsim.Device{}
	for _, d := range s.Data.Devices {
		devices[d.ID] = d
	}
	var clis []morsim.CLI
	for _, c := range s.Data.CLIs {
		if match(c, devices[c.DeviceID]) {
			clis = append(clis, c)
		}
	}
	sort.Slice(clis, func(i, j int) bool { return clis[i].ID < clis[j].ID })
	checks := []knownvalue.Check{}
	for _, c := range clis {
		dev := devices[c.DeviceID]
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(c.ID), "cli": knownvalue.StringExact(c.CLI),
			"device":      knownvalue.StringExact(dev.Fields["device_type"] + "/" + dev.Fields["name"]),
			"description": stringOrNull(c.Description), "domain": stringOrNull(c.Domain), "ivr": stringOrNull(c.IVR),
			"added_at": knownvalue.StringExact(c.AddedAt), "updated_at": knownvalue.StringExact(c.UpdatedAt),
			"comment": stringOrNull(c.Comment), "email_callback": knownvalue.Bool(c.EmailCallback), "banned": knownvalue.Bool(c.Banned),
		}))
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("clis"), knownvalue.ListExact(checks))
}

// adminDeviceWithPIN finds a device in the admin's scope that has a PIN, so
// every sensitive attribute can be checked.
func (s *testSim) adminDeviceWithPIN(t *testing.T) morsim.Device {
	t.Helper()
	for _, d := range s.Data.Devices {
		if s.OwnerOf(d.UserID) == 0 && d.Fields["pin"] != "" && len(d.AudioCodecs) > 1 {
			return d
		}
	}
	t.Fatal("the dataset has no admin-scope device with a PIN and codecs")
	return morsim.Device{}
}

// expectDIDs checks a mor_dids list: the DIDs of the dataset that match,
// in number order, by id, number and status.
func (s *testSim) expectDIDs(addr string, match func(morsim.DID) bool) statecheck.StateCheck {
	var dids []morsim.DID
	for _, d := range s.Data.DIDs {
		if match(d) {
			dids = append(dids, d)
		}
	}
	sort.Slice(dids, func(i, j int) bool { return dids[i].Number < dids[j].Number })
	checks := []knownvalue.Check{}
	for _, d := range dids {
		checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id":     knownvalue.Int64Exact(d.ID),
			"did":    knownvalue.StringExact(d.Number),
			"status": knownvalue.StringExact(strings.ToUpper(d.Status[:1]) + d.Status[1:]),
		}))
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("dids"), knownvalue.ListExact(checks))
}

func (s *testSim) deviceString(id int64) string {
	for _, d := range s.Data.Devices {
		if d.ID == id {
			return d.Fields["device_type"] + "/" + d.Fields["name"]
		}
	}
	return ""
}

// usersSeenBy is users_get's scope, by the rules DESIGN.md states.
func (s *testSim) usersSeenBy(name string, keep func(morsim.User) bool) []morsim.User {
	api := s.user(name)
	byID := map[int64]morsim.User{}
	for _, u := range s.Data.Users {
		byID[u.ID] = u
	}
	var out []morsim.User
	for _, u := range s.Data.Users {
		var seen bool
		switch api.Role {
		case morsim.RoleAdmin:
			seen = u.ID != api.ID
		case morsim.RoleAccountant:
			seen = u.Role != morsim.RoleAccountant
		case morsim.RoleReseller:
			seen = u.OwnerID == api.ID && u.ID != api.ID
		}
		if seen && (keep == nil || keep(u)) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
