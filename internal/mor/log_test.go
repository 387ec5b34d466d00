package mor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// entrySink keeps each log entry whole, to check its fields.
type entrySink struct {
	mu      sync.Mutex
	entries map[string]map[string]any
}

func (s *entrySink) log(_ context.Context, _ mor.Level, msg string, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[string]map[string]any{}
	}
	s.entries[msg] = fields
}

// field returns an entry's field, failing when the entry or field is missing.
func (s *entrySink) field(t *testing.T, msg, key string) any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	fields, ok := s.entries[msg]
	if !ok {
		t.Fatalf("no %q entry among %d", msg, len(s.entries))
	}
	v, ok := fields[key]
	if !ok {
		t.Fatalf("the %q entry has no %s: %v", msg, key, fields)
	}
	return v
}

// Each request is logged with what it asked and how it ended: the request,
// the answer's status, MOR's error and a redirect's target.
func TestLogEntriesDescribeEachRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	sink := &entrySink{}
	c := f.client(t, "admin", func(cfg *mor.Config) { cfg.Log = sink.log })
	device := f.data.Devices[0].ID
	if _, err := c.DeviceDetails(t.Context(), mor.DeviceQuery{ID: &device}); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{"mor_method": "device_details_get", "http_method": "POST", "url": f.srv.URL + "/billing/api/device_details_get", "param_device_id": strconv.FormatInt(device, 10)} {
		if got := sink.field(t, "calling MOR API", key); got != want {
			t.Errorf("calling MOR API: %s = %v, want %v", key, got, want)
		}
	}
	for key, want := range map[string]any{"mor_method": "device_details_get", "http_status": 200, "attempts": 1} {
		if got := sink.field(t, "MOR API answered", key); got != want {
			t.Errorf("MOR API answered: %s = %v, want %v", key, got, want)
		}
	}
	sink.field(t, "MOR API answered", "elapsed_ms")

	missing := int64(999999)
	if _, err := c.DeviceDetails(t.Context(), mor.DeviceQuery{ID: &missing}); err == nil {
		t.Fatal("a missing device was found")
	}
	if got, _ := sink.field(t, "MOR API answered with an error", "mor_error").(string); got == "" {
		t.Errorf("MOR's error is not logged")
	}

	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://mor.example/billing/api/device_details_get", http.StatusFound)
	}))
	t.Cleanup(redirecting.Close)
	rc := f.client(t, "admin", func(cfg *mor.Config) { cfg.BaseURL, cfg.Log = redirecting.URL, sink.log })
	if _, err := rc.DeviceDetails(t.Context(), mor.DeviceQuery{ID: &device}); err == nil {
		t.Fatal("a redirect was followed")
	}
	if got := sink.field(t, "MOR API request redirected", "location"); got != "https://mor.example/billing/api/device_details_get" {
		t.Errorf("redirect logged with location %v", got)
	}
}
