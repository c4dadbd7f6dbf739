package agent_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/agent"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

const redirect = "http://127.0.0.1/callback"

// counter counts requests by path through it.
type counter struct {
	mu   sync.Mutex
	hits map[string]int
	all  atomic.Int64
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.hits == nil {
		c.hits = map[string]int{}
	}
	c.hits[r.Method+" "+r.URL.Path]++
	c.mu.Unlock()
	c.all.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func (c *counter) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits[key]
}

// memStore is a RegistrationStore in memory.
type memStore struct {
	mu    sync.Mutex
	regs  map[string]agent.Registration
	saves int
}

func (s *memStore) Load(_ context.Context, issuer string) (*agent.Registration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.regs[issuer]
	if !ok {
		return nil, nil
	}
	return &r, nil
}

func (s *memStore) Save(_ context.Context, r *agent.Registration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.regs == nil {
		s.regs = map[string]agent.Registration{}
	}
	s.regs[r.Issuer] = *r
	s.saves++
	return nil
}

func adminClient(t *testing.T, ts *emulator.TestServer) *wrapper.Client {
	t.Helper()
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(ts.URL), wrapper.WithAPIKey(ts.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// approve plays the user: it follows the authorize URL to the consent
// page, approves with the admin API key, and returns the callback query.
func approve(t *testing.T, ts *emulator.TestServer, authorizeURL string) url.Values {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	consent, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || consent.Query().Get("consent_token") == "" {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	back, err := adminClient(t, ts).OAuth.ApproveConsent(context.Background(), consent.Query().Get("consent_token"))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := url.Parse(back)
	if err != nil || !strings.HasPrefix(back, redirect) {
		t.Fatalf("redirect back %q: %v", back, err)
	}
	return cb.Query()
}

// bogus serves fixed metadata documents: a deliberately wrong server.
type bogus struct {
	srv *httptest.Server
	pr  map[string]any // protected-resource metadata
	as  map[string]any // authorization-server metadata
	hit atomic.Int64
}

func newBogus(t *testing.T) *bogus {
	t.Helper()
	b := &bogus{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.hit.Add(1)
		var doc map[string]any
		switch r.URL.Path {
		case "/.well-known/oauth-protected-resource":
			doc = b.pr
		case "/.well-known/oauth-authorization-server":
			doc = b.as
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(b.srv.Close)
	u := b.srv.URL
	b.pr = map[string]any{"resource": u, "authorization_servers": []string{u}}
	b.as = map[string]any{
		"issuer": u, "authorization_endpoint": u + "/v2/oauth/authorize", "token_endpoint": u + "/v2/oauth/token",
		"jwks_uri": u + "/v2/oauth/jwks", "registration_endpoint": u + "/v2/oauth/register",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials", "refresh_token"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "none"},
		"code_challenge_methods_supported":      []string{"S256"},
	}
	return b
}
