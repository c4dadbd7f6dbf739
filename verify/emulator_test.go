package verify_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
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

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/verify"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// These tests verify tokens the emulator issues, over HTTP, with the
// verifier configured from the emulator's discovered metadata.

var t0 = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

// countingTransport counts the JWKS requests that pass through it.
type countingTransport struct{ jwks atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/oauth/jwks") {
		c.jwks.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// emu is an emulator on a manual clock with its discovered metadata.
type emu struct {
	ts    *emulator.TestServer
	clock *emulator.ManualClock
	md    *discovery.AuthorizationServer
	admin *wrapper.Client
}

func newEmu(t *testing.T, opts ...emulator.Option) *emu {
	t.Helper()
	clk := emulator.NewManualClock(t0)
	ts := emulator.NewTestServer(t, append([]emulator.Option{emulator.WithClock(clk)}, opts...)...)
	dc, err := discovery.New()
	if err != nil {
		t.Fatal(err)
	}
	md, err := dc.AuthorizationServer(context.Background(), ts.URL)
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(ts.URL), wrapper.WithAPIKey(ts.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	return &emu{ts: ts, clock: clk, md: md, admin: admin}
}

// confidential creates a confidential client allowed scopes and returns
// a wrapper client holding its credentials.
func (e *emu) confidential(t *testing.T, scopes ...string) (*wrapper.Client, string) {
	t.Helper()
	oc, err := e.admin.Clients.Create(context.Background(), wrapper.CreateClientRequest{
		Name: "resource server", ClientType: wrapper.ClientConfidential, AllowedScopes: scopes,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials, wrapper.GrantAuthorizationCode},
		RedirectUris:      &[]string{"http://127.0.0.1/callback"},
	})
	if err != nil {
		t.Fatalf("create client: %v", err)
	}
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(e.ts.URL),
		wrapper.WithClientCredentials(oc.ClientID, *oc.ClientSecret), wrapper.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	return c, oc.ClientID
}

// token obtains a client_credentials access token through c.
func token(t *testing.T, c *wrapper.Client) string {
	t.Helper()
	tok, err := c.TokenSource().Token()
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return tok.AccessToken
}

// verifier builds a verifier from the discovered metadata, on the
// emulator's clock, fetching keys through rt.
func (e *emu) verifier(t *testing.T, rt http.RoundTripper, opts ...verify.Option) *verify.Verifier {
	t.Helper()
	base := []verify.Option{
		verify.WithIssuer(e.md.Issuer), verify.WithAudience(e.ts.URL), verify.WithJWKSURL(e.md.JWKSURI),
		verify.WithClock(e.clock.Now), verify.WithHTTPClient(&http.Client{Transport: rt}),
	}
	v, err := verify.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEmulatorTokenVerifies(t *testing.T) {
	e := newEmu(t)
	c, id := e.confidential(t, "admin")
	v := e.verifier(t, http.DefaultTransport)
	cl, err := v.Verify(context.Background(), token(t, c))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if cl.Issuer != e.ts.URL || !cl.HasAudience(e.ts.URL) || cl.ClientID != id || !cl.HasScope("admin") || cl.JWTID == "" || cl.Introspected {
		t.Errorf("claims = %+v", cl)
	}
	if !cl.Expiry.Equal(t0.Add(time.Hour)) {
		t.Errorf("exp = %v, want %v", cl.Expiry, t0.Add(time.Hour))
	}
}

func TestEmulatorTokenRefusals(t *testing.T) {
	e := newEmu(t, emulator.WithAccessTokenTTL(5*time.Minute))
	c, _ := e.confidential(t, "admin")
	ctx := context.Background()
	tok := token(t, c)
	head, payload, sig := split(t, tok)

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var hdr struct{ Kid string }
	decodeSegment(t, head, &hdr)
	var claims map[string]any
	decodeSegment(t, payload, &claims)

	tampered := map[string]any{}
	for k, v := range claims {
		tampered[k] = v
	}
	tampered["scope"] = "admin superuser"

	tests := []struct {
		name  string
		token string
		v     *verify.Verifier
		want  error
	}{
		{"tampered payload", head + "." + encodeSegment(t, tampered) + "." + sig, e.verifier(t, http.DefaultTransport), verify.ErrBadSignature},
		{"other key, emulator kid", signJWT(t, other, jose.RS256, hdr.Kid, claims), e.verifier(t, http.DefaultTransport), verify.ErrBadSignature},
		{"other key, unknown kid", signJWT(t, other, jose.RS256, "not-published", claims), e.verifier(t, http.DefaultTransport), verify.ErrUnknownKey},
		{"alg none", encodeSegment(t, map[string]string{"alg": "none", "typ": "JWT"}) + "." + payload + ".", e.verifier(t, http.DefaultTransport), verify.ErrDisallowedAlgorithm},
		{"HS256 with the public key", signJWT(t, publicPEM(t, e, hdr.Kid), jose.HS256, hdr.Kid, claims), e.verifier(t, http.DefaultTransport), verify.ErrDisallowedAlgorithm},
		{"wrong issuer", tok, mustVerifier(t, verify.WithIssuer("https://api.telnyx.com"), verify.WithAudience(e.ts.URL), verify.WithJWKSURL(e.md.JWKSURI), verify.WithClock(e.clock.Now)), verify.ErrWrongIssuer},
		{"wrong audience", tok, mustVerifier(t, verify.WithIssuer(e.md.Issuer), verify.WithAudience("https://resource.example"), verify.WithJWKSURL(e.md.JWKSURI), verify.WithClock(e.clock.Now)), verify.ErrWrongAudience},
	}
	sentinels := []error{verify.ErrBadSignature, verify.ErrUnknownKey, verify.ErrDisallowedAlgorithm, verify.ErrWrongIssuer, verify.ErrWrongAudience, verify.ErrExpired}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.v.Verify(ctx, tt.token)
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != (s == tt.want) {
					t.Errorf("errors.Is(%v, %v) = %v", err, s, got)
				}
			}
			if err != nil && strings.Contains(err.Error(), sig) {
				t.Error("error holds the token")
			}
		})
	}

	t.Run("expired", func(t *testing.T) {
		v := e.verifier(t, http.DefaultTransport, verify.WithLeeway(30*time.Second))
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatalf("fresh token: %v", err)
		}
		e.clock.Advance(5*time.Minute + 31*time.Second)
		if _, err := v.Verify(ctx, tok); !errors.Is(err, verify.ErrExpired) {
			t.Fatalf("after exp: %v, want ErrExpired", err)
		}
	})
}

