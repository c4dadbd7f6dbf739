package verify

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/telnyxoauth/telnyx-oauth-go/spec/spectest"
)

const (
	introClientID     = "rs-client"
	introClientSecret = "rs-secret-do-not-log"
)

// introspectionServer plays Telnyx's POST /v2/oauth/introspect, checked
// against openapi.yaml by spectest.
type introspectionServer struct {
	*httptest.Server
	hits    atomic.Int64
	mu      sync.Mutex
	active  map[string]map[string]any // token → answer
	revoked map[string]bool
}

func newIntrospectionServer(t *testing.T) *introspectionServer {
	t.Helper()
	s := &introspectionServer{active: map[string]map[string]any{}, revoked: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/oauth/introspect", s.serve)
	s.Server = spectest.NewServer(t, mux)
	return s
}

func (s *introspectionServer) serve(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	w.Header().Set("Content-Type", "application/json")
	id, secret, ok := r.BasicAuth()
	if !ok || id != introClientID || secret != introClientSecret {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"client authentication failed"}`))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"form body expected"}`))
		return
	}
	tok := r.PostFormValue("token")
	s.mu.Lock()
	answer, ok := s.active[tok]
	if s.revoked[tok] {
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		answer = map[string]any{"active": false}
	}
	_ = json.NewEncoder(w).Encode(answer)
}

func (s *introspectionServer) issue(tok string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active[tok] = map[string]any{
		"active": true, "scope": "admin", "client_id": "client-9", "sub": "user-9",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "iss": testIssuer, "aud": testAudience,
		"jti": "jti-9", "token_type": "Bearer",
	}
}

func (s *introspectionServer) revoke(tok string) {
	s.mu.Lock()
	s.revoked[tok] = true
	s.mu.Unlock()
}

func (s *introspectionServer) introspector(t *testing.T) *HTTPIntrospector {
	t.Helper()
	in, err := NewHTTPIntrospector(s.URL+"/v2/oauth/introspect", introClientID, introClientSecret, s.Client())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestIntrospectionOfOpaqueTokens(t *testing.T) {
	clk := newClock()
	is := newIntrospectionServer(t)
	is.issue("opaque-token-1", clk.Now())
	v, err := New(WithIssuer(testIssuer), WithAudience(testAudience),
		WithIntrospection(is.introspector(t), IntrospectOpaque), WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := v.Verify(ctx, "opaque-token-1")
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !c.Introspected || c.Subject != "user-9" || c.ClientID != "client-9" || !c.HasScope("admin") ||
		c.JWTID != "jti-9" || !c.HasAudience(testAudience) || c.Issuer != testIssuer || c.Raw["token_type"] != "Bearer" {
		t.Errorf("claims = %+v", c)
	}
	if !c.Expiry.Equal(clk.Now().Add(time.Hour)) {
		t.Errorf("Expiry = %v", c.Expiry)
	}

	// Unknown tokens are inactive, and inactive answers are not cached.
	for range 2 {
		if _, err := v.Verify(ctx, "opaque-unknown"); !errors.Is(err, ErrInactive) {
			t.Errorf("unknown token: %v, want ErrInactive", err)
		}
	}
	if got := is.hits.Load(); got != 3 {
		t.Errorf("introspection calls = %d, want 3", got)
	}
	// The active answer is cached, under the token's hash.
	if _, err := v.Verify(ctx, "opaque-token-1"); err != nil || is.hits.Load() != 3 {
		t.Errorf("cached answer: err %v, calls %d", err, is.hits.Load())
	}
	if _, ok := v.cache.byKey[sha256.Sum256([]byte("opaque-token-1"))]; !ok || v.cache.len() != 1 {
		t.Errorf("cache does not hold exactly the token's hash")
	}
}

func TestIntrospectionAlwaysSeesRevocation(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	is := newIntrospectionServer(t)
	tok := sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))
	is.issue(tok, clk.Now())
	ctx := context.Background()

	cached := newTestVerifier(t, srv, clk, WithIntrospection(is.introspector(t), IntrospectAlways),
		WithIntrospectionCache(5*time.Second, 16))
	uncached := newTestVerifier(t, srv, clk, WithIntrospection(is.introspector(t), IntrospectAlways),
		WithIntrospectionCache(0, 1))
	for _, v := range []*Verifier{cached, uncached} {
		c, err := v.Verify(ctx, tok)
		if err != nil {
			t.Fatalf("before revocation: %v", err)
		}
		if c.Introspected || c.Subject != "user-1" {
			t.Errorf("claims should come from the JWT: %+v", c)
		}
	}
	if got := is.hits.Load(); got != 2 {
		t.Errorf("introspection calls = %d, want 2", got)
	}

	is.revoke(tok)
	if _, err := uncached.Verify(ctx, tok); !errors.Is(err, ErrInactive) {
		t.Errorf("uncached after revocation: %v, want ErrInactive", err)
	}
	if _, err := cached.Verify(ctx, tok); err != nil {
		t.Errorf("cached within its lifetime: %v", err)
	}
	clk.Advance(5 * time.Second)
	if _, err := cached.Verify(ctx, tok); !errors.Is(err, ErrInactive) {
		t.Errorf("cached after its lifetime: %v, want ErrInactive", err)
	}
	// A locally refused JWT is not sent to introspection.
	before := is.hits.Load()
	bad := sign(t, rsaKey(t, 1), jose.RS256, "k1", claimsAt(clk.Now()))
	if _, err := uncached.Verify(ctx, bad); !errors.Is(err, ErrBadSignature) {
		t.Errorf("bad signature: %v", err)
	}
	if is.hits.Load() != before {
		t.Error("a token with a bad signature was introspected")
	}
}

