package provider

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The fault matrix: every fault the simulator injects, for each of the five data
// sources, through Terraform. A cell either recovers (the fault clears and
// retries get MOR's true answer) or fails the plan with an error naming the
// fault; never an empty list, never a hang. DESIGN.md holds the same table
// (TestFaultMatrixIsDocumented keeps them equal).

const (
	matrixTimeout = time.Second
	matrixRetries = 2
	recovers      = "recovers after retries"
)

type faultCell struct {
	fault   string // as in the docs
	outcome string // `recovers` or "fails: <what the error says>"
	// inject sets the fault up; provider returns extra provider settings.
	inject   func(s *testSim)
	provider func(s *testSim) string
	// errorPhrase is matched (whitespace-tolerant) against the error.
	errorPhrase string
	// stalls marks faults the client must give up on at request_timeout:
	// the simulator must see it hang up.
	stalls bool
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

var sampleAnswer = []byte(`<?xml version="1.0" encoding="UTF-8"?>
<page>
  <dids>
    <did>
      <did>37060000001</did>
      <status>Active</status>
      <id>1</id>
    </did>
  </dids>
</page>
`)

func faultMatrix() []faultCell {
	fault := func(f morsim.Fault) func(*testSim) {
		return func(s *testSim) { s.SetFault("", f) }
	}
	body := func(b []byte) func(*testSim) { return fault(morsim.Fault{Body: b}) }
	truncatedGzip := gzipped(bytes.Repeat(sampleAnswer, 50))
	truncatedGzip = truncatedGzip[:len(truncatedGzip)/2]
	errorShape := func(doc, msg string) func(*testSim) {
		return body([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + strings.ReplaceAll(doc, "%s", msg)))
	}
	return []faultCell{
		{fault: "connection refused", outcome: "fails: Unable to Reach MOR (connection refused)",
			provider: func(s *testSim) string { return fmt.Sprintf("url = %q", s.closedURL) },
			// Nothing answered: no advice on timeouts.
			errorPhrase: "connection refused (after 3 attempts). Check url / MOR_URL and that MOR is reachable from where Terraform runs. "},
		{fault: "DNS failure", outcome: "fails: Unable to Reach MOR (no such host)",
			provider: func(*testSim) string {
				return fmt.Sprintf("url = %q", "http://"+strings.Repeat("x", 64)+".example/billing")
			}, errorPhrase: "no such host"},
		{fault: "no answer within request_timeout, once", outcome: recovers, inject: fault(morsim.Fault{Latency: 30 * time.Second, Times: 1}), stalls: true},
		{fault: "no answer within request_timeout, always", outcome: "fails: Unable to Reach MOR (no answer within the request timeout)",
			inject: fault(morsim.Fault{Latency: 60 * time.Second}), errorPhrase: "no answer within the request timeout of 1s (after 3 attempts)", stalls: true},
		{fault: "body slower than request_timeout, always", outcome: "fails: Unable to Reach MOR (the connection failed while reading the answer)",
			inject: fault(morsim.Fault{SlowBody: 700 * time.Millisecond}), errorPhrase: "the connection failed while reading the answer: no answer within the request timeout", stalls: true},
		{fault: "connection reset before the answer, once", outcome: recovers, inject: fault(morsim.Fault{Reset: true, Times: 1})},
		{fault: "connection reset mid-body, once", outcome: recovers, inject: fault(morsim.Fault{ResetMidBody: true, Times: 1})},
		{fault: "connection reset mid-body, always", outcome: "fails: Unable to Reach MOR (the connection failed while reading the answer)",
			inject: fault(morsim.Fault{ResetMidBody: true}), errorPhrase: "the connection failed while reading the answer"},
		{fault: "HTTP 500, once", outcome: recovers, inject: fault(morsim.Fault{Status: 500, Times: 1})},
		{fault: "HTTP 502, once", outcome: recovers, inject: fault(morsim.Fault{Status: 502, Times: 1})},
		// Retry-After 0: the tests' longest wait is shorter than a second,
		// and a longer Retry-After is not retried (the cell below).
		{fault: "HTTP 503 with Retry-After, twice", outcome: recovers, inject: fault(morsim.Fault{Status: 503, RetryAfter: "0", Times: 2})},
		{fault: "HTTP 503 with a Retry-After of an hour", outcome: "fails at once: Unusable Answer from MOR (HTTP 503, not retried: try again later)",
			inject: fault(morsim.Fault{Status: 503, RetryAfter: "3600"}), errorPhrase: "not retried: its Retry-After asks for a longer wait than the provider makes"},
		{fault: "HTTP 503 without Retry-After, twice", outcome: recovers, inject: fault(morsim.Fault{Status: 503, Times: 2})},
		{fault: "HTTP 503, always", outcome: "fails: Unusable Answer from MOR (HTTP 503, after 3 attempts)",
			inject: fault(morsim.Fault{Status: 503}), errorPhrase: "(HTTP 503): HTTP status 503 from the server or a proxy in front of it (MOR itself always answers 200) (after 3 attempts)"},
		{fault: "HTTP 429 with Retry-After, once", outcome: recovers, inject: fault(morsim.Fault{Status: 429, RetryAfter: "0", Times: 1})},
		{fault: "HTML login page with status 200", outcome: "fails: Unusable Answer from MOR (an HTML page)",
			inject: fault(morsim.Fault{HTML: true}), errorPhrase: `the answer is an HTML page, not a MOR API answer; its title: "MOR: Login"`},
		{fault: "plain-text maintenance page with status 200", outcome: "fails: Unusable Answer from MOR (not XML)",
			inject: body([]byte("Down for maintenance, back at 14:00")), errorPhrase: `the answer is not XML; it begins: "Down for maintenance`},
		{fault: "empty body", outcome: "fails: Unusable Answer from MOR (empty)", inject: body([]byte{}), errorPhrase: "the answer is empty"},
		{fault: "truncated XML", outcome: "fails: Unusable Answer from MOR (truncated)", inject: fault(morsim.Fault{Truncate: true}), errorPhrase: "(truncated)"},
		{fault: "truncated gzip", outcome: "fails: Unusable Answer from MOR (truncated)", inject: body(truncatedGzip), errorPhrase: "(truncated)"},
		{fault: "body over max_response_bytes", outcome: "fails: Unusable Answer from MOR (exceeds the limit)",
			inject: body(bytes.Repeat(sampleAnswer[:len(sampleAnswer)-8], 40)), provider: func(*testSim) string { return "max_response_bytes = 4096" },
			errorPhrase: "exceeds 4096 bytes"},
		{fault: "gzip bomb", outcome: "fails: Unusable Answer from MOR (answer too large)",
			inject: body(morsim.GzipBomb(512 << 20)), errorPhrase: "answer too large"},
		{fault: "invalid UTF-8", outcome: "fails: Unusable Answer from MOR (not valid UTF-8)",
			inject: body([]byte("<page><dids><did><did>\xff\xfe</did></did></dids></page>")), errorPhrase: "is not valid UTF-8"},
		{fault: "<error> in <status>", outcome: "fails: MOR Rejected the Request (MOR's message quoted)",
			inject: errorShape("<status><error>%s</error></status>", "Incorrect hash"), errorPhrase: "MOR answered: Incorrect hash."},
		{fault: "<error> in <page>", outcome: "fails: MOR Rejected the Request (MOR's message quoted)",
			inject: errorShape("<page><error>%s</error></page>", "Access Denied"), errorPhrase: "MOR answered: Access Denied."},
		{fault: "bare <error>", outcome: "fails: MOR Rejected the Request (MOR's message quoted)",
			inject: errorShape("<error>%s</error>", "You are not authorized to view this page"), errorPhrase: "MOR answered: You are not authorized to view this page."},
		{fault: "<error> in <page><status>", outcome: "fails: MOR Rejected the Request (MOR's message quoted)",
			inject: errorShape("<page><status><error>%s</error></status></page>", "User was not found"), errorPhrase: "MOR answered: User was not found."},
		{fault: "<status>Bad login</status>", outcome: "fails: MOR Rejected the Request (MOR's message quoted)",
			inject: errorShape("<page><status><status>%s</status></status></page>", "Bad login"), errorPhrase: "MOR answered: Bad login."},
		{fault: "GET Requests are disabled", outcome: "fails: MOR Rejected the Request (use POST)",
			provider: func(*testSim) string { return `http_method = "GET"` }, errorPhrase: `MOR answered: GET Requests are disabled. Use http_method = "POST"`},
		{fault: "API Requests are disabled", outcome: "fails: MOR Rejected the Request (switch the API on)",
			inject: func(s *testSim) { s.SetOptions(func(o *morsim.Options) { o.APIDisabled = true }) }, errorPhrase: "MOR answered: API Requests are disabled. An admin must switch the API on"},
		{fault: "Incorrect hash (wrong key)", outcome: "fails: MOR Rejected the Request (check api_secret_key)",
			provider: func(*testSim) string { return `api_secret_key = "not-the-key"` }, errorPhrase: "MOR answered: Incorrect hash. Check api_secret_key / MOR_API_SECRET_KEY"},
	}
}

// matrixDataSource is a data source with a configuration that succeeds
// without faults (and the provider settings it needs), the API method it
// calls, and a check that the state holds MOR's true answer.
type matrixDataSource struct {
	name, config, settings, method string
	check                          resource.TestCheckFunc
}

// matrixDataSources are the five data sources.
func matrixDataSources(s *testSim) []matrixDataSource {
	user := s.user("user1")
	devices := s.devicesOf(user.ID)
	dev := devices[0]
	return []matrixDataSource{
		{"mor_devices", fmt.Sprintf(`data "mor_devices" "x" { user_id = %d }`, user.ID), "", morsim.MethodDevices,
			resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("data.mor_devices.x", "devices.#", fmt.Sprint(len(devices))),
				resource.TestCheckResourceAttr("data.mor_devices.x", "devices.0.device_id", fmt.Sprint(dev.ID)))},
		{"mor_device", fmt.Sprintf(`data "mor_device" "x" { device_id = %d }`, dev.ID), "", morsim.MethodDeviceDetails,
			resource.TestCheckResourceAttr("data.mor_device.x", "username", dev.Fields["username"])},
		{"mor_dids", `data "mor_dids" "x" {}`, "", morsim.MethodDIDs,
			resource.TestCheckResourceAttr("data.mor_dids.x", "dids.#", fmt.Sprint(len(s.Data.DIDs)))},
		{"mor_device_clis", `data "mor_device_clis" "x" {}`, "", morsim.MethodCLIs,
			resource.TestCheckResourceAttr("data.mor_device_clis.x", "clis.#", fmt.Sprint(len(s.Data.CLIs)))},
		{"mor_users", `data "mor_users" "x" {}`, fmt.Sprintf("password = %q", morsim.PasswordOf("admin")), morsim.MethodUsers,
			resource.TestCheckResourceAttr("data.mor_users.x", "users.#", fmt.Sprint(len(s.usersSeenBy("admin", nil))))},
	}
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	// The configurations depend only on the (deterministic) dataset, so
	// one simulator's serves every cell's own simulator.
	dataSources := matrixDataSources(newTestSim(t))
	for _, cell := range faultMatrix() {
		for _, ds := range dataSources {
			t.Run(ds.name+"/"+cell.fault, func(t *testing.T) {
				// Each cell has a simulator of its own, and most wait on
				// timeouts: they run side by side.
				t.Parallel()
				sim := newTestSim(t)
				sim.closedURL = closedURL(t)
				extra := []string{fmt.Sprintf("request_timeout = %q", matrixTimeout), fmt.Sprintf("max_retries = %d", matrixRetries)}
				if ds.settings != "" {
					extra = append(extra, ds.settings)
				}
				if cell.provider != nil {
					extra = append(extra, cell.provider(sim))
				}
				config := providerBlockWithOverrides(sim, extra) + ds.config
				step := resource.TestStep{
					PreConfig: func() {
						if cell.inject != nil {
							cell.inject(sim)
						}
					},
					Config: config,
				}
				if cell.outcome == recovers {
					step.Check = resource.ComposeTestCheckFunc(ds.check, func(*terraform.State) error {
						if n := sim.Stats().ByMethod[ds.method]; n < 2 {
							return fmt.Errorf("%d %s requests: the fault was not retried", n, ds.method)
						}
						return nil
					})
				} else {
					step.ExpectError = errorRe(cell.errorPhrase)
				}
				resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{step}})
				if n := sim.Stats().ByMethod[ds.method]; strings.HasPrefix(cell.outcome, "fails at once") && n != 1 {
					t.Errorf("%d %s requests, want 1: the outcome says at once", n, ds.method)
				}
				// Not a clock: a stalled answer must have been given up on
				// at request_timeout by every attempt the configuration
				// allows (one, when the fault clears after it), which the
				// simulator sees as the client hanging up.
				if cell.stalls {
					attempts := int64(matrixRetries + 1)
					if cell.outcome == recovers {
						attempts = 1
					}
					waitForAbandoned(t, sim, attempts)
				}
			})
		}
	}
}

