package mor

import (
	"context"
	"sync"
)

// runWideRefusals are MOR's answers that no later request of the method
// can get past in this run: a key MOR does not accept, or the API (or GET)
// switched off in MOR's settings.
var runWideRefusals = map[string]bool{
	"Incorrect hash":            true,
	"API Requests are disabled": true,
	"GET Requests are disabled": true,
	"API must have Secret Key":  true,
}

// refusalMemory keeps, by method, the first run-wide refusal MOR answered,
// so that later calls of the method fail with it without asking MOR again:
// a plan of many reads with a wrong key would otherwise send a request
// per read that cannot succeed.
type refusalMemory struct {
	mu       sync.Mutex
	byMethod map[string]*APIError
}

// note keeps err if it is a run-wide refusal, marked as repeated for the
// calls that will get it, and says whether it was the method's first.
func (m *refusalMemory) note(err *APIError) bool {
	if !runWideRefusals[err.Known] {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byMethod == nil {
		m.byMethod = map[string]*APIError{}
	}
	if m.byMethod[err.Method] != nil {
		return false
	}
	repeated := *err
	repeated.Repeated = true
	m.byMethod[err.Method] = &repeated
	return true
}

// of is the refusal kept for method, or nil.
func (m *refusalMemory) of(method string) *APIError {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.byMethod[method]
}

// notAskedAgain logs and returns the refusal a call fails with, unsent,
// whether the call met it before signing or once it had a request slot.
func (c *Client) notAskedAgain(ctx context.Context, refused *APIError) *APIError {
	c.log(ctx, LevelDebug, "MOR API request not sent: MOR refused the method earlier in this run", map[string]any{"mor_method": refused.Method, "mor_error": refused.Message})
	return refused
}
