package agent_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/agent"
	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

var chainErrors = []error{
	agent.ErrResourceMismatch, agent.ErrIssuerMismatch, agent.ErrNoAuthorizationServer, agent.ErrNoPKCE,
	agent.ErrNoRegistrationEndpoint, agent.ErrNotSupported, agent.ErrRegistrationRefused,
}

// onlyIs checks that err matches want and none of the other chain errors.
func onlyIs(t *testing.T, err, want error) {
	t.Helper()
	for _, e := range chainErrors {
		if got := errors.Is(err, e); got != (e == want) {
			t.Errorf("errors.Is(%v, %v) = %v", err, e, got)
		}
	}
}

func TestConnectRefusesBogusServers(t *testing.T) {
	tests := []struct {
		name  string
		bend  func(b *bogus)
		opts  []agent.Option
		want  error
		shown string // a part of the message that explains it
	}{
		{"resource mismatch", func(b *bogus) { b.pr["resource"] = "https://elsewhere.example" }, nil, agent.ErrResourceMismatch, "resource"},
		{"issuer mismatch", func(b *bogus) { b.as["issuer"] = "https://evil.example" }, nil, agent.ErrIssuerMismatch, "issuer"},
		{"no authorization server", func(b *bogus) { b.pr["authorization_servers"] = []string{} }, nil, agent.ErrNoAuthorizationServer, "lists none"},
		{"authorization server not listed", func(b *bogus) {}, []agent.Option{agent.WithAuthorizationServer("https://other.example")}, agent.ErrNoAuthorizationServer, "not listed"},
		{"no PKCE", func(b *bogus) { delete(b.as, "code_challenge_methods_supported") }, nil, agent.ErrNoPKCE, "S256"},
		{"plain PKCE only", func(b *bogus) { b.as["code_challenge_methods_supported"] = []string{"plain"} }, nil, agent.ErrNoPKCE, "S256"},
		{"no registration endpoint", func(b *bogus) { delete(b.as, "registration_endpoint") }, nil, agent.ErrNoRegistrationEndpoint, "registration"},
		{"no client_credentials", func(b *bogus) { b.as["grant_types_supported"] = []string{"authorization_code"} }, []agent.Option{agent.WithConfidential()}, agent.ErrNotSupported, "client_credentials"},
		{"no public clients", func(b *bogus) { b.as["token_endpoint_auth_methods_supported"] = []string{"client_secret_basic"} }, nil, agent.ErrNotSupported, "none"},
		{"token endpoint elsewhere", func(b *bogus) { b.as["token_endpoint"] = "https://tokens.example/token" }, nil, agent.ErrNotSupported, "token_endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBogus(t)
			tt.bend(b)
			opts := append([]agent.Option{agent.WithRedirectURI(redirect)}, tt.opts...)
			_, err := agent.Connect(context.Background(), b.srv.URL, opts...)
			onlyIs(t, err, tt.want)
			if err != nil && !strings.Contains(err.Error(), tt.shown) {
				t.Errorf("message %q does not mention %q", err, tt.shown)
			}
		})
	}
}

func TestConnectRegistrationRefused(t *testing.T) {
	ts := emulator.NewTestServer(t)
	store := &memStore{}
	// http is allowed for loopback redirect URIs only.
	_, err := agent.Connect(context.Background(), ts.URL, agent.WithRedirectURI("http://app.example/callback"), agent.WithRegistrationStore(store))
	onlyIs(t, err, agent.ErrRegistrationRefused)
	var re *agent.RegistrationError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *RegistrationError", err)
	}
	if re.Code != "invalid_redirect_uri" || len(re.InvalidFields["redirect_uris"]) == 0 {
		t.Fatalf("registration error %+v", re)
	}
	if !strings.Contains(err.Error(), "redirect_uris: [0] must use https") {
		t.Errorf("message %q hides the invalid field", err)
	}
	var ae *wrapper.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || ae.Operation != "RegisterOAuthClient" {
		t.Errorf("APIError %+v", ae)
	}
	if store.saves != 0 {
		t.Error("a refused registration was saved")
	}
}

func TestConnectServerFailuresKeepTheirType(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.WithFault(emulator.Fault{PathPrefix: "/v2/oauth/register", Status: 503}))
	_, err := agent.Connect(context.Background(), ts.URL, agent.WithRedirectURI(redirect),
		agent.WithWrapperOptions(wrapper.WithMaxRetries(0)))
	if errors.Is(err, agent.ErrRegistrationRefused) || !errors.Is(err, wrapper.ErrServer) {
		t.Fatalf("err = %v, want a server error that is not a refusal", err)
	}
	// A missing metadata document is a *discovery.StatusError.
	b := newBogus(t)
	_, err = agent.Connect(context.Background(), b.srv.URL+"/nowhere", agent.WithRedirectURI(redirect))
	var se *discovery.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusNotFound {
		t.Fatalf("err = %v, want *discovery.StatusError 404", err)
	}
}

func TestOptionsFailBeforeSending(t *testing.T) {
	b := newBogus(t)
	tests := []struct {
		name string
		opts []agent.Option
	}{
		{"public without redirect URI", nil},
		{"secret without id", []agent.Option{agent.WithClientSecret("s3cr3t-value"), agent.WithRedirectURI(redirect)}},
		{"confidential id without secret", []agent.Option{agent.WithClientID("id"), agent.WithConfidential()}},
		{"relative redirect URI", []agent.Option{agent.WithRedirectURI("/callback")}},
		{"redirect URI with fragment", []agent.Option{agent.WithRedirectURI("http://127.0.0.1/cb#x")}},
		{"empty client id", []agent.Option{agent.WithClientID(" ")}},
		{"nil HTTP client", []agent.Option{agent.WithHTTPClient(nil)}},
		{"nil store", []agent.Option{agent.WithRegistrationStore(nil)}},
		{"relative issuer", []agent.Option{agent.WithAuthorizationServer("as.example")}},
		{"nil option", []agent.Option{nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := agent.Connect(context.Background(), b.srv.URL, tt.opts...)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "s3cr3t-value") {
				t.Errorf("secret in %q", err)
			}
		})
	}
	if n := b.hit.Load(); n != 0 {
		t.Fatalf("%d requests sent for invalid options", n)
	}
}

type failingStore struct{ memStore }

func (*failingStore) Load(context.Context, string) (*agent.Registration, error) {
	return nil, errors.New("disk on fire")
}

func TestRegistrationStoreErrors(t *testing.T) {
	ts := emulator.NewTestServer(t)
	_, err := agent.Connect(context.Background(), ts.URL, agent.WithRedirectURI(redirect), agent.WithRegistrationStore(&failingStore{}))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v", err)
	}
	// A stored registration that does not fit (public, while a
	// confidential client is asked for) is replaced.
	store := &memStore{}
	pub, err := agent.Connect(context.Background(), ts.URL, agent.WithRedirectURI(redirect), agent.WithRegistrationStore(store))
	if err != nil {
		t.Fatal(err)
	}
	conf, err := agent.Connect(context.Background(), ts.URL, agent.WithConfidential(), agent.WithRegistrationStore(store))
	if err != nil {
		t.Fatal(err)
	}
	if !conf.Registered || conf.Registration.ClientID == pub.Registration.ClientID || store.saves != 2 {
		t.Fatalf("registered %v, saves %d", conf.Registered, store.saves)
	}
}