func TestEmulatorKeyRotationOneRefetch(t *testing.T) {
	e := newEmu(t)
	c, _ := e.confidential(t, "admin")
	ctx := context.Background()
	rt := &countingTransport{}
	v := e.verifier(t, rt, verify.WithRefetchInterval(time.Minute))
	before := token(t, c)
	if _, err := v.Verify(ctx, before); err != nil {
		t.Fatal(err)
	}
	if n := rt.jwks.Load(); n != 1 {
		t.Fatalf("JWKS fetches after the first token = %d, want 1", n)
	}
	if err := e.ts.RotateKey(); err != nil {
		t.Fatal(err)
	}
	// A fresh client gets a token signed by the new key.
	c2, _ := e.confidential(t, "admin")
	after := token(t, c2)
	if kidOf(t, after) == kidOf(t, before) {
		t.Fatal("rotation did not change the kid")
	}
	for range 3 {
		if _, err := v.Verify(ctx, after); err != nil {
			t.Fatalf("new-key token: %v", err)
		}
	}
	if _, err := v.Verify(ctx, before); err != nil {
		t.Fatalf("old-key token after rotation: %v", err)
	}
	if n := rt.jwks.Load(); n != 2 {
		t.Fatalf("JWKS fetches = %d, want 2 (exactly one refetch)", n)
	}
}

func TestEmulatorUnknownKIDFlood(t *testing.T) {
	e := newEmu(t)
	c, _ := e.confidential(t, "admin")
	ctx := context.Background()
	rt := &countingTransport{}
	v := e.verifier(t, rt, verify.WithRefetchInterval(time.Minute))
	tok := token(t, c)
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	_, payload, _ := split(t, tok)
	var claims map[string]any
	decodeSegment(t, payload, &claims)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forged := make([]string, 64)
	for i := range forged {
		forged[i] = signJWT(t, other, jose.RS256, "kid-"+string(rune('a'+i%26))+string(rune('a'+i/26)), claims)
	}
	flood := func() {
		var wg sync.WaitGroup
		for _, f := range forged {
			wg.Go(func() {
				if _, err := v.Verify(ctx, f); !errors.Is(err, verify.ErrUnknownKey) {
					t.Errorf("forged kid: %v, want ErrUnknownKey", err)
				}
			})
		}
		wg.Wait()
	}
	for round, want := range []int64{2, 2, 3} {
		if round == 2 {
			e.clock.Advance(time.Minute)
		}
		flood()
		if n := rt.jwks.Load(); n != want {
			t.Fatalf("round %d: JWKS fetches = %d, want %d", round, n, want)
		}
	}
	// The genuine token still verifies from the cached set.
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
}

