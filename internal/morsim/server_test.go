package morsim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestServerHashRules(t *testing.T) {
	t.Parallel()
	data := Generate(1, Sizes{Users: 2, Devices: 4, DIDs: 3, CLIs: 2})
	s := New(data, Options{})
	key := data.APIKey
	// devices_get reads user_id as an integer: "03" hashes as "3".
	if got := post(t, s, MethodDevices, url.Values{"u": {"admin"}, "user_id": {"03"}, "hash": {HashOf("3" + key)}}); !strings.Contains(got, "<devices>") {
		t.Errorf("user_id 03 with the hash of 3: %s", got)
	}
	if got := post(t, s, MethodDevices, url.Values{"u": {"admin"}, "user_id": {"3"}, "hash": {HashOf("03" + key)}}); !strings.Contains(got, "<status>\n  <error>Incorrect hash</error>") {
		t.Errorf("hash of 03: %s", got)
	}
	// device_u alone: the key alone.
	name := data.Devices[0].Fields["username"]
	if got := post(t, s, MethodDeviceDetails, url.Values{"u": {"admin"}, "device_u": {name}, "hash": {HashOf(key)}}); !strings.Contains(got, "<secret>") {
		t.Errorf("device_u: %s", got)
	}
	// dids_get hashes the key alone, whatever the filters.
	if got := post(t, s, MethodDIDs, url.Values{"u": {"admin"}, "search_status": {"free"}, "hash": {HashOf(key)}}); strings.Contains(got, "Incorrect hash") {
		t.Errorf("dids_get: %s", got)
	}
	if got := post(t, s, "no_such", url.Values{"u": {"admin"}, "hash": {HashOf(key)}}); !strings.Contains(got, "There is no such API") {
		t.Errorf("unknown method: %s", got)
	}
}

func TestServerDIDPagingAndQuirk(t *testing.T) {
	t.Parallel()
	data := Generate(1, Sizes{Resellers: 1, Users: 4, Devices: 8, DIDs: 60})
	s := New(data, Options{})
	form := url.Values{"u": {"admin"}, "hash": {HashOf(data.APIKey)}, "from": {"5"}, "max_results": {"10"}}
	if got := strings.Count(post(t, s, MethodDIDs, form), "<did>\n"); got != 10 {
		t.Errorf("paging: %d DIDs, want 10", got)
	}
	reserved, resellerOwned := 0, 0
	for _, d := range data.DIDs {
		if d.Status == "reserved" || d.ResellerID != 0 {
			reserved++
		}
		if d.ResellerID != 0 && d.Status != "reserved" {
			resellerOwned++
		}
	}
	if resellerOwned == 0 {
		t.Fatal("the dataset has no reseller DIDs to show the quirk with")
	}
	form = url.Values{"u": {"admin"}, "hash": {HashOf(data.APIKey)}, "search_status": {"Reserved"}}
	if got := strings.Count(post(t, s, MethodDIDs, form), "<did>\n"); got != reserved {
		t.Errorf("status=reserved: %d DIDs, want %d (reserved plus every reseller DID)", got, reserved)
	}
}

func TestServerDIDStatusSearchLeavesOutResellerDIDs(t *testing.T) {
	t.Parallel()
	data := Generate(1, Sizes{Resellers: 1, Users: 4, Devices: 8, DIDs: 60})
	reseller := data.Users[len(data.Users)-1].ID
	for _, u := range data.Users {
		if u.Role == RoleReseller {
			reseller = u.ID
		}
	}
	// A reseller's pool: a free DID assigned to the reseller, no user yet.
	var pooled, resellerActive *DID
	for i := range data.DIDs {
		d := &data.DIDs[i]
		switch {
		case pooled == nil && d.Status == "free":
			d.ResellerID = reseller
			pooled = d
		case resellerActive == nil && d.Status == "active" && d.ResellerID != 0:
			resellerActive = d
		}
	}
	if pooled == nil || resellerActive == nil {
		t.Fatal("the dataset has no free DID, or no active DID of a reseller")
	}
	s := New(data, Options{})
	search := func(status string) string {
		form := url.Values{"u": {"admin"}, "hash": {HashOf(data.APIKey)}}
		if status != "" {
			form.Set("search_status", status)
		}
		return post(t, s, MethodDIDs, form)
	}
	for _, d := range []*DID{pooled, resellerActive} {
		tag := "<did>" + d.Number + "</did>"
		if got := search(d.Status); strings.Contains(got, tag) {
			t.Errorf("status=%s lists reseller DID %s: MOR adds reseller_id = 0 for the admin", d.Status, d.Number)
		}
		if got := search(""); !strings.Contains(got, tag) {
			t.Errorf("a search without status lacks reseller DID %s", d.Number)
		}
	}
	if got := search("free"); !strings.Contains(got, "<status>Free</status>") {
		t.Errorf("status=free lists no DID of the admin's own:\n%.300s", got)
	}
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	data, err := LoadFile("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	s := New(data, Options{})
	got := post(t, s, MethodDeviceDetails, url.Values{"u": {"admin"}, "device_id": {"5"}, "hash": {HashOf("5" + data.APIKey)}})
	// Only & < > are escaped; quotes stay as they are.
	for _, want := range []string{"<id>5 </id>", `"101" &lt;101&gt;`, "vauvszef", "<audio_codecs>alaw, ulaw</audio_codecs>", "<video_codecs/>"} {
		if !strings.Contains(got, want) {
			t.Errorf("device 5 lacks %q:\n%.600s", want, got)
		}
	}
}

func TestServerCountsAbandonedAnswers(t *testing.T) {
	t.Parallel()
	data := Generate(1, Sizes{Users: 2, Devices: 4, DIDs: 3, CLIs: 2})
	s := New(data, Options{})
	s.SetFault(MethodDIDs, Fault{Latency: time.Hour, Times: 1})
	form := url.Values{"u": {"admin"}, "hash": {HashOf(data.APIKey)}}

	// A client that hangs up on the stalled answer.
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/billing/api/"+MethodDIDs, strings.NewReader(form.Encode())).WithContext(ctx)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan struct{})
	go func() { s.ServeHTTP(httptest.NewRecorder(), req); close(done) }()
	cancel()
	<-done
	// A client that gets its answer.
	post(t, s, MethodDIDs, form)

	if st := s.Stats(); st.Abandoned != 1 || st.Requests != 2 {
		t.Errorf("%d abandoned of %d requests, want 1 of 2", st.Abandoned, st.Requests)
	}
}

// The API answers only at <web root>/api/<method>, as MOR's does: a url
// that adds /api itself, or a deeper web root, gets a 404.
func TestAPIPathsOutsideTheWebRootAreNotFound(t *testing.T) {
	t.Parallel()
	s := New(Generate(1, Sizes{Users: 1}), Options{})
	for path, want := range map[string]int{
		"/billing/api/dids_get":     http.StatusOK,
		"/mor/api/dids_get":         http.StatusOK,
		"/billing/api/api/dids_get": http.StatusNotFound,
		"/a/billing/api/dids_get":   http.StatusNotFound,
		"/billing/dids_get":         http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, nil))
		if rec.Code != want {
			t.Errorf("POST %s: status %d, want %d", path, rec.Code, want)
		}
	}
}
