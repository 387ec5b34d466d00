package mor

import (
	"net/http"
	"testing"
	"time"
)

// The wait before a retry, by the answer's status and Retry-After: only
// digits or an HTTP date are read, never less than RetryWaitMin is waited,
// and more than RetryWaitMax is not waited at all.
func TestBackoffFollowsRetryAfter(t *testing.T) {
	t.Parallel()
	const waitMin, waitMax = 2 * time.Second, 30 * time.Second
	c := &Client{cfg: Config{RetryWaitMin: waitMin, RetryWaitMax: waitMax}}
	exponential := func(n int) time.Duration { return min(waitMin<<(n-1), waitMax) }
	inAnHour := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	aMinuteAgo := time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat)
	for _, tc := range []struct {
		status     int
		retryAfter string
		wait       time.Duration
		tooLong    bool
	}{
		{http.StatusServiceUnavailable, "5", 5 * time.Second, false},
		{http.StatusTooManyRequests, "30", 30 * time.Second, false},
		{http.StatusServiceUnavailable, "31", 31 * time.Second, true},
		{http.StatusServiceUnavailable, "0", waitMin, false},
		{http.StatusServiceUnavailable, aMinuteAgo, waitMin, false},
		{http.StatusServiceUnavailable, inAnHour, 0, true},
		{http.StatusServiceUnavailable, "99999999999999999999", 0, true},
		// Not delay-seconds: the exponential backoff.
		{http.StatusServiceUnavailable, "", exponential(3), false},
		{http.StatusServiceUnavailable, "-5", exponential(3), false},
		{http.StatusServiceUnavailable, "+5", exponential(3), false},
		{http.StatusServiceUnavailable, "5.5", exponential(3), false},
		{http.StatusServiceUnavailable, "soon", exponential(3), false},
		// Only a 429 or a 503 asks for a wait.
		{http.StatusBadGateway, "5", exponential(3), false},
	} {
		answer := &http.Response{StatusCode: tc.status, Header: http.Header{}}
		if tc.retryAfter != "" {
			answer.Header.Set("Retry-After", tc.retryAfter)
		}
		wait, tooLong := c.backoff(3, answer)
		if tooLong != tc.tooLong || (!tc.tooLong && wait != tc.wait) || (tc.tooLong && tc.wait != 0 && wait != tc.wait) {
			t.Errorf("%d with Retry-After %q: wait %v, too long %v; want %v, %v", tc.status, tc.retryAfter, wait, tooLong, tc.wait, tc.tooLong)
		}
	}
}

// Of two long Retry-Afters met by requests in flight, the later end holds,
// whichever answer came last: a wait of seconds does not cut an hour short.
func TestShorterRetryAfterDoesNotShortenTheRunsWait(t *testing.T) {
	t.Parallel()
	c := &Client{}
	now := time.Now()
	c.holdRequestsUntil(now.Add(time.Hour))
	c.holdRequestsUntil(now.Add(2 * time.Second))
	if got := time.Unix(0, c.notBefore.Load()); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("requests held until %v, want the hour's end %v", got, now.Add(time.Hour))
	}
}
