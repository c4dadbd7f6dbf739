package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/contract"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/spec"
	"github.com/telnyxoauth/telnyx-oauth-go/verify"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

const redirectURI = "https://app.example/callback"

// suite is one emulator, an admin wrapper and a record of the operations
// that reached it.
type suite struct {
	ts    *emulator.TestServer
	admin *wrapper.Client
	v     *spec.Validator

	mu  sync.Mutex
	ops map[string]int
}

func newSuite(t *testing.T) *suite {
	t.Helper()
	v, err := spec.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	s := &suite{ts: emulator.NewTestServer(t), v: v, ops: map[string]int{}}
	s.admin = s.client(t, wrapper.WithAPIKey(s.ts.APIKey))
	return s
}

// client returns a wrapper pointed at the emulator with contract
// validation on and a layer that notes each operation sent.
func (s *suite) client(t *testing.T, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	check, err := contract.WrapperOption()
	if err != nil {
		t.Fatal(err)
	}
	base := []wrapper.Option{
		wrapper.WithoutEnvironment(), wrapper.WithBaseURL(s.ts.URL),
		wrapper.WithBackoff(func(int) time.Duration { return 0 }),
		wrapper.WithTransportMiddleware(s.note), check,
	}
	c, err := wrapper.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// note is a transport middleware counting the operations sent to the
// emulator.
func (s *suite) note(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if ex, err := s.v.Route(r); err == nil && s.ts.URL == "http://"+r.URL.Host {
			s.mu.Lock()
			s.ops[ex.Operation]++
			s.mu.Unlock()
		}
		return next.RoundTrip(r)
	})
}

func (s *suite) sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.ops {
		n += c
	}
	return n
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func ptr[T any](v T) *T { return &v }

// createConfidential makes a confidential client allowed every grant.
func (s *suite) createConfidential(t *testing.T, name string) *wrapper.OAuthClient {
	t.Helper()
	c, err := s.admin.Clients.Create(context.Background(), wrapper.CreateClientRequest{
		Name: name, ClientType: wrapper.ClientConfidential,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials, wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		AllowedScopes:     []string{"admin"},
		RedirectUris:      &[]string{redirectURI},
	})
	if err != nil {
		t.Fatalf("create confidential client: %v", err)
	}
	if c.ClientSecret == nil || *c.ClientSecret == "" {
		t.Fatal("confidential client created without a secret")
	}
	return c
}

// createPublic makes a public client for the authorization-code flow.
func (s *suite) createPublic(t *testing.T, name string) *wrapper.OAuthClient {
	t.Helper()
	c, err := s.admin.Clients.Create(context.Background(), wrapper.CreateClientRequest{
		Name: name, ClientType: wrapper.ClientPublic,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		AllowedScopes:     []string{"admin"},
		RedirectUris:      &[]string{redirectURI},
		RequirePkce:       ptr(true),
	})
	if err != nil {
		t.Fatalf("create public client: %v", err)
	}
	return c
}

// authorize runs the browser part of the authorization-code flow through
// the wrapper: AuthorizeURL, Authorize (no redirect followed), Consent and
// ApproveConsent. It returns the session and the callback query.
func (s *suite) authorize(t *testing.T, clientID string) (*wrapper.AuthCodeSession, url.Values) {
	t.Helper()
	ctx := context.Background()
	sess, err := s.admin.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: clientID, RedirectURI: redirectURI, Scope: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	consentToken := s.consentToken(t, sess)
	details, err := s.admin.OAuth.Consent(ctx, consentToken)
	if err != nil {
		t.Fatalf("consent: %v", err)
	}
	if details.ClientID == nil || *details.ClientID != clientID {
		t.Fatalf("consent is for client %v, want %s", details.ClientID, clientID)
	}
	back, err := s.admin.OAuth.ApproveConsent(ctx, consentToken)
	if err != nil {
		t.Fatalf("approve consent: %v", err)
	}
	return sess, callbackQuery(t, back)
}

// consentToken sends the session's authorize request and reads the consent
// token from the redirect to the consent page.
func (s *suite) consentToken(t *testing.T, sess *wrapper.AuthCodeSession) string {
	t.Helper()
	u, err := url.Parse(sess.AuthorizeURL())
	if err != nil || u.Query().Get("code_challenge") != sess.Challenge || u.Query().Get("state") != sess.State {
		t.Fatalf("authorize URL %v lacks the session's challenge or state (%v)", u, err)
	}
	loc, err := s.admin.OAuth.Authorize(context.Background(), sess.AuthorizeParams())
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	lu, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("authorize location %q: %v", loc, err)
	}
	tok := lu.Query().Get("consent_token")
	if tok == "" {
		t.Fatalf("authorize redirected to %s without a consent token", lu.Path)
	}
	return tok
}

