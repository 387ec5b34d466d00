package mor_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func TestRoundTripDevicesByRole(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	adminUser := f.userByName("user1") // owned by the admin
	resUser := f.userByName("user2")   // owned by reseller1
	reseller := f.userByName("reseller1")
	if adminUser.OwnerID != 0 || resUser.OwnerID != reseller.ID {
		t.Fatalf("dataset layout changed: %+v %+v", adminUser, resUser)
	}
	wantDevices := func(userID int64) []int64 {
		var out []int64
		for _, d := range f.data.Devices {
			if d.UserID == userID {
				out = append(out, d.ID)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}

	for _, tc := range []struct {
		api    string
		userID int64
		want   error // nil: success
	}{
		{"admin", adminUser.ID, nil},
		{"accountant", adminUser.ID, nil},
		{"admin", resUser.ID, mor.ErrPermission}, // "Access Denied": not the admin's user
		{"reseller1", resUser.ID, nil},
		{"reseller1", adminUser.ID, mor.ErrPermission},
		{"accountant_norights", adminUser.ID, mor.ErrPermission},
		{"user1", adminUser.ID, mor.ErrPermission},
		{"nobody", adminUser.ID, mor.ErrAuthentication},
		{"admin", 99999, mor.ErrNotFound},
	} {
		got, err := f.client(t, tc.api).Devices(ctx, tc.userID)
		f.logs.add(fmt.Sprint(err))
		if tc.want != nil {
			if !errors.Is(err, tc.want) || got != nil {
				t.Errorf("%s devices of %d: %v %v, want %v", tc.api, tc.userID, got, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s devices of %d: %v", tc.api, tc.userID, err)
		}
		if g, w := ids(got, func(d mor.Device) int64 { return d.DeviceID }), wantDevices(tc.userID); fmt.Sprint(g) != fmt.Sprint(w) || len(w) == 0 {
			t.Errorf("%s devices of %d: %v, want %v", tc.api, tc.userID, g, w)
		}
		for _, d := range got {
			if d.Secret == nil || d.Username == nil || d.CallerID == nil || !strings.Contains(*d.CallerID, "<") || *d.CallerID != strings.TrimSpace(*d.CallerID) {
				t.Errorf("device %d: fields not decoded: %+v", d.DeviceID, d)
			}
		}
	}
	// A user with no devices: MOR's "Device not found" is an empty list.
	got, err := f.client(t, "admin").Devices(ctx, f.userByName("accountant").ID)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("user without devices: %v %v, want an empty list", got, err)
	}
	f.logs.assertNoSecrets(t, f.data)
}

func TestDeviceListFallback(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{Legacy: true})
	c := f.client(t, "admin")
	u := f.userByName("user1")
	for i := range 2 {
		got, err := c.Devices(context.Background(), u.ID)
		if err != nil || len(got) == 0 {
			t.Fatalf("call %d: %v %v", i, got, err)
		}
		if got[0].Username != nil {
			t.Errorf("legacy answer has only the seed's fields, got username %v", *got[0].Username)
		}
	}
	// One devices_get that failed, one device_list; the second call is
	// cached, and a fresh call on the same client goes to device_list
	// directly.
	if _, err := c.Devices(context.Background(), f.userByName("user3").ID); err != nil {
		t.Fatal(err)
	}
	st := f.sim.Stats()
	if st.ByMethod["devices_get"] != 1 || st.ByMethod["device_list"] != 2 {
		t.Errorf("requests %v: want devices_get once, then device_list only", st.ByMethod)
	}
}

func TestGzippedDevices(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{GzipDevices: true, XMLContentType: true})
	got, err := f.client(t, "admin").Devices(context.Background(), f.userByName("user1").ID)
	if err != nil || len(got) == 0 {
		t.Fatalf("%v %v", got, err)
	}
}

func TestDeviceDetailsRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	var dev morsim.Device
	for _, d := range f.data.Devices {
		if d.UserID == f.userByName("user1").ID {
			dev = d
			break
		}
	}
	c := f.client(t, "admin")
	got, err := c.DeviceDetails(ctx, mor.DeviceQuery{ID: &dev.ID})
	if err != nil {
		t.Fatal(err)
	}
	if *got.ID != dev.ID || *got.UserID != dev.UserID || got.Fields["secret"] != dev.Fields["secret"] ||
		got.Fields["callerid"] != dev.Fields["callerid"] || got.Fields["session-timers"] != "" || got.Fields["permit"] != dev.Fields["permit"] {
		t.Errorf("details: %+v", got)
	}
	if strings.Join(got.AudioCodecs, ",") != strings.Join(dev.AudioCodecs, ",") {
		t.Errorf("codecs %v, want %v", got.AudioCodecs, dev.AudioCodecs)
	}
	byName, err := c.DeviceDetails(ctx, mor.DeviceQuery{Username: dev.Fields["username"]})
	if err != nil || *byName.ID != dev.ID {
		t.Fatalf("by username: %v %v", byName, err)
	}
	for _, tc := range []struct {
		api  string
		id   int64
		want error
	}{
		{"admin", 424242, mor.ErrNotFound},
		{"user1", dev.ID, mor.ErrPermission},
		{"accountant_norights", dev.ID, mor.ErrPermission},
		{"nobody", dev.ID, mor.ErrAuthentication},
		{"reseller1", dev.ID, mor.ErrNotFound}, // not the reseller's user
	} {
		_, err := f.client(t, tc.api).DeviceDetails(ctx, mor.DeviceQuery{ID: &tc.id})
		f.logs.add(fmt.Sprint(err))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s device %d: %v, want %v", tc.api, tc.id, err, tc.want)
		}
	}
	// Releases before 2019 send no id column: the id asked for is used.
	f.sim.SetOptions(func(o *morsim.Options) { o.Pre2019 = true })
	old, err := f.client(t, "admin").DeviceDetails(ctx, mor.DeviceQuery{ID: &dev.ID})
	if err != nil || *old.ID != dev.ID || old.UserID != nil {
		t.Errorf("pre-2019: %+v %v", old, err)
	}
	f.logs.assertNoSecrets(t, f.data)
}

func TestDIDsRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	c := f.client(t, "admin")
	all, err := c.DIDs(ctx, mor.DIDFilter{})
	if err != nil || len(all) != len(f.data.DIDs) {
		t.Fatalf("all DIDs: %d, err %v, want %d", len(all), err, len(f.data.DIDs))
	}
	count := func(pred func(morsim.DID) bool) int {
		n := 0
		for _, d := range f.data.DIDs {
			if pred(d) {
				n++
			}
		}
		return n
	}
	for _, status := range mor.DIDStatuses {
		got, err := c.DIDs(ctx, mor.DIDFilter{Status: status})
		if err != nil {
			t.Fatal(err)
		}
		// For the admin, MOR's free and active searches leave out DIDs
		// assigned to a reseller, and its reserved search adds them all:
		// both are undone.
		want := count(func(d morsim.DID) bool { return d.Status == status })
		if len(got) != want {
			t.Errorf("status %s: %d DIDs, want %d (MOR's status quirks must be undone)", status, len(got), want)
		}
		for _, d := range got {
			if !strings.EqualFold(*d.Status, status) {
				t.Errorf("status %s: got a %s DID", status, *d.Status)
			}
		}
	}
	one := f.data.DIDs[3]
	got, err := c.DIDs(ctx, mor.DIDFilter{Number: one.Number})
	if err != nil || len(got) != 1 || *got[0].ID != one.ID {
		t.Errorf("by number: %+v %v", got, err)
	}
	got, err = c.DIDs(ctx, mor.DIDFilter{Number: "0000"})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("no match: %v %v, want an empty list", got, err)
	}
	yes := true
	got, err = c.DIDs(ctx, mor.DIDFilter{HideTerminated: &yes})
	if want := count(func(d morsim.DID) bool { return d.Status != "terminated" }); err != nil || len(got) != want {
		t.Errorf("hide terminated: %d, want %d (%v)", len(got), want, err)
	}
	// A simple user sees its own DIDs, without dial_plan and tone_zone.
	u := f.userByName("user1")
	own, err := f.client(t, "user1").DIDs(ctx, mor.DIDFilter{})
	if want := count(func(d morsim.DID) bool { return d.UserID == u.ID }); err != nil || len(own) != want {
		t.Errorf("user1: %d DIDs, want %d (%v)", len(own), want, err)
	}
	for _, d := range own {
		if d.DialPlan != nil || d.ToneZone != nil || d.Provider != nil {
			t.Errorf("user1 sees admin-only fields: %+v", d)
		}
	}
	_, err = f.client(t, "accountant_norights").DIDs(ctx, mor.DIDFilter{})
	if !errors.Is(err, mor.ErrPermission) || !strings.Contains(err.Error(), "You are not authorized to manage DIDs") {
		t.Errorf("accountant without rights: %v", err)
	}
	f.logs.add(err.Error())
	f.logs.assertNoSecrets(t, f.data)
}

func TestCLIsRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	all, err := f.client(t, "admin").CLIs(ctx, mor.CLIFilter{})
	if err != nil || len(all) != len(f.data.CLIs) {
		t.Fatalf("all CLIs: %d, %v", len(all), err)
	}
	dev := f.data.CLIs[0].DeviceID
	got, err := f.client(t, "admin").CLIs(ctx, mor.CLIFilter{DeviceID: &dev})
	if err != nil || len(got) == 0 {
		t.Fatal(err)
	}
	for _, c := range got {
		if c.Device == nil || c.AddedAt == nil || c.Banned == nil {
			t.Errorf("CLI fields missing: %+v", c)
		}
	}
	missing := int64(987654)
	if _, err := f.client(t, "admin").CLIs(ctx, mor.CLIFilter{DeviceID: &missing}); !errors.Is(err, mor.ErrNotFound) {
		t.Errorf("missing device: %v", err)
	}
	if _, err := f.client(t, "admin").CLIs(ctx, mor.CLIFilter{UserID: &missing}); !errors.Is(err, mor.ErrNotFound) {
		t.Errorf("missing user: %v", err)
	}
	noCLIs := f.userByName("accountant").ID
	got, err = f.client(t, "admin").CLIs(ctx, mor.CLIFilter{UserID: &noCLIs})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("no CLIs: %v %v, want an empty list", got, err)
	}
	if _, err := f.client(t, "user1").CLIs(ctx, mor.CLIFilter{}); !errors.Is(err, mor.ErrPermission) {
		t.Errorf("simple user: %v", err)
	}
	if _, err := f.client(t, "reseller1").CLIs(ctx, mor.CLIFilter{}); err != nil {
		t.Errorf("reseller with permission: %v", err)
	}
	f.sim.SetOptions(func(o *morsim.Options) { o.BadLoginStatus = true })
	if _, err := f.client(t, "nobody").CLIs(ctx, mor.CLIFilter{}); !errors.Is(err, mor.ErrAuthentication) || !strings.Contains(err.Error(), "Bad login") {
		t.Errorf("Bad login status variant: %v", err)
	}
}

func TestServerSettingsErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	check := func(name string, c *mor.Client, want string) {
		t.Helper()
		_, err := c.DIDs(ctx, mor.DIDFilter{})
		var apiErr *mor.APIError
		if !errors.As(err, &apiErr) || apiErr.Message != want || !errors.Is(err, mor.ErrAuthentication) {
			t.Errorf("%s: %v, want MOR's %q", name, err, want)
		}
		f.logs.add(err.Error())
	}
	check("wrong key", f.client(t, "admin", func(c *mor.Config) { c.SecretKey = "wrong" }), "Incorrect hash")
	check("GET off", f.client(t, "admin", func(c *mor.Config) { c.HTTPMethod = "GET" }), "GET Requests are disabled")
	f.sim.SetOptions(func(o *morsim.Options) { o.AllowGET = true })
	if _, err := f.client(t, "admin", func(c *mor.Config) { c.HTTPMethod = "GET" }).DIDs(ctx, mor.DIDFilter{}); err != nil {
		t.Errorf("GET allowed: %v", err)
	}
	f.sim.SetOptions(func(o *morsim.Options) { o.NoHashCheck = true })
	if _, err := f.client(t, "admin", func(c *mor.Config) { c.SecretKey = "anything" }).DIDs(ctx, mor.DIDFilter{}); err != nil {
		t.Errorf("hash check off: %v", err)
	}
	f.sim.SetOptions(func(o *morsim.Options) { o.APIDisabled = true })
	check("API off", f.client(t, "admin"), "API Requests are disabled")
	f.sim.SetOptions(func(o *morsim.Options) { o.APIDisabled = false })
	f.sim.SetAPIKey("")
	check("no key on the server", f.client(t, "admin"), "API must have Secret Key")
	f.logs.assertNoSecrets(t, f.data, "wrong", "anything")
}

