package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/spec/spectest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// wellKnownServer plays Telnyx's two well-known documents at the host root,
// checked against openapi.yaml. issuer and resource default to the server's
// own URL; tests change them to provoke mismatches.
type wellKnownServer struct {
	*httptest.Server
	asHits, prHits atomic.Int64
	mu             sync.Mutex
	issuer         string
	resource       string
}

func newWellKnownServer(t *testing.T) *wellKnownServer {
	s := &wellKnownServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		s.asHits.Add(1)
		base := s.URL
		s.writeJSON(w, map[string]any{
			"issuer":                                s.get(&s.issuer),
			"authorization_endpoint":                base + "/v2/oauth/authorize",
			"token_endpoint":                        base + "/v2/oauth/token",
			"jwks_uri":                              base + "/v2/oauth/jwks",
			"registration_endpoint":                 base + "/v2/oauth/register",
			"introspection_endpoint":                base + "/v2/oauth/introspect",
			"scopes_supported":                      []string{"admin"},
			"response_types_supported":              []string{"code"},
			"grant_types_supported":                 []string{"authorization_code", "client_credentials", "refresh_token"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
			"code_challenge_methods_supported":      []string{"S256"},
		})
	})
	mux.HandleFunc("GET /.well-known/oauth-protected-resource", func(w http.ResponseWriter, r *http.Request) {
		s.prHits.Add(1)
		s.writeJSON(w, map[string]any{"resource": s.get(&s.resource), "authorization_servers": []string{s.URL}})
	})
	s.Server = spectest.NewServer(t, mux)
	s.issuer, s.resource = s.URL, s.URL
	return s
}

func (s *wellKnownServer) get(p *string) string { s.mu.Lock(); defer s.mu.Unlock(); return *p }
func (s *wellKnownServer) set(p *string, v string) {
	s.mu.Lock()
	*p = v
	s.mu.Unlock()
}

