package mor_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The retry budget is the client's: failures of any call drain it, answers
// refill it, and a call whose retry finds it spent says so (issue 20).
func TestRetryBudgetDrainsAndRefills(t *testing.T) {
	t.Parallel()
	f := newFixture(t, smallSizes, morsim.Options{})
	ctx := context.Background()
	c := f.client(t, "admin", func(c *mor.Config) { c.DisableCache = true })
	dids := func() error { _, err := c.DIDs(ctx, mor.DIDFilter{}); return err }

	f.sim.SetFault("", morsim.Fault{Status: 503})
	for range 6 {
		if err := dids(); err == nil {
			t.Fatal("a call succeeded against HTTP 503")
		}
	}
	if n, most := f.sim.Stats().Requests, int64(6+mor.RetryBudgetRetries); n > most || n == 6 {
		t.Errorf("6 calls against a MOR failing everything made %d requests, want 7 to %d", n, most)
	}
	// Spent: one more failure is not retried, and the error says why.
	f.sim.SetFault("", morsim.Fault{Status: 503, Times: 1})
	if err := dids(); err == nil || !strings.Contains(err.Error(), "not retried: too many of this run's requests to MOR failed") {
		t.Errorf("with the budget spent: %v", err)
	}
	// Answers earn retries back: from empty, 19 put it above half again
	// after the next failure.
	for range 70 {
		if err := dids(); err != nil {
			t.Fatal(err)
		}
	}
	f.sim.SetFault("", morsim.Fault{Status: 503, Times: 1})
	f.sim.ResetStats()
	if err := dids(); err != nil {
		t.Errorf("after 70 answers, a single 503 was not retried: %v", err)
	}
	if n := f.sim.Stats().Requests; n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
