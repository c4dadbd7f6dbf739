package wrapper

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// recorder is a transport middleware that notes what each attempt carried.
type recorder struct {
	name  string
	mu    sync.Mutex
	auth  []string
	order *[]string
}

func (r *recorder) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		r.mu.Lock()
		r.auth = append(r.auth, req.Header.Get("Authorization"))
		if r.order != nil {
			*r.order = append(*r.order, r.name)
		}
		r.mu.Unlock()
		return next.RoundTrip(req)
	})
}

func TestTransportMiddlewareSeesEveryAttemptWithAuth(t *testing.T) {
	f := newFake(t)
	var n atomic.Int64
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			f.fail(w, r, http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": clientJSON(clientUUID, "n")})
	})
	var order []string
	outer := &recorder{name: "outer", order: &order}
	inner := &recorder{name: "inner", order: &order}
	c := newTestClient(t, f, WithAPIKey(testKey), WithTransportMiddleware(outer.wrap), WithTransportMiddleware(inner.wrap))
	if _, err := c.Clients.Get(context.Background(), clientUUID); err != nil {
		t.Fatal(err)
	}
	want := []string{"Bearer " + testKey, "Bearer " + testKey}
	if !slices.Equal(outer.auth, want) || !slices.Equal(inner.auth, want) {
		t.Errorf("middleware saw Authorization %q and %q, want %q on both attempts", outer.auth, inner.auth, want)
	}
	if got := []string{"outer", "inner", "outer", "inner"}; !slices.Equal(order, got) {
		t.Errorf("order %q, want %q", order, got)
	}
}

func TestTransportMiddlewareErrorIsNotRetried(t *testing.T) {
	verdict := errors.New("contract violated")
	var sent, judged atomic.Int64
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { sent.Add(1); return nil, errors.New("unreachable") })
	judge := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(*http.Request) (*http.Response, error) { judged.Add(1); return nil, verdict })
	}
	c, err := New(WithoutEnvironment(), WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: base}),
		WithBackoff(zeroBackoff), WithMaxRetries(3), WithTransportMiddleware(judge))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Clients.Get(context.Background(), clientUUID) // a GET: idempotent, normally retried
	if !errors.Is(err, verdict) {
		t.Fatalf("error %v does not wrap the middleware's", err)
	}
	if judged.Load() != 1 || sent.Load() != 0 {
		t.Errorf("middleware called %d times, base %d; want 1 and 0", judged.Load(), sent.Load())
	}
}

func TestTransportMiddlewarePassesNetworkErrorsToRetry(t *testing.T) {
	cause := &net.OpError{Op: "read", Err: errors.New("reset")}
	var sent atomic.Int64
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { sent.Add(1); return nil, cause })
	through := func(next http.RoundTripper) http.RoundTripper { return next }
	c, err := New(WithoutEnvironment(), WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: base}),
		WithBackoff(zeroBackoff), WithTransportMiddleware(through))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = c.Clients.Get(context.Background(), clientUUID); !errors.Is(err, cause) {
		t.Fatalf("error %v does not wrap the cause", err)
	}
	if sent.Load() != 3 {
		t.Errorf("attempts = %d, want 3", sent.Load())
	}
}

func TestWithTransportMiddlewareRejectsNil(t *testing.T) {
	if _, err := New(WithoutEnvironment(), WithTransportMiddleware(nil)); err == nil {
		t.Error("nil middleware accepted")
	}
}
