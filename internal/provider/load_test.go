package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// Tests of the load the provider puts on MOR (issue 20): request slots
// against request_timeout, the client-wide retry budget and
// max_requests_per_second, each measured by the server through a plan of
// the built provider.

// loadMOR stands in front of the simulator as a MOR that works on every
// request it has taken for delay, even one the client has hung up on (as
// Rails behind Passenger does), and counts what it sees.
type loadMOR struct {
	sim   *morsim.Server
	data  *morsim.Dataset
	delay time.Duration
	// status, when set, answers every API request with it instead.
	status int

	mu                    sync.Mutex
	inProgress, most, all int
	arrivals              []time.Time
}

func newLoadMOR(t *testing.T, devices int, delay time.Duration) (*loadMOR, string) {
	t.Helper()
	data := morsim.Generate(5, morsim.Sizes{Users: 1, Devices: devices})
	m := &loadMOR{sim: morsim.New(data, morsim.Options{}), data: data, delay: delay}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv.URL + "/billing"
}

func (m *loadMOR) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.all++
	m.inProgress++
	m.most = max(m.most, m.inProgress)
	m.arrivals = append(m.arrivals, time.Now())
	m.mu.Unlock()
	// Not cut short when the client hangs up: MOR finishes what it started.
	time.Sleep(m.delay)
	rec := httptest.NewRecorder()
	if m.status != 0 {
		rec.Header().Set("Content-Type", "text/html")
		rec.WriteHeader(m.status)
		_, _ = rec.WriteString("<html><head><title>Service Unavailable</title></head><body>nginx</body></html>\n")
	} else {
		m.sim.ServeHTTP(rec, r)
	}
	// The request stops counting before any byte of the answer leaves, so
	// a client can never see it finished while it is still counted.
	m.mu.Lock()
	m.inProgress--
	m.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (m *loadMOR) counts() (all, most int, arrivals []time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.all, m.most, append([]time.Time(nil), m.arrivals...)
}

// deviceLookups is a configuration reading every device of m with
// mor_device, one lookup each (for_each), with the given provider settings.
func (m *loadMOR) deviceLookups(url string, settings ...string) string {
	var ids []string
	for _, d := range m.data.Devices {
		ids = append(ids, fmt.Sprintf("%q", fmt.Sprint(d.ID)))
	}
	return morProviderRequirement + fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = %q
  %s
}
data "mor_device" "each" {
  for_each  = toset([%s])
  device_id = tonumber(each.key)
}
output "usernames" {
  value = { for id, d in data.mor_device.each : id => d.username }
}
`, url, m.data.APIKey, strings.Join(settings, "\n  "), strings.Join(ids, ", "))
}

// Waiting for a free request slot is not part of request_timeout, and MOR
// never has more requests of the provider in progress than
// max_concurrent_requests, even while Terraform reads 30 at once.
func TestRequestSlotsAndTimeout(t *testing.T) {
	t.Parallel()
	const lookups, slots = 30, 2
	m, url := newLoadMOR(t, lookups, time.Second)
	tf := newCLIRunner(t, m.deviceLookups(url, fmt.Sprintf("max_concurrent_requests = %d", slots), `request_timeout = "3s"`, "max_retries = 0"))
	out, err := tf.run("plan", "-input=false", "-no-color", "-parallelism=30")
	all, most, _ := m.counts()
	t.Logf("%d requests, at most %d in progress at MOR at once", all, most)
	if err != nil {
		t.Errorf("the plan failed:\n%s", out)
	}
	if n := strings.Count(out, `= "`); err == nil && n < lookups {
		t.Errorf("%d usernames planned, want %d:\n%s", n, lookups, out)
	}
	if most > slots {
		t.Errorf("MOR had %d requests in progress at once, over max_concurrent_requests = %d", most, slots)
	}
}

// A request given up on at request_timeout keeps its slot while MOR is
// still working on it: a MOR that answers in 2.2 s, after the 2 s timeout,
// never has more requests in progress than max_concurrent_requests. The
// provider keeps the slot for at most one more timeout, two in all, so only
// a request reaching MOR later than two timeouts less MOR's time could be
// counted beside the next one: margin enough for a loaded machine.
func TestAbandonedRequestsKeepTheirSlots(t *testing.T) {
	t.Parallel()
	const lookups, slots = 6, 2
	m, url := newLoadMOR(t, lookups, 2200*time.Millisecond)
	tf := newCLIRunner(t, m.deviceLookups(url, fmt.Sprintf("max_concurrent_requests = %d", slots), `request_timeout = "2s"`, "max_retries = 1"))
	out, err := tf.run("plan", "-input=false", "-no-color", "-parallelism=6")
	if err == nil || !errorRe("no answer within the request timeout of 2s").MatchString(out) {
		t.Errorf("want the plan to fail on the timeout, got %v:\n%s", err, out)
	}
	all, most, _ := m.counts()
	t.Logf("%d requests, at most %d in progress at MOR at once", all, most)
	if most > slots {
		t.Errorf("MOR had %d requests in progress at once, over max_concurrent_requests = %d", most, slots)
	}
}