func TestPasswordIsSentOnlyWhenSet(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var forms []string
	f := newFixture(t, smallSizes, morsim.Options{})
	spy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		forms = append(forms, fmt.Sprintf("p=%v u=%v method=%s query=%q", r.PostForm["p"], r.PostForm["u"], r.Method, r.URL.RawQuery))
		mu.Unlock()
		f.sim.ServeHTTP(w, r)
	}))
	defer spy.Close()
	for _, pw := range []string{"", "pw"} {
		c, err := mor.New(mor.Config{BaseURL: spy.URL, Username: "admin", SecretKey: f.data.APIKey, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.DIDs(context.Background(), mor.DIDFilter{}); err != nil {
			t.Fatal(err)
		}
	}
	if forms[0] != `p=[] u=[admin] method=POST query=""` || forms[1] != `p=[pw] u=[admin] method=POST query=""` {
		t.Errorf("requests: %q", forms)
	}
}

// With GET the form is the URL, which access logs keep: the login
// password goes only to users_get, the one method that needs it since 2013.
func TestGETSendsThePasswordOnlyToUsersGet(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	sentPassword := map[string]bool{}
	f := newFixture(t, smallSizes, morsim.Options{AllowGET: true})
	spy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sentPassword[path.Base(r.URL.Path)] = r.URL.Query().Has("p")
		mu.Unlock()
		f.sim.ServeHTTP(w, r)
	}))
	defer spy.Close()
	c, err := mor.New(mor.Config{BaseURL: spy.URL, Username: "admin", SecretKey: f.data.APIKey, Password: morsim.PasswordOf("admin"), HTTPMethod: http.MethodGet})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.DIDs(ctx, mor.DIDFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CLIs(ctx, mor.CLIFilter{}); err != nil {
		t.Fatal(err)
	}
	device := f.data.Devices[0]
	if _, err := c.Devices(ctx, device.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeviceDetails(ctx, mor.DeviceQuery{ID: &device.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{morsim.MethodDIDs: false, morsim.MethodCLIs: false, morsim.MethodDevices: false, morsim.MethodDeviceDetails: false, morsim.MethodUsers: true}
	if !maps.Equal(sentPassword, want) {
		t.Errorf("p in the URL, by method: %v, want %v", sentPassword, want)
	}
}

func TestRetriesRecoverAndGiveUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	f.sim.SetFault(morsim.MethodDIDs, morsim.Fault{Status: 503, RetryAfter: "0", Times: 2})
	c := f.client(t, "admin")
	got, err := c.DIDs(ctx, mor.DIDFilter{})
	if err != nil || len(got) == 0 {
		t.Fatalf("after two 503s: %v", err)
	}
	if n := f.sim.Stats().ByMethod[morsim.MethodDIDs]; n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	// The fixture waits at most 5 ms, so a Retry-After of a second would not be retried.
	for _, fault := range []morsim.Fault{{Status: 502}, {Status: 429, RetryAfter: "0"}, {Reset: true}} {
		f.sim.ResetStats()
		f.sim.SetFault(morsim.MethodCLIs, fault)
		_, err = f.client(t, "admin", func(c *mor.Config) { c.MaxRetries = retries(2) }).CLIs(ctx, mor.CLIFilter{})
		if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Errorf("%+v: %v, want a failure after 3 attempts", fault, err)
		}
		if n := f.sim.Stats().ByMethod[morsim.MethodCLIs]; n != 3 {
			t.Errorf("%+v: %d requests, want 3", fault, n)
		}
		f.logs.add(err.Error())
	}
	// A connection broken mid-answer is retried, within the same budget.
	f.sim.ResetStats()
	f.sim.SetFault(morsim.MethodDIDs, morsim.Fault{ResetMidBody: true, Times: 2})
	if got, err := f.client(t, "admin", func(c *mor.Config) { c.MaxRetries = retries(2) }).DIDs(ctx, mor.DIDFilter{}); err != nil || len(got) == 0 {
		t.Errorf("after two broken answers: %v", err)
	}
	f.sim.SetFault(morsim.MethodDIDs, morsim.Fault{ResetMidBody: true})
	_, err = f.client(t, "admin", func(c *mor.Config) { c.MaxRetries = retries(2); c.DisableCache = true }).DIDs(ctx, mor.DIDFilter{})
	if err == nil || !strings.Contains(err.Error(), "the connection failed while reading the answer") || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("always broken: %v", err)
	}
	f.logs.add(err.Error())
	// MOR's own XML errors are answers, never retried.
	f.sim.ClearFaults()
	f.sim.ResetStats()
	_, err = f.client(t, "admin", func(c *mor.Config) { c.SecretKey = "wrong" }).CLIs(ctx, mor.CLIFilter{})
	if !errors.Is(err, mor.ErrAuthentication) || f.sim.Stats().Requests != 1 {
		t.Errorf("XML error: %v after %d requests", err, f.sim.Stats().Requests)
	}
	f.logs.assertNoSecrets(t, f.data)
}

