package wrapper

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// DefaultBackoff is the delay before retry number attempt (1-based):
// exponential from 500ms, capped at 8s, with jitter over its upper half.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := 500 * time.Millisecond << min(attempt-1, 4)
	return d/2 + rand.N(d/2+1)
}

type retryTransport struct {
	next    http.RoundTripper
	max     int
	backoff func(int) time.Duration
	maxWait time.Duration
	sleep   func(context.Context, time.Duration) error
}

func newRetryTransport(next http.RoundTripper, max int, backoff func(int) time.Duration, maxWait time.Duration) *retryTransport {
	return &retryTransport{next: next, max: max, backoff: backoff, maxWait: maxWait, sleep: sleepCtx}
}

// RoundTrip sends req, retrying connection errors and 408, 409, 429 and 5xx
// responses while the call's retry policy allows.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	m := callFrom(req.Context())
	if m == nil {
		m = &call{op: req.Method + " " + req.URL.Path}
	}
	r := req
	for attempt := 1; ; attempt++ {
		m.attempt = attempt
		resp, err := t.next.RoundTrip(r)
		if attempt > t.max || !t.shouldRetry(req, m, resp, err) {
			return resp, err
		}
		wait := t.backoff(attempt)
		if resp != nil {
			if ra := retryAfter(resp.Header); ra > 0 {
				wait = min(ra, t.maxWait)
			}
			drain(resp)
		}
		if serr := t.sleep(req.Context(), wait); serr != nil {
			return nil, serr
		}
		var ok bool
		if r, ok = cloneWithBody(req); !ok {
			return nil, errors.New("wrapper: request body cannot be replayed")
		}
	}
}

func (t *retryTransport) shouldRetry(req *http.Request, m *call, resp *http.Response, err error) bool {
	if req.Context().Err() != nil || m.retry == retryNever {
		return false
	}
	replayable := m.retry == retryAlways || idempotent(req)
	if err != nil {
		// Only the network's errors are retried: a credential failure or
		// the verdict of a transport middleware (a contract violation, say)
		// does not change by sending again.
		// A credential failure may wrap the token call's network error, so
		// it is checked first.
		var ce *credentialError
		if errors.As(err, &ce) {
			return false
		}
		var ne *networkError
		if !errors.As(err, &ne) {
			return false
		}
		return replayable || notSent(err)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusRequestTimeout, s == http.StatusConflict, s == http.StatusTooManyRequests, s >= 500:
		return replayable
	}
	return false
}

// idempotent reports whether replaying req cannot change the outcome.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return req.Header.Get("Idempotency-Key") != ""
}

// notSent reports whether err proves the request never left (a failed dial).
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
