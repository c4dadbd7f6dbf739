package verify

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

const (
	testIssuer   = "http://127.0.0.1:7000"
	testAudience = "http://127.0.0.1:7000"
)

var (
	keysOnce sync.Once
	testKeys []*rsa.PrivateKey
)

// rsaKey returns one of three RSA keys generated once per test binary.
func rsaKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	keysOnce.Do(func() {
		for range 3 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys = append(testKeys, k)
		}
	})
	return testKeys[i]
}

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_780_000_000, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// claimsAt returns the claims the emulator issues, valid at now for an hour.
func claimsAt(now time.Time) map[string]any {
	return map[string]any{
		"iss": testIssuer, "aud": testAudience, "sub": "user-1",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "nbf": now.Unix(),
		"jti": "jti-1", "scope": "admin calls:read", "client_id": "client-1",
	}
}

// sign makes a compact JWS over claims with key, alg and kid.
func sign(t testing.TB, key any, alg jose.SignatureAlgorithm, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// jwk describes one key the test JWKS server publishes.
type jwk struct {
	kid, alg, use string
	key           *rsa.PrivateKey
}

func jwksJSON(t testing.TB, keys ...jwk) []byte {
	t.Helper()
	var set jose.JSONWebKeySet
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.key.PublicKey, KeyID: k.kid, Algorithm: k.alg, Use: k.use})
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwksServer serves a JWKS that tests can change, counting requests.
type jwksServer struct {
	*httptest.Server
	hits   atomic.Int64
	mu     sync.Mutex
	body   []byte
	maxAge int // <0: no Cache-Control
	status int
	gate   chan struct{} // when set, requests wait for it to close
}

func newJWKSServer(t testing.TB, keys ...jwk) *jwksServer {
	t.Helper()
	s := &jwksServer{body: jwksJSON(t, keys...), maxAge: 300, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	s.mu.Lock()
	body, maxAge, status, gate := s.body, s.maxAge, s.status, s.gate
	s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if status != http.StatusOK {
		http.Error(w, "<html>upstream down</html>", status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if maxAge >= 0 {
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	}
	_, _ = w.Write(body)
}

func (s *jwksServer) set(f func(s *jwksServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *jwksServer) jwksURL() string { return s.URL + "/v2/oauth/jwks" }

// newTestVerifier builds a verifier on srv's JWKS with the test clock.
func newTestVerifier(t testing.TB, srv *jwksServer, clk *clock, opts ...Option) *Verifier {
	t.Helper()
	base := []Option{
		WithIssuer(testIssuer), WithAudience(testAudience), WithJWKSURL(srv.jwksURL()),
		WithClock(clk.Now), WithHTTPClient(srv.Client()),
	}
	v, err := New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