func TestUnusableAnswers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	for _, tc := range []struct {
		fault morsim.Fault
		want  string
	}{
		{morsim.Fault{HTML: true}, `HTML page, not a MOR API answer; its title: "MOR: Login"`},
		{morsim.Fault{Body: []byte{}}, "the answer is empty"},
		{morsim.Fault{Truncate: true}, "truncated"},
		{morsim.Fault{ResetMidBody: true}, "calling MOR dids_get at http"},
		{morsim.Fault{Body: morsim.GzipBomb(8 << 20)}, "exceeds 1048576 bytes"},
		{morsim.Fault{Status: 404}, "HTTP 404"},
	} {
		f.sim.SetFault(morsim.MethodDIDs, tc.fault)
		got, err := f.client(t, "admin", func(c *mor.Config) { c.MaxResponseBytes = 1 << 20; c.MaxRetries = retries(0) }).DIDs(ctx, mor.DIDFilter{})
		if err == nil || got != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v %v, want an error with %q", tc.fault, got, err, tc.want)
		}
		f.logs.add(fmt.Sprint(err))
	}
	f.logs.assertNoSecrets(t, f.data)
}

func TestUnreachableAndTimeout(t *testing.T) {
	t.Parallel()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	c, _ := mor.New(mor.Config{BaseURL: "http://" + addr, Username: "admin", SecretKey: "k", MaxRetries: retries(1), RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err := c.DIDs(context.Background(), mor.DIDFilter{})
	var te *mor.TransportError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "/billing/api/dids_get") {
		t.Errorf("refused: %v", err)
	}

	// The faults last a minute, far beyond the timeouts, so the timeout is
	// certainly the cause; the client hangs up, so nobody waits the minute.
	// Whether the slow body's first chunk arrived before the timeout depends
	// on the machine's load: the message names either.
	f := newFixture(t, smallSizes, morsim.Options{})
	f.sim.SetFault(morsim.MethodDIDs, morsim.Fault{SlowBody: time.Minute})
	_, err = f.client(t, "admin", func(c *mor.Config) { c.Timeout = 150 * time.Millisecond; c.MaxRetries = retries(0) }).DIDs(context.Background(), mor.DIDFilter{})
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "no answer within the request timeout of 150ms") {
		t.Errorf("slow body: %v", err)
	}
	f.sim.ClearFaults()
	f.sim.SetFault("", morsim.Fault{Latency: time.Minute})
	_, err = f.client(t, "admin", func(c *mor.Config) { c.Timeout = time.Second; c.MaxRetries = retries(1) }).DIDs(context.Background(), mor.DIDFilter{})
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "no answer within the request timeout of 1s (after 2 attempts)") {
		t.Errorf("timeout: %v", err)
	}
}

// Cancelling a call whose request MOR is working on ends it at once.
func TestCancellation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	f.sim.SetFault("", morsim.Fault{Latency: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.client(t, "admin").DIDs(ctx, mor.DIDFilter{})
		done <- err
	}()
	// Cancelled once the request is in flight, not before it was sent.
	for f.sim.Stats().InFlight == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled call: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancellation did not stop the call")
	}
}

