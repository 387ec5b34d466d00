package mor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// A hostile MOR, or a WAF or caching proxy in front of it, may have seen
// every hash of the run and quote an earlier request's in the answer to a
// later one, of another method or of the same for another id: neither the
// error nor the log shows it. (The hash of dids_get and device_clis_get is
// SHA-1 of the key alone, which opens those methods as the key does.)
func TestOtherRequestsHashesAreRedacted(t *testing.T) {
	t.Parallel()
	const key = "hashes-quoted-key"
	for _, tc := range []struct {
		name string
		// first is made, then second, whose answer quotes first's hash.
		first, second func(context.Context, *mor.Client) error
		firstHash     string
	}{
		{
			name: "dids_get hash (the key alone) in a devices_get error",
			first: func(ctx context.Context, c *mor.Client) error {
				_, err := c.DIDs(ctx, mor.DIDFilter{})
				return err
			},
			second: func(ctx context.Context, c *mor.Client) error {
				_, err := c.Devices(ctx, 7)
				return err
			},
			firstHash: simHash(key),
		},
		{
			name: "device 5's hash in device 6's error",
			first: func(ctx context.Context, c *mor.Client) error {
				id := int64(5)
				_, err := c.DeviceDetails(ctx, mor.DeviceQuery{ID: &id})
				return err
			},
			second: func(ctx context.Context, c *mor.Client) error {
				id := int64(6)
				_, err := c.DeviceDetails(ctx, mor.DeviceQuery{ID: &id})
				return err
			},
			firstHash: simHash("5" + key),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var seen []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				mu.Lock()
				defer mu.Unlock()
				if len(seen) == 0 {
					seen = append(seen, r.PostForm.Get("hash"))
					switch path.Base(r.URL.Path) {
					case "dids_get":
						fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><page><status><error>No DIDs found</error></status></page>`)
					default:
						fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><page><id>5</id><username>105</username></page>`)
					}
					return
				}
				// The later answer: a block page quoting the earlier request.
				fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><page><error>Request blocked; last request was hash=%s</error></page>`, seen[0])
			}))
			t.Cleanup(srv.Close)
			var logMu sync.Mutex
			var logged strings.Builder
			c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: key, MaxRetries: retries(0),
				RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
				Log: func(_ context.Context, _ mor.Level, msg string, fields map[string]any) {
					logMu.Lock()
					fmt.Fprintf(&logged, "%s %v\n", msg, fields)
					logMu.Unlock()
				}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := tc.first(ctx, c); err != nil {
				t.Fatalf("first call: %v", err)
			}
			mu.Lock()
			first := seen[0]
			mu.Unlock()
			if first != tc.firstHash {
				t.Fatalf("the first request's hash is %s, want %s", first, tc.firstHash)
			}
			err = tc.second(ctx, c)
			if err == nil {
				t.Fatal("second call succeeded")
			}
			if strings.Contains(strings.ToLower(err.Error()), tc.firstHash) {
				t.Errorf("the error quotes the earlier request's hash %s: %v", tc.firstHash, err)
			}
			logMu.Lock()
			defer logMu.Unlock()
			if strings.Contains(strings.ToLower(logged.String()), tc.firstHash) {
				t.Errorf("the log quotes the earlier request's hash %s", tc.firstHash)
			}
		})
	}
}
