package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestKeyRotationOneRefetch(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "old", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk)
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, rsaKey(t, 0), jose.RS256, "old", claimsAt(clk.Now()))); err != nil {
		t.Fatal(err)
	}
	srv.set(func(s *jwksServer) {
		s.body = jwksJSON(t, jwk{kid: "old", key: rsaKey(t, 0)}, jwk{kid: "new", key: rsaKey(t, 1)})
	})
	tok := sign(t, rsaKey(t, 1), jose.RS256, "new", claimsAt(clk.Now()))
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("token with the new key: %v", err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("JWKS fetched %d times, want 2 (initial + one refetch)", got)
	}
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("JWKS fetched %d times after reuse, want 2", got)
	}
}

func TestUnknownKIDFloodRefetchesOncePerInterval(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk, WithRefetchInterval(time.Minute))
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))); err != nil {
		t.Fatal(err)
	}
	toks := make([]string, 200)
	for i := range toks {
		toks[i] = sign(t, rsaKey(t, 1), jose.RS256, fmt.Sprintf("rand-%d-%d", i, time.Now().UnixNano()), claimsAt(clk.Now()))
	}
	flood := func() {
		var wg sync.WaitGroup
		for _, tok := range toks {
			wg.Go(func() {
				if _, err := v.Verify(ctx, tok); !errors.Is(err, ErrUnknownKey) {
					t.Errorf("flood token: %v, want ErrUnknownKey", err)
				}
			})
		}
		wg.Wait()
	}
	flood()
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("after the flood: %d fetches, want 2 (initial + one refetch)", got)
	}
	clk.Advance(59 * time.Second)
	flood()
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("flood within the interval: %d fetches, want 2", got)
	}
	clk.Advance(time.Second)
	flood()
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("flood after the interval: %d fetches, want 3", got)
	}
}

func TestStaleIfError(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	srv.set(func(s *jwksServer) { s.maxAge = 120 })
	v := newTestVerifier(t, srv, clk, WithRefetchInterval(30*time.Second))
	ctx := context.Background()
	verify := func(when string) {
		t.Helper()
		if _, err := v.Verify(ctx, sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}
	verify("warm")
	srv.set(func(s *jwksServer) { s.status = http.StatusBadGateway })
	clk.Advance(121 * time.Second)
	verify("first call after expiry, endpoint failing")
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("fetches = %d, want 2 (one failed refresh)", got)
	}
	clk.Advance(10 * time.Second)
	verify("during the retry wait")
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("fetches = %d during the retry wait, want 2", got)
	}
	clk.Advance(25 * time.Second)
	verify("after the retry wait")
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("fetches = %d after the retry wait, want 3", got)
	}
	srv.set(func(s *jwksServer) { s.status = http.StatusOK })
	clk.Advance(31 * time.Second)
	verify("endpoint back")
	if got := srv.hits.Load(); got != 4 {
		t.Errorf("fetches = %d after recovery, want 4", got)
	}
	verify("fresh again")
	if got := srv.hits.Load(); got != 4 {
		t.Errorf("fetches = %d with a fresh set, want 4", got)
	}
}

func TestColdFailureIsNotATokenError(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	srv.set(func(s *jwksServer) { s.status = http.StatusInternalServerError })
	v := newTestVerifier(t, srv, clk)
	_, err := v.Verify(context.Background(), sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now())))
	if err == nil {
		t.Fatal("verified without keys")
	}
	if _, isToken := describe(err); isToken {
		t.Errorf("unreachable JWKS reported as a token error: %v", err)
	}
}

func TestCacheControlClamped(t *testing.T) {
	tests := []struct {
		name         string
		maxAge       int // <0: no header
		fresh, stale time.Duration
	}{
		{"max-age honoured", 120, 119 * time.Second, 120 * time.Second},
		{"short max-age raised to min", 5, 59 * time.Second, 60 * time.Second},
		{"no-store raised to min", 0, 59 * time.Second, 60 * time.Second},
		{"long max-age cut to max", 100000, 599 * time.Second, 600 * time.Second},
		{"no header uses default", -1, 299 * time.Second, 300 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
			srv.set(func(s *jwksServer) { s.maxAge = tt.maxAge })
			v := newTestVerifier(t, srv, clk, WithCacheTTL(time.Minute, 5*time.Minute, 10*time.Minute))
			start := clk.Now()
			check := func(at time.Duration, want int64) {
				t.Helper()
				clk.Advance(start.Add(at).Sub(clk.Now()))
				if _, err := v.Verify(context.Background(), sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))); err != nil {
					t.Fatal(err)
				}
				if got := srv.hits.Load(); got != want {
					t.Errorf("at +%v: %d fetches, want %d", at, got, want)
				}
			}
			check(0, 1)
			check(tt.fresh, 1)
			check(tt.stale, 2)
		})
	}
}

func TestMaxAgeParsing(t *testing.T) {
	tests := []struct {
		in   []string
		want time.Duration
		ok   bool
	}{
		{[]string{"max-age=60"}, time.Minute, true},
		{[]string{"public", "MAX-AGE = 30 , must-revalidate"}, 30 * time.Second, true},
		{[]string{`max-age="45"`}, 45 * time.Second, true},
		{[]string{"max-age=60, no-cache"}, 0, true},
		{[]string{"no-store"}, 0, true},
		{[]string{"max-age=-1"}, 0, false},
		{[]string{"max-age=abc"}, 0, false},
		{nil, 0, false},
	}
	for _, tt := range tests {
		got, ok := maxAge(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("maxAge(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFetchSingleFlightAndWaiterCancel(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	gate := make(chan struct{})
	srv.set(func(s *jwksServer) { s.gate = gate })
	v := newTestVerifier(t, srv, clk)
	tok := sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))

	// One caller gives up while the fetch hangs; that must not fail the rest.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := v.Verify(ctx, tok); done <- err }()
	for srv.hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: %v, want context.Canceled", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := v.Verify(context.Background(), tok)
			errs <- err
		})
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("waiter: %v", err)
		}
	}
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("%d fetches, want 1", got)
	}
}

func TestStaticKeySetAndRefresh(t *testing.T) {
	clk := newClock()
	ks, err := NewStaticKeySet(jwksJSON(t, jwk{kid: "k1", key: rsaKey(t, 0)}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(WithIssuer(testIssuer), WithAudience(testAudience), WithKeySet(ks), WithClock(clk.Now)); err == nil {
		t.Fatal("WithClock (a key set option) accepted together with WithKeySet")
	}
	v, err := New(WithIssuer(testIssuer), WithAudience(testAudience), WithKeySet(ks))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := v.Verify(context.Background(), sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(now))); err != nil {
		t.Errorf("static key: %v", err)
	}
	if _, err := v.Verify(context.Background(), sign(t, rsaKey(t, 1), jose.RS256, "k2", claimsAt(now))); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown kid on a static set: %v", err)
	}

	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	shared, err := NewKeySet(srv.jwksURL(), WithHTTPClient(srv.Client()), WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	if err := shared.Refresh(context.Background()); err != nil || srv.hits.Load() != 1 {
		t.Errorf("Refresh = %v after %d fetches", err, srv.hits.Load())
	}
	if _, err := NewKeySet("ftp://x/jwks"); err == nil {
		t.Error("ftp JWKS URL accepted")
	}
}