func TestConcurrencyCapAndSharedCalls(t *testing.T) {
	// Not parallel: it expects at least two requests to overlap.
	f := newFixture(t, smallSizes, morsim.Options{})
	f.sim.SetFault("", morsim.Fault{Latency: 20 * time.Millisecond})
	c := f.client(t, "admin", func(c *mor.Config) { c.MaxConcurrentRequests = 3 })
	var adminDevices []int64
	for _, d := range f.data.Devices {
		if f.sim.OwnerOf(d.UserID) == 0 {
			adminDevices = append(adminDevices, d.ID)
		}
	}
	if len(adminDevices) < 12 {
		t.Fatalf("only %d devices in the admin's scope", len(adminDevices))
	}
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dev := adminDevices[i%12] // 12 distinct calls, each asked twice
			if _, err := c.DeviceDetails(context.Background(), mor.DeviceQuery{ID: &dev}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st := f.sim.Stats()
	if st.MaxInFlight > 3 || st.MaxInFlight < 2 {
		t.Errorf("max in flight %d, want 2..3 (the cap is 3)", st.MaxInFlight)
	}
	if st.Requests != 12 || c.RequestCount() != 12 {
		t.Errorf("%d requests (client counted %d), want one per distinct call: 12", st.Requests, c.RequestCount())
	}
}

// Requests reuse keep-alive connections: no new TCP connection per request.
func TestKeepAliveConnectionReuse(t *testing.T) {
	// Not parallel: it counts TCP connections.
	data := morsim.Generate(7, smallSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewUnstartedServer(sim)
	var mu sync.Mutex
	conns := 0
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: data.APIKey, MaxConcurrentRequests: 3})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, d := range data.Devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Errors (devices outside the admin's scope) are answers too,
			// and must leave the connection reusable.
			_, _ = c.DeviceDetails(context.Background(), mor.DeviceQuery{ID: &d.ID})
		}()
	}
	wg.Wait()
	for i := range 10 { // sequential calls after the burst
		if _, err := c.CLIs(context.Background(), mor.CLIFilter{DeviceID: &data.Devices[i].ID}); err != nil && !errors.Is(err, mor.ErrNotFound) {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if n := sim.Stats().Requests; n != int64(len(data.Devices)+10) || conns > 3 {
		t.Errorf("%d requests over %d TCP connections; want %d requests over at most 3 (the cap)", n, conns, len(data.Devices)+10)
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://mor.example.com":          "https://mor.example.com/billing",
		"https://mor.example.com/":         "https://mor.example.com/billing",
		"https://mor.example.com/billing/": "https://mor.example.com/billing",
		"http://10.0.0.1:8080/mor":         "http://10.0.0.1:8080/mor",
		"http://[::1]:8080":                "http://[::1]:8080/billing",
		"https://[2001:db8::10]/billing/":  "https://[2001:db8::10]/billing",
	} {
		if got, err := mor.NormalizeBaseURL(in); err != nil || got != want {
			t.Errorf("%s: %s %v, want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "mor.example.com", "ftp://x", "https://u:p@x/billing", "https://x/billing?a=1"} {
		if _, err := mor.NormalizeBaseURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A Retry-After longer than the provider's longest wait says a retry within
// it would fail: the call ends with the answer, in one request. That holds
// for numbers past what a Duration holds, which go-retryablehttp's reading
// overflowed into a short wait, or none.
func TestRetryAfterLongerThanTheLongestWaitIsNotRetried(t *testing.T) {
	t.Parallel()
	for _, retryAfter := range []string{"3600", "9223372037", "18446744074", "99999999999999999999"} {
		t.Run(retryAfter, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				w.Header().Set("Retry-After", retryAfter)
				w.WriteHeader(http.StatusServiceUnavailable)
			}))
			t.Cleanup(srv.Close)
			c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "k",
				RetryWaitMin: time.Millisecond, RetryWaitMax: 30 * time.Second, MaxRetries: retries(3), Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.DIDs(context.Background(), mor.DIDFilter{})
			var respErr *mor.ResponseError
			if !errors.As(err, &respErr) || respErr.StatusCode != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "not retried: its Retry-After asks for a longer wait than the provider makes (30s), so try again later") {
				t.Errorf("error %v, want the 503 and that it was not retried", err)
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// An answer no later request of the method can get past (a wrong key, the
// API or GET switched off, no key on the server) is not asked again in the
// run: of many calls at once, only those already holding a slot reach MOR,
// and every call fails with MOR's answer.
func TestRunWideRefusalsAreNotAskedAgain(t *testing.T) {
	t.Parallel()
	const slots, calls = 2, 12
	for _, tc := range []struct {
		refusal string
		setup   func(*morsim.Server, *mor.Config)
	}{
		{"Incorrect hash", func(_ *morsim.Server, c *mor.Config) { c.SecretKey = "not-the-key" }},
		{"API Requests are disabled", func(s *morsim.Server, _ *mor.Config) { s.SetOptions(func(o *morsim.Options) { o.APIDisabled = true }) }},
		{"GET Requests are disabled", func(_ *morsim.Server, c *mor.Config) { c.HTTPMethod = http.MethodGet }},
		{"API must have Secret Key", func(s *morsim.Server, _ *mor.Config) { s.SetAPIKey("") }},
	} {
		t.Run(tc.refusal, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, smallSizes, morsim.Options{})
			c := f.client(t, "admin", func(c *mor.Config) {
				c.MaxConcurrentRequests = slots
				tc.setup(f.sim, c)
			})
			errs := <-f.lookUpDevicesAtOnce(context.Background(), c, calls)
			for i, err := range errs {
				var apiErr *mor.APIError
				if !errors.As(err, &apiErr) || apiErr.Known != tc.refusal {
					t.Errorf("call %d: %v, want MOR's %q", i, err, tc.refusal)
				}
			}
			if n := f.sim.Stats().ByMethod[morsim.MethodDeviceDetails]; n > slots {
				t.Errorf("MOR got %d requests for %d calls, want at most %d (the requests in flight when it first refused)", n, calls, slots)
			}
			// Another method is asked: the refusal is kept by method.
			if _, err := c.DIDs(context.Background(), mor.DIDFilter{}); err == nil || f.sim.Stats().ByMethod[morsim.MethodDIDs] != 1 {
				t.Errorf("dids_get after the refusal: %v, %d requests, want MOR's answer to its own request", err, f.sim.Stats().ByMethod[morsim.MethodDIDs])
			}
		})
	}
}

// Requests waiting for the rate limiter fail as soon as an answer shows they
// cannot succeed (MOR refused their method for the whole run, or asked in
// Retry-After for a longer wait than the provider makes and than their
// turns), instead of waiting for their turn first: they have their slots,
// but are not in flight. The limiter lets one request through every
// newsTurnInterval, so a request that waited for its turn would still be
// waiting when the test gives up, after newsGiveUpAfter.
const (
	newsTurnInterval = 2 * time.Hour
	newsGiveUpAfter  = 5 * time.Minute // within go test's default timeout
)

func TestRequestsWaitingForTheRateLimiterFailOnNews(t *testing.T) {
	t.Parallel()
	const slots = 3
	for _, tc := range []struct {
		name  string
		fault *morsim.Fault // nil: the wrong key alone
		want  func(error) bool
		// wantCount is how many calls fail with want: the request that went
		// out fails with MOR's answer, which is the same refusal, or a 503.
		wantCount int
	}{
		{"run-wide refusal", nil, func(err error) bool {
			var apiErr *mor.APIError
			return errors.As(err, &apiErr) && apiErr.Known == "Incorrect hash"
		}, slots},
		// The waiting requests' turns are within it.
		{"long Retry-After", &morsim.Fault{Status: http.StatusServiceUnavailable, RetryAfter: strconv.Itoa(int((5 * newsTurnInterval).Seconds()))}, func(err error) bool {
			return errors.Is(err, mor.ErrAskedToWait)
		}, slots - 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, smallSizes, morsim.Options{})
			if tc.fault != nil {
				f.sim.SetFault(morsim.MethodDeviceDetails, *tc.fault)
			}
			c := f.client(t, "admin", func(c *mor.Config) {
				c.SecretKey = "not-the-key"
				c.MaxConcurrentRequests = slots
				c.MaxRetries = retries(0)
				c.MaxRequestsPerSecond = 1 / newsTurnInterval.Seconds()
			})
			var errs []error
			select {
			case errs = <-f.lookUpDevicesAtOnce(t.Context(), c, slots):
			case <-time.After(newsGiveUpAfter):
				t.Fatalf("calls still waiting after %v, where the limiter's next turn is %v away: they waited for their turn", newsGiveUpAfter, newsTurnInterval)
			}
			wanted := 0
			for i, err := range errs {
				if err == nil {
					t.Errorf("call %d: no error", i)
				} else if tc.want(err) {
					wanted++
				}
			}
			if wanted != tc.wantCount {
				t.Errorf("%d of %d calls failed with the first answer's news, want %d: %v", wanted, slots, tc.wantCount, errs)
			}
			if n := f.sim.Stats().ByMethod[morsim.MethodDeviceDetails]; n != 1 {
				t.Errorf("MOR got %d requests, want 1", n)
			}
		})
	}
}

// A request whose turn under max_requests_per_second comes after its
// caller's deadline is not sent, so it is neither reported as a timeout nor
// retried: each retry would be refused the same way, and draw on the retry
// budget.
func TestTurnAfterTheDeadlineIsNeitherATimeoutNorRetried(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	c := f.client(t, "admin", func(c *mor.Config) {
		c.MaxRetries = retries(2)
		c.MaxRequestsPerSecond = 1.0 / 3600
	})
	if _, err := c.DIDs(t.Context(), mor.DIDFilter{}); err != nil {
		t.Fatalf("first call: %v", err)
	}
	// This call's deadline is before its turn.
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour/3)
	defer cancel()
	_, err := c.DIDs(ctx, mor.DIDFilter{Number: "1"})
	var transErr *mor.TransportError
	if !errors.As(err, &transErr) || !transErr.Permanent || transErr.Attempts != 1 ||
		!strings.Contains(err.Error(), "its turn under the requests-per-second limit would come after the deadline") ||
		strings.Contains(err.Error(), "request timeout") {
		t.Errorf("second call: %v; want a permanent transport error after one attempt, saying that its turn would come after the deadline", err)
	}
	if n := f.sim.Stats().ByMethod[morsim.MethodDIDs]; n != 1 {
		t.Errorf("MOR got %d requests, want 1", n)
	}
}