func callbackQuery(t *testing.T, redirect string) url.Values {
	t.Helper()
	u, err := url.Parse(redirect)
	if err != nil {
		t.Fatalf("redirect %q: %v", redirect, err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != redirectURI {
		t.Fatalf("redirected to %s, want %s", got, redirectURI)
	}
	return u.Query()
}

func TestEndToEnd(t *testing.T) {
	s := newSuite(t)
	ctx := context.Background()

	t.Run("clients CRUD", func(t *testing.T) {
		c := s.createConfidential(t, "e2e-crud")
		got, err := s.admin.Clients.Get(ctx, c.ClientID)
		if err != nil || got.Name != "e2e-crud" || got.ClientSecret != nil {
			t.Fatalf("get: %+v, %v (want the name and no secret)", got, err)
		}
		up, err := s.admin.Clients.Update(ctx, c.ClientID, wrapper.UpdateClientRequest{Name: ptr("e2e-crud-renamed")})
		if err != nil || up.Name != "e2e-crud-renamed" {
			t.Fatalf("update: %+v, %v", up, err)
		}
		if err := s.admin.Clients.Delete(ctx, c.ClientID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := s.admin.Clients.Get(ctx, c.ClientID); !errors.Is(err, wrapper.ErrNotFound) {
			t.Fatalf("get after delete: %v, want ErrNotFound", err)
		}
	})

	t.Run("clients list and All across pages with filters", func(t *testing.T) {
		for i := range 5 {
			s.createPublic(t, "e2e-page-"+string(rune('a'+i)))
		}
		s.createConfidential(t, "e2e-page-secret")
		p := wrapper.ListClientsParams{NameContains: "e2e-page-", ClientType: wrapper.ClientPublic, PageSize: 2}
		page, err := s.admin.Clients.List(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Meta.TotalResults != 5 || page.Meta.TotalPages != 3 {
			t.Fatalf("first page %d items, meta %+v; want 2 of 5 on 3 pages", len(page.Items), page.Meta)
		}
		all, err := wrapper.Collect(s.admin.Clients.All(ctx, p))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range all {
			if c.ClientType != wrapper.ClientPublic {
				t.Errorf("filter let a %s client through", c.ClientType)
			}
			names = append(names, c.Name)
		}
		slices.Sort(names)
		if want := []string{"e2e-page-a", "e2e-page-b", "e2e-page-c", "e2e-page-d", "e2e-page-e"}; !slices.Equal(names, want) {
			t.Fatalf("All gave %q, want %q", names, want)
		}
		exact, err := s.admin.Clients.List(ctx, wrapper.ListClientsParams{Name: "e2e-page-secret"})
		if err != nil || len(exact.Items) != 1 || exact.Items[0].ClientType != wrapper.ClientConfidential {
			t.Fatalf("exact name filter: %+v, %v", exact, err)
		}
	})

	t.Run("client credentials token, admin call and introspection", func(t *testing.T) {
		cc := s.createConfidential(t, "e2e-service")
		svc := s.client(t, wrapper.WithClientCredentials(cc.ClientID, *cc.ClientSecret), wrapper.WithScope("admin"))
		tok, err := svc.OAuth.Token(ctx, wrapper.TokenRequest{GrantType: wrapper.GrantClientCredentials, Scope: ptr("admin")})
		if err != nil || tok.AccessToken == "" || tok.ExpiresIn <= 0 {
			t.Fatalf("token: %+v, %v", tok, err)
		}
		if _, err := svc.Clients.Get(ctx, cc.ClientID); err != nil {
			t.Fatalf("admin call with the client's own token: %v", err)
		}
		in, err := svc.OAuth.Introspect(ctx, tok.AccessToken)
		if err != nil || !in.Active || in.ClientID == nil || *in.ClientID != cc.ClientID {
			t.Fatalf("introspect: %+v, %v; want active for %s", in, err, cc.ClientID)
		}
		junk, err := svc.OAuth.Introspect(ctx, "not-a-token")
		if err != nil || junk.Active {
			t.Fatalf("introspect junk: %+v, %v; want inactive", junk, err)
		}
	})

	t.Run("authorization code with PKCE, grants, refresh rotation, revoke", func(t *testing.T) {
		pub := s.createPublic(t, "e2e-spa")
		sess, q := s.authorize(t, pub.ClientID)
		code, err := sess.Callback(q)
		if err != nil {
			t.Fatalf("callback: %v", err)
		}
		tok, err := sess.Exchange(ctx, code)
		if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
			t.Fatalf("exchange: %v (token present %t)", err, tok != nil)
		}

		grants, err := wrapper.Collect(s.admin.Grants.All(ctx, wrapper.ListGrantsParams{PageSize: 1}))
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(grants, func(g wrapper.Grant) bool { return g.ClientID == pub.ClientID })
		if i < 0 {
			t.Fatalf("no grant for %s among %d", pub.ClientID, len(grants))
		}
		page, err := s.admin.Grants.List(ctx, wrapper.ListGrantsParams{PageSize: 10})
		if err != nil || len(page.Items) != len(grants) {
			t.Fatalf("grants list: %d items, %v; want %d", len(page.Items), err, len(grants))
		}
		grantID := grants[i].ID.String()
		g, err := s.admin.Grants.Get(ctx, grantID)
		if err != nil || g.ClientID != pub.ClientID || !slices.Contains(g.Scopes, "admin") {
			t.Fatalf("grant get: %+v, %v", g, err)
		}

		next, err := s.admin.OAuth.Refresh(ctx, pub.ClientID, tok.RefreshToken)
		if err != nil || next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken {
			t.Fatalf("refresh did not rotate (err %v)", err)
		}

		as, err := s.admin.Discovery.AuthorizationServer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v, err := verify.New(verify.WithIssuer(*as.Issuer), verify.WithAudience(s.ts.URL), verify.WithJWKSURL(*as.JwksURI))
		if err != nil {
			t.Fatal(err)
		}
		claims, err := v.Verify(ctx, next.AccessToken)
		if err != nil || claims.ClientID != pub.ClientID {
			t.Fatalf("verify against the JWKS: %+v, %v", claims, err)
		}

		svc := s.serviceClient(t)
		in, err := svc.OAuth.Introspect(ctx, next.AccessToken)
		if err != nil || !in.Active {
			t.Fatalf("introspect refreshed token: %+v, %v", in, err)
		}
		revoked, err := s.admin.Grants.Revoke(ctx, grantID)
		if err != nil || revoked.ID.String() != grantID {
			t.Fatalf("revoke: %+v, %v", revoked, err)
		}
		in, err = svc.OAuth.Introspect(ctx, next.AccessToken)
		if err != nil || in.Active {
			t.Fatalf("introspect after revoke: %+v, %v; want inactive", in, err)
		}
		if _, err := s.admin.Grants.Get(ctx, grantID); !errors.Is(err, wrapper.ErrNotFound) {
			t.Fatalf("get revoked grant: %v, want ErrNotFound", err)
		}
	})

	t.Run("old refresh token refused after rotation", func(t *testing.T) {
		pub := s.createPublic(t, "e2e-rotate")
		sess, q := s.authorize(t, pub.ClientID)
		code, _ := sess.Callback(q)
		tok, err := sess.Exchange(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.admin.OAuth.Refresh(ctx, pub.ClientID, tok.RefreshToken); err != nil {
			t.Fatal(err)
		}
		_, err = s.admin.OAuth.Refresh(ctx, pub.ClientID, tok.RefreshToken)
		if !errors.Is(err, wrapper.ErrInvalidGrant) {
			t.Fatalf("reused refresh token: %v, want ErrInvalidGrant", err)
		}
		if strings.Contains(err.Error(), tok.RefreshToken) {
			t.Fatal("error quotes the refresh token")
		}
	})

	t.Run("code reuse is invalid_grant", func(t *testing.T) {
		pub := s.createPublic(t, "e2e-reuse")
		sess, q := s.authorize(t, pub.ClientID)
		code, _ := sess.Callback(q)
		if _, err := sess.Exchange(ctx, code); err != nil {
			t.Fatal(err)
		}
		_, err := sess.Exchange(ctx, code)
		if !errors.Is(err, wrapper.ErrInvalidGrant) {
			t.Fatalf("second exchange: %v, want ErrInvalidGrant", err)
		}
		if strings.Contains(err.Error(), code) {
			t.Fatal("error quotes the code")
		}
	})

	t.Run("confidential client code flow", func(t *testing.T) {
		cc := s.createConfidential(t, "e2e-webapp")
		web := s.client(t, wrapper.WithClientCredentials(cc.ClientID, *cc.ClientSecret))
		sess, err := web.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: cc.ClientID, RedirectURI: redirectURI, Scope: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		ct := s.consentToken(t, sess)
		back, err := s.admin.OAuth.ApproveConsent(ctx, ct)
		if err != nil {
			t.Fatal(err)
		}
		code, err := sess.Callback(callbackQuery(t, back))
		if err != nil {
			t.Fatal(err)
		}
		if tok, err := sess.Exchange(ctx, code); err != nil || tok.RefreshToken == "" {
			t.Fatalf("exchange with client authentication: %v", err)
		}
	})

	t.Run("deny consent", func(t *testing.T) {
		pub := s.createPublic(t, "e2e-deny")
		sess, err := s.admin.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: pub.ClientID, RedirectURI: redirectURI})
		if err != nil {
			t.Fatal(err)
		}
		back, err := s.admin.OAuth.DenyConsent(ctx, s.consentToken(t, sess))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sess.Callback(callbackQuery(t, back)); !errors.Is(err, wrapper.ErrAccessDenied) {
			t.Fatalf("callback after deny: %v, want ErrAccessDenied", err)
		}
	})

	t.Run("dynamic registration", func(t *testing.T) {
		reg, err := s.admin.OAuth.Register(ctx, wrapper.RegistrationRequest{
			ClientName: ptr("e2e-agent"), RedirectUris: &[]string{redirectURI},
			GrantTypes: &[]wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		})
		if err != nil || reg.ClientID == "" {
			t.Fatalf("register: %+v, %v", reg, err)
		}
		got, err := s.admin.Clients.Get(ctx, reg.ClientID)
		if err != nil || got.Name != "e2e-agent" {
			t.Fatalf("registered client: %+v, %v", got, err)
		}
	})

	t.Run("JWKS and discovery", func(t *testing.T) {
		set, err := s.admin.OAuth.JWKS(ctx)
		if err != nil || set.Keys == nil || len(*set.Keys) == 0 {
			t.Fatalf("jwks: %+v, %v", set, err)
		}
		as, err := s.admin.Discovery.AuthorizationServer(ctx)
		if err != nil || as.Issuer == nil || *as.Issuer != s.ts.URL {
			t.Fatalf("authorization server metadata: %+v, %v; want issuer %s", as, err, s.ts.URL)
		}
		if as.TokenEndpoint == nil || *as.TokenEndpoint != s.admin.TokenURL() {
			t.Errorf("token endpoint %v, want %s", as.TokenEndpoint, s.admin.TokenURL())
		}
		pr, err := s.admin.Discovery.ProtectedResource(ctx)
		if err != nil || pr.AuthorizationServers == nil || !slices.Contains(*pr.AuthorizationServers, s.ts.URL) {
			t.Fatalf("protected resource metadata: %+v, %v", pr, err)
		}
	})

	t.Run("wrong API key is ErrUnauthorized", func(t *testing.T) {
		bad := s.client(t, wrapper.WithAPIKey("KEY_wrong"))
		_, err := bad.Clients.List(ctx, wrapper.ListClientsParams{})
		if !errors.Is(err, wrapper.ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if strings.Contains(err.Error(), "KEY_wrong") {
			t.Fatal("error quotes the API key")
		}
	})

	t.Run("bad client id fails before sending", func(t *testing.T) {
		before := s.sent()
		if _, err := s.admin.Clients.Get(ctx, "not-a-uuid"); err == nil {
			t.Fatal("bad id accepted")
		}
		if _, err := s.admin.Grants.Revoke(ctx, "../oauth_clients"); err == nil {
			t.Fatal("bad grant id accepted")
		}
		if after := s.sent(); after != before {
			t.Fatalf("%d requests sent for bad ids", after-before)
		}
	})

	t.Run("the suite's clients validate the contract", func(t *testing.T) {
		// The same client options against a server that breaks the
		// contract: the violation must surface as a *spec.Error.
		bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":{"id":"7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b","record_type":"oauth_grant"}}`))
		}))
		defer bad.Close()
		c := s.client(t, wrapper.WithAPIKey(s.ts.APIKey), wrapper.WithBaseURL(bad.URL))
		_, err := c.Grants.Get(ctx, "7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b")
		var ce *spec.Error
		if !errors.As(err, &ce) || ce.Operation != "GetOAuthGrant" {
			t.Fatalf("err = %v, want a contract violation of GetOAuthGrant", err)
		}
	})

	t.Run("every operation was exercised", func(t *testing.T) {
		doc, err := spec.Load()
		if err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		n := 0
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				n++
				if s.ops[op.OperationID] == 0 {
					t.Errorf("operation %s never sent", op.OperationID)
				}
			}
		}
		if n != 17 {
			t.Errorf("document has %d operations, want 17", n)
		}
	})
}

// serviceClient is a confidential client's wrapper, for introspection.
func (s *suite) serviceClient(t *testing.T) *wrapper.Client {
	t.Helper()
	cc := s.createConfidential(t, "e2e-introspector")
	return s.client(t, wrapper.WithClientCredentials(cc.ClientID, *cc.ClientSecret))
}