func (s *wellKnownServer) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func newClient(t *testing.T, srv *httptest.Server, clk *clock, opts ...Option) *Client {
	t.Helper()
	c, err := New(append([]Option{WithHTTPClient(srv.Client()), WithClock(clk.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuthorizationServer(t *testing.T) {
	srv := newWellKnownServer(t)
	clk := &clock{t: time.Unix(1_780_000_000, 0)}
	c := newClient(t, srv.Server, clk, WithTTL(time.Minute))
	ctx := context.Background()

	as, err := c.AuthorizationServer(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if as.Issuer != srv.URL || as.TokenEndpoint != srv.URL+"/v2/oauth/token" || as.JWKSURI != srv.URL+"/v2/oauth/jwks" ||
		as.IntrospectionEndpoint != srv.URL+"/v2/oauth/introspect" || as.RegistrationEndpoint != srv.URL+"/v2/oauth/register" ||
		as.AuthorizationEndpoint != srv.URL+"/v2/oauth/authorize" {
		t.Errorf("endpoints = %+v", as)
	}
	if !as.SupportsPKCE("S256") || as.SupportsPKCE("plain") || !as.SupportsGrantType("client_credentials") ||
		as.SupportsGrantType("implicit") || !as.SupportsAuthMethod("none") || as.SupportsAuthMethod("private_key_jwt") ||
		!as.SupportsResponseType("code") || !as.SupportsRegistration() {
		t.Error("Supports* answers wrong")
	}
	if as.Metadata.Issuer == nil || *as.Metadata.Issuer != srv.URL {
		t.Error("raw metadata not kept")
	}

	// Cached: a second call, even after the caller changed its copy, does
	// not fetch and sees the original.
	as.GrantTypesSupported[0] = "changed"
	again, err := c.AuthorizationServer(ctx, srv.URL)
	if err != nil || again.GrantTypesSupported[0] != "authorization_code" || srv.asHits.Load() != 1 {
		t.Errorf("cached call: err %v, grants %q, fetches %d", err, again.GrantTypesSupported, srv.asHits.Load())
	}
	clk.Advance(time.Minute)
	if _, err := c.AuthorizationServer(ctx, srv.URL); err != nil || srv.asHits.Load() != 2 {
		t.Errorf("after the TTL: err %v, fetches %d, want 2", err, srv.asHits.Load())
	}
}

func TestIssuerMismatchNotCached(t *testing.T) {
	srv := newWellKnownServer(t)
	clk := &clock{t: time.Unix(1_780_000_000, 0)}
	c := newClient(t, srv.Server, clk)
	srv.set(&srv.issuer, "https://evil.example")
	if _, err := c.AuthorizationServer(context.Background(), srv.URL); !errors.Is(err, ErrIssuerMismatch) {
		t.Fatalf("err = %v, want ErrIssuerMismatch", err)
	}
	srv.set(&srv.issuer, srv.URL+"/")
	if _, err := c.AuthorizationServer(context.Background(), srv.URL); !errors.Is(err, ErrIssuerMismatch) {
		t.Fatalf("trailing slash: err = %v, want ErrIssuerMismatch", err)
	}
	srv.set(&srv.issuer, srv.URL)
	if _, err := c.AuthorizationServer(context.Background(), srv.URL); err != nil {
		t.Fatalf("fixed issuer: %v", err)
	}
	if got := srv.asHits.Load(); got != 3 {
		t.Errorf("fetches = %d, want 3 (failures not cached)", got)
	}
}

func TestProtectedResource(t *testing.T) {
	srv := newWellKnownServer(t)
	clk := &clock{t: time.Unix(1_780_000_000, 0)}
	c := newClient(t, srv.Server, clk)
	ctx := context.Background()
	pr, err := c.ProtectedResource(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Resource != srv.URL || len(pr.AuthorizationServers) != 1 || pr.AuthorizationServers[0] != srv.URL {
		t.Errorf("resource = %+v", pr)
	}
	if _, err := c.ProtectedResource(ctx, srv.URL); err != nil || srv.prHits.Load() != 1 {
		t.Errorf("cached: err %v, fetches %d", err, srv.prHits.Load())
	}
	// From a 401's resource_metadata, for a different resource: refused.
	u, _ := ProtectedResourceMetadataURL(srv.URL)
	if _, err := c.ProtectedResourceAt(ctx, u, srv.URL+"/v2/calls"); !errors.Is(err, ErrResourceMismatch) {
		t.Errorf("err = %v, want ErrResourceMismatch", err)
	}
	srv.set(&srv.resource, "https://other.example")
	c.Forget()
	if _, err := c.ProtectedResource(ctx, srv.URL); !errors.Is(err, ErrResourceMismatch) {
		t.Errorf("err = %v, want ErrResourceMismatch", err)
	}
}

func TestHostileMetadata(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		check  func(error) bool
	}{
		{"html page", 200, "<html>proxy</html>", func(err error) bool { return errors.Is(err, ErrInvalidMetadata) }},
		{"truncated", 200, `{"issuer":"`, func(err error) bool { return errors.Is(err, ErrInvalidMetadata) }},
		{"not found", 404, `{"error":"not_found"}`, func(err error) bool {
			var se *StatusError
			return errors.As(err, &se) && se.StatusCode == 404 && se.Code == "not_found"
		}},
		{"relative endpoint", 200, `{"issuer":"ISSUER","token_endpoint":"/oauth/token"}`, func(err error) bool { return errors.Is(err, ErrInvalidMetadata) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/.well-known/oauth-authorization-server/tenant" {
					t.Errorf("path = %s", r.URL.Path)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(strings.ReplaceAll(tt.body, "ISSUER", srv.URL+"/tenant")))
			}))
			defer srv.Close()
			c := newClient(t, srv, &clock{t: time.Now()})
			if _, err := c.AuthorizationServer(context.Background(), srv.URL+"/tenant"); !tt.check(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestWellKnownURLs(t *testing.T) {
	tests := []struct {
		f       func(string) (string, error)
		in, out string
	}{
		{AuthorizationServerMetadataURL, "https://api.telnyx.com", "https://api.telnyx.com/.well-known/oauth-authorization-server"},
		{AuthorizationServerMetadataURL, "https://api.telnyx.com/", "https://api.telnyx.com/.well-known/oauth-authorization-server"},
		{AuthorizationServerMetadataURL, "https://as.example/issuer1", "https://as.example/.well-known/oauth-authorization-server/issuer1"},
		{ProtectedResourceMetadataURL, "https://api.telnyx.com", "https://api.telnyx.com/.well-known/oauth-protected-resource"},
		{ProtectedResourceMetadataURL, "https://rs.example/resource1/", "https://rs.example/.well-known/oauth-protected-resource/resource1"},
		{ProtectedResourceMetadataURL, "http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/.well-known/oauth-protected-resource/v2"},
	}
	for _, tt := range tests {
		if got, err := tt.f(tt.in); err != nil || got != tt.out {
			t.Errorf("%s → %q, %v; want %q", tt.in, got, err, tt.out)
		}
	}
	for _, bad := range []string{"", "api.telnyx.com", "ftp://x", "https://x?q=1", "https://x#f", "https://u@x"} {
		if got, err := AuthorizationServerMetadataURL(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}