// A release sends a device record's id in every record or in none: once a
// record came with one, even one refused as another device's, a record
// without it could be another device's, and its password would be handed
// on as the asked device's.
func TestDeviceRecordWithoutIDAfterOneWithIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// first is the answer to the lookup of device 1, which has an id.
		first         string
		firstAccepted bool
	}{
		{"after an accepted record", `<page><id>1</id><username>one</username><secret>pw1</secret></page>`, true},
		{"after a record refused as another device's", `<page><id>6</id><username>106</username><secret>six-secret</secret></page>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := r.ParseForm(); err != nil {
					t.Error(err)
				}
				if r.PostForm.Get("device_id") == "1" {
					fmt.Fprint(w, tc.first)
				} else {
					fmt.Fprint(w, `<page><username>other</username><secret>pw-of-another</secret></page>`)
				}
			}))
			t.Cleanup(srv.Close)
			c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "k", MaxRetries: retries(0)})
			if err != nil {
				t.Fatal(err)
			}
			one, two := int64(1), int64(2)
			if _, err := c.DeviceDetails(context.Background(), mor.DeviceQuery{ID: &one}); (err == nil) != tc.firstAccepted {
				t.Fatalf("device 1's lookup: %v, want accepted %v", err, tc.firstAccepted)
			}
			got, err := c.DeviceDetails(context.Background(), mor.DeviceQuery{ID: &two})
			if !errors.Is(err, mor.ErrUnexpectedAnswer) || !strings.Contains(err.Error(), "a device record without <id>, where this MOR's earlier records had one") {
				t.Errorf("a record without id after one with it: %+v, %v; want it refused", got, err)
			}
		})
	}
}

// A status is one of MOR's five in any ASCII letter case only: "Reſerved"
// (a long s), which strings.EqualFold folds to "reserved", is a status MOR
// does not have, and fails the search as any such status does.
func TestDIDStatusIsMORsInASCIILettersOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ search, sent string }{
		{"reserved", "Re\u017ferved"},
		{"closed", "Clo\u017fed"},
	} {
		t.Run(tc.search, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><page><dids><did><did>37060000001</did><status>%s</status><id>1</id></did></dids></page>`, tc.sent)
			}))
			t.Cleanup(srv.Close)
			c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "k", MaxRetries: retries(0)})
			if err != nil {
				t.Fatal(err)
			}
			dids, err := c.DIDs(context.Background(), mor.DIDFilter{Status: tc.search})
			if err == nil {
				t.Errorf("a search for status %s listed a DID of status %q: %+v; want the search refused, as for any status MOR does not have", tc.search, tc.sent, dids)
			}
		})
	}
}

// A Retry-After longer than the provider waits holds for the whole run:
// the server said that no request would succeed before then, so no later
// call, of any method, sends one.
func TestLongRetryAfterHoldsForTheRun(t *testing.T) {
	t.Parallel()
	// Whether the call had retries left or not.
	for _, maxRetries := range []int{0, 3} {
		t.Run(fmt.Sprint(maxRetries), func(t *testing.T) {
			t.Parallel()
			longRetryAfterHoldsForTheRun(t, maxRetries)
		})
	}
}

func longRetryAfterHoldsForTheRun(t *testing.T, maxRetries int) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "k",
		RetryWaitMin: time.Millisecond, RetryWaitMax: 30 * time.Second, MaxRetries: retries(maxRetries), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.DIDs(ctx, mor.DIDFilter{}); err == nil {
		t.Fatal("a MOR answering 503 gave no error")
	}
	for i := range 5 {
		if _, err := c.CLIs(ctx, mor.CLIFilter{}); !errors.Is(err, mor.ErrAskedToWait) {
			t.Errorf("call %d after the Retry-After: %v, want ErrAskedToWait", i+1, err)
		}
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1: the server asked for an hour", n)
	}
}
