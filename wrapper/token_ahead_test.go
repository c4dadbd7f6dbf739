package wrapper

import (
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFailedRefreshAheadKeepsValidToken checks that a refresh started
// ahead of expiry that fails leaves the still-valid token in use, and that
// once the token has expired the failure is reported.
func TestFailedRefreshAheadKeepsValidToken(t *testing.T) {
	f := newFake(t)
	var failing atomic.Bool
	var n atomic.Int64
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			f.fail(w, r, http.StatusServiceUnavailable)
			return
		}
		n.Add(1)
		writeJSON(w, 200, tokenJSON("tok-1", 60))
	})
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithClock(clock),
		WithRefreshLeeway(10*time.Second), WithMaxRetries(0))
	ts := c.TokenSource()
	if tok, err := ts.Token(); err != nil || tok.AccessToken != "tok-1" {
		t.Fatalf("first token: %v, %v", tok, err)
	}
	failing.Store(true)
	advance(55 * time.Second) // 5s left: inside the leeway, not expired
	tok, err := ts.Token()
	if err != nil || tok.AccessToken != "tok-1" {
		t.Fatalf("failed refresh ahead of expiry: got %v, %v; want the cached tok-1", tok, err)
	}
	if got := f.count("POST /v2/oauth/token"); got != 2 {
		t.Errorf("token requests = %d, want 2 (the refresh was attempted)", got)
	}
	advance(10 * time.Second) // expired
	if _, err := ts.Token(); !errors.Is(err, ErrServer) {
		t.Errorf("expired token with a failing endpoint: err = %v, want ErrServer", err)
	}
}

// TestShortLivedTokenIsReused checks that a token whose lifetime is shorter
// than the refresh leeway is still reused for the first half of its life
// instead of being refetched on every call.
func TestShortLivedTokenIsReused(t *testing.T) {
	f := newFake(t)
	f.tokenEndpoint(20) // 20s tokens, against the default 30s leeway
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithClock(clock))
	ts := c.TokenSource()
	for range 5 {
		if _, err := ts.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.count("POST /v2/oauth/token"); got != 1 {
		t.Errorf("token requests for 5 calls within the token's life = %d, want 1", got)
	}
	advance(11 * time.Second) // past half the lifetime: refreshed ahead
	tok, err := ts.Token()
	if err != nil || tok.AccessToken != "tok-2" {
		t.Errorf("after half the lifetime: %v, %v; want tok-2", tok, err)
	}
}