func TestEmulatorRevokedGrantRefusedByIntrospection(t *testing.T) {
	e := newEmu(t)
	rs, rsID := e.confidential(t, "admin") // the resource server's own credentials
	ctx := context.Background()
	intro, err := verify.NewWrapperIntrospector(rs)
	if err != nil {
		t.Fatal(err)
	}
	v := e.verifier(t, http.DefaultTransport,
		verify.WithIntrospection(intro, verify.IntrospectAlways), verify.WithIntrospectionCache(0, 1))

	// A user grants the client access through the authorization-code flow.
	tok := authorize(t, e, rs, rsID)
	cl, err := v.Verify(ctx, tok)
	if err != nil {
		t.Fatalf("before revocation: %v", err)
	}
	if !cl.HasScope("admin") {
		t.Errorf("claims = %+v", cl)
	}
	grants, err := wrapper.Collect(e.admin.Grants.All(ctx, wrapper.ListGrantsParams{}))
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants: %v %v", grants, err)
	}
	if _, err := e.admin.Grants.Revoke(ctx, grants[0].ID.String()); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := v.Verify(ctx, tok); !errors.Is(err, verify.ErrInactive) {
		t.Fatalf("after revocation: %v, want ErrInactive", err)
	}
	// Without introspection the signature alone still passes: that is why
	// IntrospectAlways exists.
	if _, err := e.verifier(t, http.DefaultTransport).Verify(ctx, tok); err != nil {
		t.Fatalf("JWT-only verifier: %v", err)
	}
}