// A MOR that fails every request gets about one request per lookup: the
// retries of the whole plan draw on one small budget.
func TestRetryBudgetAgainstFailingMOR(t *testing.T) {
	t.Parallel()
	const lookups = 50
	m, url := newLoadMOR(t, lookups, 0)
	m.status = http.StatusServiceUnavailable
	tf := newCLIRunner(t, m.deviceLookups(url))
	out, err := tf.run("plan", "-input=false", "-no-color")
	all, _, _ := m.counts()
	t.Logf("%d requests for %d lookups", all, lookups)
	if err == nil || !errorRe("Unusable Answer from MOR").MatchString(out) || !errorRe("HTTP status 503").MatchString(out) {
		t.Errorf("want the plan to fail on HTTP 503, got %v:\n%s", err, out)
	}
	if all > 60 {
		t.Errorf("%d requests for %d lookups, want at most 60", all, lookups)
	}
}

// A MOR that takes every request and never answers in time: once the
// budget is spent, reads fail at once instead of each waiting out its
// timeouts (and piling more requests on MOR): the plan sends about the
// budget's worth of requests, not one or more per lookup.
func TestHangingMORIsNotCalledAgainAndAgain(t *testing.T) {
	t.Parallel()
	const lookups = 50
	m, url := newLoadMOR(t, lookups, 5*time.Second)
	tf := newCLIRunner(t, m.deviceLookups(url, "max_concurrent_requests = 2", `request_timeout = "1s"`))
	out, err := tf.run("plan", "-input=false", "-no-color", "-parallelism=10")
	all, most, _ := m.counts()
	t.Logf("%d requests for %d lookups, at most %d in progress", all, lookups, most)
	if err == nil || !errorRe("no answer within the request timeout of 1s").MatchString(out) ||
		!errorRe("not sent: every recent request of this run to MOR failed").MatchString(out) ||
		!errorRe("Run the plan again once MOR answers.").MatchString(out) {
		t.Errorf("want the plan to fail on timeouts, then at once, got %v:\n%s", err, out)
	}
	// The budget's requests, and a probe or two if the plan outlasts the
	// probe interval on a slow machine.
	if limit := mor.RetryBudgetTokens + 3; all > limit {
		t.Errorf("%d requests for %d lookups of a hanging MOR, want at most %d", all, lookups, limit)
	}
}

// max_requests_per_second holds as MOR sees it: no stretch of time holds
// more requests than the rate allows plus one (the limiter's burst), and one
// more for the network's jitter. At one request a second, that one more
// allows a request a second late to reach MOR beside the next, which a loaded
// machine's delays stay under.
func TestMaxRequestsPerSecond(t *testing.T) {
	t.Parallel()
	const lookups, rate = 10, 1.0
	m, url := newLoadMOR(t, lookups, 0)
	tf := newCLIRunner(t, m.deviceLookups(url, fmt.Sprintf("max_requests_per_second = %v", rate)))
	out, err := tf.run("plan", "-input=false", "-no-color", "-parallelism=10")
	if err != nil {
		t.Fatalf("the plan failed:\n%s", out)
	}
	all, _, arrivals := m.counts()
	if all < lookups {
		t.Fatalf("%d requests for %d lookups", all, lookups)
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	for i := range arrivals {
		for j := i + 1; j < len(arrivals); j++ {
			window := arrivals[j].Sub(arrivals[i]).Seconds()
			if allowed := rate*window + 2; float64(j-i+1) > allowed {
				t.Fatalf("MOR saw %d requests within %.2f s; max_requests_per_second = %v allows %.1f", j-i+1, window, rate, allowed)
			}
		}
	}
}

// max_requests_per_second must allow some requests: an attribute error at
// plan time otherwise.
func TestMaxRequestsPerSecondValidated(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	for _, bad := range []string{"0", "-1", "0.001"} {
		resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{{
			Config:      sim.providerConfig("max_requests_per_second = "+bad) + `data "mor_dids" "x" {}`,
			ExpectError: errorRe("Attribute max_requests_per_second value must be at least 0.01"),
		}}})
	}
	if n := sim.Stats().Requests; n != 0 {
		t.Errorf("%d requests sent with an invalid max_requests_per_second", n)
	}
}
