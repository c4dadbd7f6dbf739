package agent_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/agent"
	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/verify"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// verifierFor verifies the emulator's tokens for the resource it serves.
func verifierFor(t *testing.T, ts *emulator.TestServer, conn *agent.Connection) *verify.Verifier {
	t.Helper()
	v, err := verify.New(verify.WithIssuer(conn.Server.Issuer), verify.WithAudience(ts.URL), verify.WithJWKSURL(conn.Server.JWKSURI))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestConnectPublicClientToToken(t *testing.T) {
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	store := &memStore{}
	rt := &counter{}
	opts := []agent.Option{
		agent.WithRedirectURI(redirect), agent.WithClientName("test agent"), agent.WithScope("admin"),
		agent.WithRegistrationStore(store), agent.WithHTTPClient(&http.Client{Transport: rt}),
	}
	conn, err := agent.Connect(ctx, ts.URL, opts...)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	reg := conn.Registration
	if !conn.Registered || !reg.Public() || reg.Issuer != ts.URL || reg.AuthMethod != "none" || conn.Server.Issuer != ts.URL || conn.Resource.Resource != ts.URL {
		t.Fatalf("connection: registered %v, %+v", conn.Registered, reg)
	}
	if conn.Session == nil || conn.TokenSource != nil {
		t.Fatalf("session %v, token source %v", conn.Session, conn.TokenSource)
	}
	if rt.count("POST /v2/oauth/register") != 1 || store.saves != 1 {
		t.Fatalf("registrations %d, saves %d", rt.count("POST /v2/oauth/register"), store.saves)
	}
	// The registered client is what the consent page names.
	got, err := adminClient(t, ts).Clients.Get(ctx, reg.ClientID)
	if err != nil || got.Name != "test agent" || got.ClientType != wrapper.ClientPublic {
		t.Fatalf("registered client %+v: %v", got, err)
	}

	code, err := conn.Session.Callback(approve(t, ts, conn.Session.AuthorizeURL()))
	if err != nil {
		t.Fatalf("callback: %v", err)
	}
	tok, err := conn.Session.Exchange(ctx, code)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	cl, err := verifierFor(t, ts, conn).Verify(ctx, tok.AccessToken)
	if err != nil || cl.ClientID != reg.ClientID || !cl.HasScope("admin") {
		t.Fatalf("token claims %+v: %v", cl, err)
	}
	api, err := conn.APIClient(oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	page, err := api.Clients.List(ctx, wrapper.ListClientsParams{ClientID: reg.ClientID})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("API call with the agent's token: %v %v", page, err)
	}

	// A second run reuses the stored registration.
	again, err := agent.Connect(ctx, ts.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if again.Registered || again.Registration.ClientID != reg.ClientID || rt.count("POST /v2/oauth/register") != 1 {
		t.Fatalf("second connect registered again: %v %s", again.Registered, again.Registration.ClientID)
	}
	// Sessions are fresh per attempt.
	s2, err := again.NewSession()
	if err != nil || s2.State == again.Session.State || s2.Verifier == again.Session.Verifier {
		t.Fatalf("NewSession: %v", err)
	}
}

func TestConnectConfidentialClientCredentials(t *testing.T) {
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	conn, err := agent.Connect(ctx, ts.URL+"/", agent.WithConfidential(), agent.WithScope("admin"), agent.WithClientName("worker"))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	reg := conn.Registration
	if reg.Public() || reg.AuthMethod != "client_secret_basic" || conn.Session != nil || conn.TokenSource == nil {
		t.Fatalf("connection %+v", conn)
	}
	for _, s := range []string{reg.String(), fmt.Sprint(reg.LogValue())} {
		if strings.Contains(s, reg.ClientSecret) {
			t.Errorf("secret in %q", s)
		}
	}
	tok, err := conn.TokenSource.Token()
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	cl, err := verifierFor(t, ts, conn).Verify(ctx, tok.AccessToken)
	if err != nil || cl.ClientID != reg.ClientID {
		t.Fatalf("claims %+v: %v", cl, err)
	}
	// The connection's client holds the credentials: it can call the API.
	if _, err := conn.Client.Grants.List(ctx, wrapper.ListGrantsParams{}); err != nil {
		t.Fatalf("API call: %v", err)
	}
}

func TestConnectWithConfiguredClient(t *testing.T) {
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	oc, err := adminClient(t, ts).Clients.Create(ctx, wrapper.CreateClientRequest{
		Name: "preregistered", ClientType: wrapper.ClientConfidential, AllowedScopes: []string{"admin"},
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantClientCredentials},
		RedirectUris:      &[]string{redirect},
	})
	if err != nil {
		t.Fatal(err)
	}
	rt := &counter{}
	conn, err := agent.Connect(ctx, ts.URL, agent.WithClientID(oc.ClientID), agent.WithClientSecret(*oc.ClientSecret),
		agent.WithRedirectURI(redirect), agent.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if conn.Registered || rt.count("POST /v2/oauth/register") != 0 || conn.Session == nil || conn.TokenSource == nil {
		t.Fatalf("registered %v (%d requests), session %v", conn.Registered, rt.count("POST /v2/oauth/register"), conn.Session)
	}
	// The confidential client authenticates the exchange with Basic.
	code, err := conn.Session.Callback(approve(t, ts, conn.Session.AuthorizeURL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Session.Exchange(ctx, code); err != nil {
		t.Fatalf("exchange: %v", err)
	}
}

// resourceServer is an API guarded by the verifier, with its own
// protected-resource metadata naming the emulator as authorization server.
func resourceServer(t *testing.T, ts *emulator.TestServer) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	rs := httptest.NewServer(mux)
	t.Cleanup(rs.Close)
	v, err := verify.New(verify.WithIssuer(ts.URL), verify.WithAudience(ts.URL), verify.WithJWKSURL(ts.URL+"/v2/oauth/jwks"))
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/data", v.Middleware(verify.WithResourceMetadata(rs.URL+"/.well-known/oauth-protected-resource"))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("secret data")) })))
	mux.HandleFunc("/.well-known/oauth-protected-resource", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"resource":%q,"authorization_servers":[%q]}`, rs.URL, ts.URL)
	})
	return rs
}

func TestConnectFromChallenge(t *testing.T) {
	ts := emulator.NewTestServer(t)
	rs := resourceServer(t, ts)
	ctx := context.Background()
	resp, err := http.Get(rs.URL + "/data")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d", resp.StatusCode)
	}
	conn, err := agent.ConnectFromChallenge(ctx, resp, agent.WithRedirectURI(redirect))
	if err != nil {
		t.Fatalf("ConnectFromChallenge: %v", err)
	}
	if conn.Resource.Resource != rs.URL || conn.Server.Issuer != ts.URL || !conn.Registered {
		t.Fatalf("resource %s, issuer %s", conn.Resource.Resource, conn.Server.Issuer)
	}
	code, err := conn.Session.Callback(approve(t, ts, conn.Session.AuthorizeURL()))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := conn.Session.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rs.URL+"/data", nil)
	tok.SetAuthHeader(req)
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	if again.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %d", again.StatusCode)
	}
}

func TestConnectFromChallengeRefusesForeignMetadata(t *testing.T) {
	ts := emulator.NewTestServer(t)
	rs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Points at metadata of another origin (the emulator's).
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer resource_metadata="%s/.well-known/oauth-protected-resource"`, ts.URL))
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(rs.Close)
	resp, err := http.Get(rs.URL + "/data")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, err = agent.ConnectFromChallenge(context.Background(), resp, agent.WithRedirectURI(redirect))
	if !errors.Is(err, agent.ErrResourceMismatch) {
		t.Fatalf("err = %v, want ErrResourceMismatch", err)
	}

	// No Bearer challenge at all.
	resp.Header.Del("WWW-Authenticate")
	if _, err := agent.ConnectFromChallenge(context.Background(), resp, agent.WithRedirectURI(redirect)); !errors.Is(err, discovery.ErrNoBearerChallenge) {
		t.Fatalf("err = %v, want ErrNoBearerChallenge", err)
	}
}

// challenger answers 401 with the given challenge and serves its own
// protected-resource metadata naming the emulator.
func challenger(t *testing.T, ts *emulator.TestServer, challenge func(self string) string) *httptest.Server {
	t.Helper()
	var rs *httptest.Server
	rs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/oauth-protected-resource" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"resource":%q,"authorization_servers":[%q]}`, rs.URL, ts.URL)
			return
		}
		w.Header().Set("WWW-Authenticate", challenge(rs.URL))
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func TestConnectFromChallengeScopeAndFallback(t *testing.T) {
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		challenge func(self string) string
		wantScope string
	}{
		{"scope from the challenge", func(self string) string {
			return fmt.Sprintf(`Bearer error="insufficient_scope", scope="admin", resource_metadata="%s/.well-known/oauth-protected-resource"`, self)
		}, "admin"},
		{"no resource_metadata: the origin's well-known document", func(string) string { return `Bearer realm="api"` }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := challenger(t, ts, tt.challenge)
			resp, err := http.Get(rs.URL + "/v1/things")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			conn, err := agent.ConnectFromChallenge(ctx, resp, agent.WithRedirectURI(redirect))
			if err != nil {
				t.Fatalf("ConnectFromChallenge: %v", err)
			}
			if conn.Resource.Resource != rs.URL || conn.Server.Issuer != ts.URL {
				t.Fatalf("resource %s, issuer %s", conn.Resource.Resource, conn.Server.Issuer)
			}
			u, err := url.Parse(conn.Session.AuthorizeURL())
			if err != nil || u.Query().Get("scope") != tt.wantScope {
				t.Errorf("authorize URL scope = %q, want %q", u.Query().Get("scope"), tt.wantScope)
			}
		})
	}
	// Without a request, a challenge without resource_metadata is a dead end.
	resp := &http.Response{StatusCode: 401, Header: http.Header{"Www-Authenticate": {`Bearer realm="api"`}}}
	if _, err := agent.ConnectFromChallenge(ctx, resp, agent.WithRedirectURI(redirect)); !errors.Is(err, agent.ErrNoResourceMetadata) {
		t.Fatalf("err = %v, want ErrNoResourceMetadata", err)
	}
}

