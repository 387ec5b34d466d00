package mor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// logSink collects every log entry and error text of a test, so the test can
// assert that no secret ever reached them.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) log(_ context.Context, _ mor.Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (l *logSink) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

// assertNoSecrets fails when the key, the password, any hash made with the
// key, or a device secret of the dataset is in what was logged.
func (l *logSink) assertNoSecrets(t *testing.T, data *morsim.Dataset, extra ...string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	all := strings.Join(l.lines, "\n")
	secrets := append([]string{data.APIKey, simHash(data.APIKey)}, extra...)
	for _, d := range data.Devices {
		secrets = append(secrets, simHash(fmt.Sprint(d.ID)+data.APIKey), simHash(fmt.Sprint(d.UserID)+data.APIKey))
		if s := d.Fields["secret"]; s != "" {
			secrets = append(secrets, s)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			t.Errorf("a secret (%.4s…) appears in logs or errors", s)
		}
	}
	if len(l.lines) == 0 {
		t.Errorf("nothing was logged: the check above proves nothing")
	}
}

type fixture struct {
	sim  *morsim.Server
	srv  *httptest.Server
	data *morsim.Dataset
	logs *logSink
}

func newFixture(t *testing.T, sizes morsim.Sizes, opts morsim.Options) *fixture {
	t.Helper()
	data := morsim.Generate(7, sizes)
	sim := morsim.New(data, opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &fixture{sim: sim, srv: srv, data: data, logs: &logSink{}}
}

var smallSizes = morsim.Sizes{Resellers: 2, Users: 6, Devices: 30, DIDs: 40, CLIs: 25}

func (f *fixture) client(t *testing.T, user string, change ...func(*mor.Config)) *mor.Client {
	t.Helper()
	cfg := mor.Config{
		BaseURL: f.srv.URL, Username: user, SecretKey: f.data.APIKey,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Timeout: 5 * time.Second, Log: f.logs.log,
	}
	for _, c := range change {
		c(&cfg)
	}
	c, err := mor.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) userByName(name string) morsim.User {
	for _, u := range f.data.Users {
		if u.Username == name {
			return u
		}
	}
	panic("no user " + name)
}

func ids[T any](list []T, id func(T) int64) []int64 {
	out := make([]int64, 0, len(list))
	for _, v := range list {
		out = append(out, id(v))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func retries(n int) *int { return &n }

func simHash(input string) string {
	return morsim.HashOf(input)
}

// hijackingServer answers every request by writing raw onto its connection,
// which it then keeps open, silent, until the test ends.
func hijackingServer(t *testing.T, raw string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
		<-stop
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv, &requests
}

// lookUpDevicesAtOnce looks up the dataset's first n devices with c, all at
// once, and sends their errors, by device, once every lookup has ended.
func (f *fixture) lookUpDevicesAtOnce(ctx context.Context, c *mor.Client, n int) <-chan []error {
	done := make(chan []error, 1)
	go func() {
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				id := f.data.Devices[i].ID
				_, errs[i] = c.DeviceDetails(ctx, mor.DeviceQuery{ID: &id})
			})
		}
		wg.Wait()
		done <- errs
	}()
	return done
}