// waitForAbandoned fails the test unless the simulator saw the client hang
// up on want stalled answers. The server notices a closed connection
// asynchronously, so it is given a moment (this is not a speed check).
func waitForAbandoned(t *testing.T, sim *testSim, want int64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); sim.Stats().Abandoned < want; {
		if time.Now().After(deadline) {
			t.Errorf("the simulator saw the client hang up on %d stalled answers, want %d: a stalled answer was waited out", sim.Stats().Abandoned, want)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// DESIGN.md's fault table is the matrix above, row for row.
func TestFaultMatrixIsDocumented(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| (.+?) \| (.+?) \|$`)
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(raw), -1) {
		documented[strings.Trim(m[1], "`")] = m[2]
	}
	seen := map[string]bool{}
	for _, cell := range faultMatrix() {
		seen[cell.fault] = true
		if got, ok := documented[cell.fault]; !ok || got != cell.outcome {
			t.Errorf("DESIGN.md's row for %q: %q, want %q", cell.fault, got, cell.outcome)
		}
	}
	for fault, outcome := range documented {
		if strings.HasPrefix(outcome, "fails:") || outcome == recovers {
			if !seen[fault] {
				t.Errorf("DESIGN.md lists %q, which the matrix does not test", fault)
			}
		}
	}
}