// authorize runs the authorization-code flow with PKCE for c, approving
// the consent with the admin API key as the user would in a browser, and
// returns the access token.
func authorize(t *testing.T, e *emu, c *wrapper.Client, id string) string {
	t.Helper()
	ctx := context.Background()
	s, err := c.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: id, RedirectURI: "http://127.0.0.1/callback", Scope: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(s.AuthorizeURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	consent, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || consent.Query().Get("consent_token") == "" {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	back, err := e.admin.OAuth.ApproveConsent(ctx, consent.Query().Get("consent_token"))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := url.Parse(back)
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.Callback(cb.Query())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func mustVerifier(t *testing.T, opts ...verify.Option) *verify.Verifier {
	t.Helper()
	v, err := verify.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func split(t *testing.T, tok string) (string, string, string) {
	t.Helper()
	p := strings.Split(tok, ".")
	if len(p) != 3 {
		t.Fatalf("token has %d parts", len(p))
	}
	return p[0], p[1], p[2]
}

func decodeSegment(t *testing.T, seg string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func encodeSegment(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func kidOf(t *testing.T, tok string) string {
	t.Helper()
	head, _, _ := split(t, tok)
	var h struct{ Kid string }
	decodeSegment(t, head, &h)
	return h.Kid
}

func signJWT(t *testing.T, key any, alg jose.SignatureAlgorithm, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// publicPEM returns the PEM encoding of the emulator's published key kid,
// the secret of the classic HS256 key-confusion attack.
func publicPEM(t *testing.T, e *emu, kid string) []byte {
	t.Helper()
	resp, err := http.Get(e.md.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	keys := set.Key(kid)
	if len(keys) == 0 {
		t.Fatalf("kid %q not published", kid)
	}
	der, err := x509.MarshalPKIXPublicKey(keys[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestEmulatorMiddlewareChallenges(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	v := e.verifier(t, http.DefaultTransport)
	guard, err := verify.NewGuard(v, verify.WithRequiredScopes("admin"), verify.WithRealm("telnyx"))
	if err != nil {
		t.Fatal(err)
	}
	rs := httptest.NewServer(guard.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cl, _ := verify.ClaimsFromContext(r.Context())
		_, _ = w.Write([]byte(cl.ClientID))
	})))
	t.Cleanup(rs.Close)

	admin, adminID := e.confidential(t, "admin")
	reader, _ := e.confidential(t, "read") // a client the emulator lets ask only for "read"
	metadataURL := e.ts.URL + "/.well-known/oauth-protected-resource"

	tests := []struct {
		name      string
		bearer    string
		status    int
		errorCode string
		scope     string
	}{
		{"no token", "", 401, "", ""},
		{"garbage token", "not.a.jwt", 401, "invalid_token", ""},
		{"missing scope", token(t, reader), 403, "insufficient_scope", "admin"},
		{"valid", token(t, admin), 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rs.URL+"/data", nil)
			if tt.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tt.bearer)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := make([]byte, 128)
			n, _ := resp.Body.Read(body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 200 {
				if string(body[:n]) != adminID {
					t.Errorf("handler saw client %q, want %q", body[:n], adminID)
				}
				return
			}
			ch, err := discovery.ParseBearerChallenge(resp.Header)
			if err != nil {
				t.Fatalf("WWW-Authenticate %q: %v", resp.Header.Values("WWW-Authenticate"), err)
			}
			if ch.Realm != "telnyx" || ch.Error != tt.errorCode || ch.Scope != tt.scope || ch.ResourceMetadata != metadataURL {
				t.Errorf("challenge = %+v", ch)
			}
		})
	}

	// The resource_metadata of the challenge leads back to the emulator.
	dc, _ := discovery.New()
	pr, err := dc.ProtectedResourceAt(ctx, metadataURL, e.ts.URL)
	if err != nil || len(pr.AuthorizationServers) != 1 || pr.AuthorizationServers[0] != e.md.Issuer {
		t.Fatalf("protected resource %+v: %v", pr, err)
	}
}

func TestEmulatorJWKSFailureKeepsLastGoodKeys(t *testing.T) {
	e := newEmu(t)
	c, _ := e.confidential(t, "admin")
	ctx := context.Background()
	rt := &countingTransport{}
	v := e.verifier(t, rt, verify.WithCacheTTL(time.Minute, time.Minute, time.Minute), verify.WithRefetchInterval(time.Minute))
	tok := token(t, c)
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := e.ts.InjectFault(emulator.Fault{PathPrefix: "/v2/oauth/jwks", Status: http.StatusServiceUnavailable}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Minute) // the cached set is stale
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("with the JWKS endpoint failing: %v", err)
	}
	if n := rt.jwks.Load(); n != 2 {
		t.Fatalf("JWKS fetches = %d, want 2 (the failed refetch)", n)
	}
	e.ts.ClearFaults()
	e.clock.Advance(2 * time.Minute)
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if n := rt.jwks.Load(); n != 3 {
		t.Fatalf("JWKS fetches = %d, want 3 (recovered)", n)
	}
}

func TestWrapperIntrospectorFailures(t *testing.T) {
	if _, err := verify.NewWrapperIntrospector(nil); err == nil {
		t.Fatal("nil client accepted")
	}
	e := newEmu(t)
	c, _ := e.confidential(t, "admin")
	tok := token(t, c)
	for name, wc := range map[string]*wrapper.Client{
		"no client credentials": e.admin, // an API key does not authenticate a client
		"wrong secret":          mustWrapper(t, wrapper.WithBaseURL(e.ts.URL), wrapper.WithClientCredentials("0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a", "sk_wrong"), wrapper.WithMaxRetries(0)),
	} {
		t.Run(name, func(t *testing.T) {
			intro, err := verify.NewWrapperIntrospector(wc)
			if err != nil {
				t.Fatal(err)
			}
			v := mustVerifier(t, verify.WithIntrospection(intro, verify.IntrospectAlways), verify.WithIssuer(e.md.Issuer),
				verify.WithAudience(e.ts.URL), verify.WithJWKSURL(e.md.JWKSURI), verify.WithClock(e.clock.Now))
			_, err = v.Verify(context.Background(), tok)
			if err == nil || errors.Is(err, verify.ErrInactive) {
				t.Fatalf("err = %v, want a failure to check, not a refusal", err)
			}
			if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), "sk_wrong") {
				t.Errorf("secret in %q", err)
			}
		})
	}
}

func mustWrapper(t *testing.T, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	c, err := wrapper.New(append([]wrapper.Option{wrapper.WithoutEnvironment()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
