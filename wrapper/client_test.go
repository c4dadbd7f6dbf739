package wrapper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

func TestBaseURLNormalisation(t *testing.T) {
	tests := []struct{ in, api, root string }{
		{"https://api.telnyx.com", "https://api.telnyx.com/v2/", "https://api.telnyx.com/"},
		{"https://api.telnyx.com/", "https://api.telnyx.com/v2/", "https://api.telnyx.com/"},
		{"https://api.telnyx.com/v2", "https://api.telnyx.com/v2/", "https://api.telnyx.com/"},
		{"https://api.telnyx.com/v2/", "https://api.telnyx.com/v2/", "https://api.telnyx.com/"},
		{"http://localhost:8080/prefix/v2", "http://localhost:8080/prefix/v2/", "http://localhost:8080/prefix/"},
	}
	for _, tt := range tests {
		c, err := New(WithoutEnvironment(), WithBaseURL(tt.in))
		if err != nil {
			t.Fatalf("New(%q): %v", tt.in, err)
		}
		if c.APIBaseURL() != tt.api || c.RootURL() != tt.root || c.TokenURL() != tt.api+"oauth/token" {
			t.Errorf("%q: got api %q root %q token %q", tt.in, c.APIBaseURL(), c.RootURL(), c.TokenURL())
		}
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"bad scheme", []Option{WithBaseURL("ftp://x")}, "invalid base URL"},
		{"no host", []Option{WithBaseURL("https://")}, "invalid base URL"},
		{"query", []Option{WithBaseURL("https://x/?a=b")}, "invalid base URL"},
		{"empty key", []Option{WithAPIKey("  ")}, "empty API key"},
		{"half credentials", []Option{WithClientCredentials("id", "")}, "client id and a secret"},
		{"key and credentials", []Option{WithAPIKey("k"), WithClientCredentials("id", "s")}, "conflicting credentials"},
		{"nil http client", []Option{WithHTTPClient(nil)}, "nil http client"},
		{"retries", []Option{WithMaxRetries(-1)}, "max retries"},
		{"user agent with newline", []Option{WithUserAgent("app/1\r\nX-Evil: 1")}, "control character"},
	}
	for _, tt := range tests {
		_, err := New(append([]Option{WithoutEnvironment()}, tt.opts...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestCredentialPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		opts     []Option
		wantKind string // "key", "cc", "ts", "none", "error"
		wantKey  string
	}{
		{"env key", map[string]string{EnvAPIKey: "env-key"}, nil, "key", "env-key"},
		{"env client credentials", map[string]string{EnvClientID: "i", EnvClientSecret: "s"}, nil, "cc", ""},
		{"explicit key beats env key", map[string]string{EnvAPIKey: "env-key"}, []Option{WithAPIKey("mine")}, "key", "mine"},
		{"explicit credentials beat env key", map[string]string{EnvAPIKey: "env-key"}, []Option{WithClientCredentials("i", "s")}, "cc", ""},
		{"explicit key beats env credentials", map[string]string{EnvClientID: "i", EnvClientSecret: "s"}, []Option{WithAPIKey("mine")}, "key", "mine"},
		{"env both is ambiguous", map[string]string{EnvAPIKey: "k", EnvClientID: "i", EnvClientSecret: "s"}, nil, "error", ""},
		{"env half credentials", map[string]string{EnvClientID: "i"}, nil, "error", ""},
		{"nothing", nil, nil, "none", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{EnvAPIKey, EnvClientID, EnvClientSecret, EnvBaseURL} {
				t.Setenv(k, tt.env[k])
			}
			c, err := New(tt.opts...)
			if tt.wantKind == "error" {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := "none"
			switch {
			case c.cfg.apiKey != nil:
				got = "key"
				if *c.cfg.apiKey != tt.wantKey {
					t.Errorf("key %q, want %q", *c.cfg.apiKey, tt.wantKey)
				}
			case c.tokens != nil:
				got = "cc"
			}
			if got != tt.wantKind {
				t.Errorf("got %s, want %s", got, tt.wantKind)
			}
		})
	}
}

func TestEnvBaseURLAndExplicitWins(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	t.Setenv(EnvBaseURL, "https://env.example/v2")
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if c.APIBaseURL() != "https://env.example/v2/" {
		t.Errorf("api base %q", c.APIBaseURL())
	}
	c, err = New(WithBaseURL("https://mine.example"))
	if err != nil {
		t.Fatal(err)
	}
	if c.TokenURL() != "https://mine.example/v2/oauth/token" {
		t.Errorf("token URL %q", c.TokenURL())
	}
	t.Setenv(EnvBaseURL, "not a url")
	if _, err := New(); err == nil {
		t.Error("bad TELNYX_BASE_URL accepted")
	}
}

func TestWithHTTPClientCopies(t *testing.T) {
	orig := &http.Client{Timeout: 5 * time.Second}
	c, err := New(WithoutEnvironment(), WithHTTPClient(orig))
	if err != nil {
		t.Fatal(err)
	}
	if orig.Transport != nil || orig.CheckRedirect != nil {
		t.Error("caller's http.Client was modified")
	}
	if c.hc == orig || c.hc.Timeout != 5*time.Second {
		t.Error("client not copied with its settings")
	}
}

func TestUserAgentAndCallOptions(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "telnyx-oauth-go/"+Version) || !strings.HasSuffix(ua, " myapp/1") {
			t.Errorf("User-Agent %q", ua)
		}
		if r.Header.Get("X-Trace") != "abc" {
			t.Errorf("extra header missing")
		}
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			t.Errorf("extra header overrode Authorization")
		}
		writeJSON(w, 200, map[string]any{"data": clientJSON(clientUUID, "one")})
	})
	c := newTestClient(t, f, WithAPIKey(testKey), WithUserAgent("myapp/1"))
	_, err := c.Clients.Get(context.Background(), clientUUID,
		WithHeader("X-Trace", "abc"), WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
}