func TestLoggerShowsStepsNotSecrets(t *testing.T) {
	ts := emulator.NewTestServer(t)
	var buf strings.Builder
	var mu sync.Mutex
	l := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	conn, err := agent.Connect(context.Background(), ts.URL, agent.WithConfidential(), agent.WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, want := range []string{"protected resource", "authorization server", "registered client", conn.Registration.ClientID} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, conn.Registration.ClientSecret) {
		t.Errorf("secret logged:\n%s", out)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *strings.Builder
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestConnectFromChallengeWithResource(t *testing.T) {
	ts := emulator.NewTestServer(t)
	// The metadata URL is not a well-known one; WithResource says what
	// it must describe.
	rs := challenger(t, ts, func(self string) string {
		return fmt.Sprintf(`Bearer resource_metadata="%s/.well-known/oauth-protected-resource?v=1"`, self)
	})
	resp, err := http.Get(rs.URL + "/data")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	conn, err := agent.ConnectFromChallenge(context.Background(), resp, agent.WithRedirectURI(redirect), agent.WithResource(rs.URL))
	if err != nil || conn.Resource.Resource != rs.URL {
		t.Fatalf("ConnectFromChallenge: %v", err)
	}
	// A resource that does not cover the refused URL is refused.
	_, err = agent.ConnectFromChallenge(context.Background(), resp, agent.WithRedirectURI(redirect), agent.WithResource(rs.URL+"/other"))
	if !errors.Is(err, agent.ErrResourceMismatch) {
		t.Fatalf("err = %v, want ErrResourceMismatch", err)
	}
}

// A base URL or HTTP client passed through WithWrapperOptions cannot send the
// chain's requests elsewhere: the issuer's base URL and the chain's HTTP
// client win.
func TestWrapperOptionsCannotRedirectTheChain(t *testing.T) {
	ts := emulator.NewTestServer(t)
	rt := &counter{}
	conn, err := agent.Connect(context.Background(), ts.URL,
		agent.WithRedirectURI("http://127.0.0.1:8765/callback"),
		agent.WithHTTPClient(&http.Client{Transport: rt}),
		agent.WithWrapperOptions(wrapper.WithBaseURL("http://127.0.0.1:1"), wrapper.WithHTTPClient(&http.Client{})))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if got := conn.Client.RootURL(); got != ts.URL+"/" {
		t.Errorf("wrapper client root %q, want %q", got, ts.URL+"/")
	}
	if n := rt.count("POST /v2/oauth/register"); n != 1 {
		t.Errorf("registrations through the chain's HTTP client: %d, want 1", n)
	}
}