func TestIntrospectionCacheBoundedAndExpiring(t *testing.T) {
	clk := newClock()
	is := newIntrospectionServer(t)
	for _, tok := range []string{"t1", "t2", "t3"} {
		is.issue(tok, clk.Now())
	}
	v, err := New(WithIntrospection(is.introspector(t), IntrospectOpaque), WithClock(clk.Now),
		WithIntrospectionCache(10*time.Second, 2))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := func(tok string, want int64) {
		t.Helper()
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatalf("%s: %v", tok, err)
		}
		if got := is.hits.Load(); got != want {
			t.Errorf("after %s: %d calls, want %d", tok, got, want)
		}
	}
	calls("t1", 1)
	calls("t2", 2)
	calls("t1", 2) // cached
	calls("t3", 3) // evicts t1, the oldest
	if n := v.cache.len(); n != 2 {
		t.Errorf("cache holds %d entries, want 2", n)
	}
	calls("t3", 3)
	calls("t1", 4) // was evicted
	clk.Advance(10 * time.Second)
	calls("t1", 5) // expired
}

func TestIntrospectionAnswerChecked(t *testing.T) {
	clk := newClock()
	in := func(answer Introspection) Introspector {
		return IntrospectorFunc(func(context.Context, string) (*Introspection, error) { return &answer, nil })
	}
	now := clk.Now()
	tests := []struct {
		name   string
		answer Introspection
		want   error
	}{
		{"wrong issuer", Introspection{Active: true, Issuer: "http://evil", Expiry: now.Add(time.Hour)}, ErrWrongIssuer},
		{"wrong audience", Introspection{Active: true, Audience: []string{"http://other"}, Expiry: now.Add(time.Hour)}, ErrWrongAudience},
		{"expired", Introspection{Active: true, Expiry: now.Add(-time.Hour)}, ErrExpired},
		{"inactive", Introspection{Active: false}, ErrInactive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := New(WithIssuer(testIssuer), WithAudience(testAudience), WithClock(clk.Now),
				WithIntrospection(in(tt.answer), IntrospectOpaque))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(context.Background(), "opaque"); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestIntrospectionFailuresHideSecrets(t *testing.T) {
	is := newIntrospectionServer(t)
	wrong, err := NewHTTPIntrospector(is.URL+"/v2/oauth/introspect", introClientID, "wrong-secret-xyz", is.Client())
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(WithIntrospection(wrong, IntrospectOpaque))
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(context.Background(), "opaque-secret-token")
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("err = %v, want a 401 invalid_client error", err)
	}
	if _, isToken := describe(err); isToken {
		t.Errorf("client failure reported as a token error: %v", err)
	}
	for _, secret := range []string{"opaque-secret-token", "wrong-secret-xyz"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error holds a secret: %v", err)
		}
	}
	for _, bad := range []struct{ endpoint, id, secret string }{
		{"/relative", "a", "b"}, {"https://as.example/i", "", "b"}, {"https://as.example/i", "a", ""},
	} {
		if _, err := NewHTTPIntrospector(bad.endpoint, bad.id, bad.secret, nil); err == nil {
			t.Errorf("NewHTTPIntrospector(%q, %q, ...) accepted", bad.endpoint, bad.id)
		}
	}
}

// TestIntrospectionBasicAuthEncoding checks RFC 6749 section 2.3.1: the
// client id and secret are form-urlencoded before HTTP Basic, so a secret
// holding '+', '%', ':' or a space reaches the server intact.
func TestIntrospectionBasicAuthEncoding(t *testing.T) {
	const id, secret = "rs:client+1", "p@ss w+rd%:/"
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/oauth/introspect", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		u, p, ok := r.BasicAuth()
		du, err1 := url.QueryUnescape(u)
		dp, err2 := url.QueryUnescape(p)
		if !ok || err1 != nil || err2 != nil || du != id || dp != secret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
			return
		}
		_, _ = w.Write([]byte(`{"active":false}`))
	})
	srv := spectest.NewServer(t, mux)
	in, err := NewHTTPIntrospector(srv.URL+"/v2/oauth/introspect", id, secret, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	got, err := in.Introspect(context.Background(), "opaque")
	if err != nil || got.Active {
		t.Fatalf("Introspect = %+v, %v", got, err)
	}
}