func TestCallOptionsRejectBadInputBeforeSending(t *testing.T) {
	f := newFake(t)
	var sent atomic.Int32
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		writeJSON(w, 200, map[string]any{"data": clientJSON(clientUUID, "one")})
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	tests := []struct {
		name string
		opt  CallOption
		want string
	}{
		{"zero timeout", WithTimeout(0), "timeout must be positive"},
		{"negative timeout", WithTimeout(-time.Second), "timeout must be positive"},
		{"authorization header", WithHeader("authorization", "Bearer evil"), "set by the client"},
		{"user agent header", WithHeader("User-Agent", "x"), "set by the client"},
		{"empty header name", WithHeader("", "x"), "invalid header name"},
		{"header name with space", WithHeader("X Trace", "x"), "invalid header name"},
		{"header value with newline", WithHeader("X-Trace", "a\r\nX-Evil: 1"), "control character"},
		{"empty idempotency key", WithIdempotencyKey(""), "idempotency key"},
		{"idempotency key with newline", WithIdempotencyKey("k\n1"), "idempotency key"},
	}
	for _, tt := range tests {
		_, err := c.Clients.Get(context.Background(), clientUUID, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "wrapper: GetOAuthClient: ") {
			t.Errorf("%s: got %v, want error containing %q", tt.name, err, tt.want)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent with invalid call options, want 0", n)
	}
}

func TestCallTimeoutApplies(t *testing.T) {
	f := newFake(t)
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
		gatewayErr(w, 503, "x", "gone")
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	_, err := c.Clients.Get(context.Background(), clientUUID, WithTimeout(time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want deadline exceeded", err)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://app.example/cb?code=abc&state="+r.URL.Query().Get("state"))
		w.WriteHeader(http.StatusFound)
	})
	c := newTestClient(t, f)
	st := "st"
	loc, err := c.OAuth.Authorize(context.Background(), AuthorizeParams{ClientID: testID, RedirectURI: "https://app.example/cb", State: &st})
	if err != nil {
		t.Fatal(err)
	}
	if loc != "https://app.example/cb?code=abc&state=st" {
		t.Errorf("location %q", loc)
	}
}

func TestIDRoutesMatchGeneratedBuilders(t *testing.T) {
	c, err := New(WithoutEnvironment(), WithBaseURL("https://h.example/pre/v2"))
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.New()
	for _, tt := range []struct {
		r     idRoute
		build func(string, uuid.UUID) (*http.Request, error)
	}{
		{c.routes.getClient, api.NewGetOAuthClientRequest},
		{c.routes.deleteClient, api.NewDeleteOAuthClientRequest},
		{c.routes.getGrant, api.NewGetOAuthGrantRequest},
		{c.routes.revokeGrant, api.NewRevokeOAuthGrantRequest},
	} {
		want, _ := tt.build(c.APIBaseURL(), id)
		got, err := tt.r.request(context.Background(), id)
		if err != nil || got.Method != want.Method || got.URL.String() != want.URL.String() {
			t.Errorf("got %s %s, want %s %s", got.Method, got.URL, want.Method, want.URL)
		}
	}
}
