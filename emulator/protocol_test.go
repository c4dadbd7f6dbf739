package emulator_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// TestAccessTokenVerifiesWithJWKS checks the token with golang-jwt, a JWT
// library independent of the go-jose the emulator signs with.
func TestAccessTokenVerifiesWithJWKS(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	tok := ccToken(t, ts, c)
	keys := jwksKeys(t, ts)
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(tok, claims, func(tk *jwt.Token) (any, error) {
		return keys[tk.Header["kid"].(string)], nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(ts.URL), jwt.WithAudience(ts.URL), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil || !parsed.Valid {
		t.Fatalf("token does not verify: %v", err)
	}
	for _, k := range []string{"sub", "exp", "iat", "nbf", "jti", "scope", "client_id"} {
		if claims[k] == nil {
			t.Errorf("claim %s missing: %v", k, claims)
		}
	}
	if claims["sub"] != c.id || claims["client_id"] != c.id || claims["scope"] != "admin" {
		t.Errorf("claims = %v", claims)
	}
}

func TestKeyRotation(t *testing.T) {
	clock := emulator.NewManualClock(time.Now())
	ts := emulator.NewTestServer(t, emulator.WithClock(clock), emulator.WithAccessTokenTTL(10*time.Minute))
	c := confidential(t, ts)
	old := ccToken(t, ts, c)
	if err := ts.RotateKey(); err != nil {
		t.Fatal(err)
	}
	fresh := ccToken(t, ts, c)
	keys := jwksKeys(t, ts)
	if len(keys) != 2 {
		t.Fatalf("JWKS after rotation has %d keys, want 2", len(keys))
	}
	if kidOf(t, old) == kidOf(t, fresh) {
		t.Fatal("new token signed with the old key")
	}
	for _, tok := range []string{old, fresh} {
		if in := introspect(t, ts, c, tok); in.body["active"] != true {
			t.Fatalf("token inactive after rotation: %s", in.raw)
		}
		if keys[kidOf(t, tok)] == nil {
			t.Fatal("token's key not published")
		}
	}
	clock.Advance(11 * time.Minute)
	keys = jwksKeys(t, ts)
	if len(keys) != 1 || keys[kidOf(t, fresh)] == nil {
		t.Fatalf("retired key still published after its tokens expired: %d keys", len(keys))
	}
}

func kidOf(t *testing.T, tok string) string {
	t.Helper()
	p, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Header["kid"].(string)
}

func jwksKeys(t *testing.T, ts *emulator.TestServer) map[string]any {
	t.Helper()
	r := call(t, "GET", ts.URL+"/v2/oauth/jwks", nil)
	wantStatus(t, r, 200)
	out := map[string]any{}
	for _, k := range r.body["keys"].([]any) {
		m := k.(map[string]any)
		for _, f := range []string{"kty", "n", "e", "kid", "alg", "use"} {
			if m[f] == nil {
				t.Fatalf("JWK lacks %s: %v", f, m)
			}
		}
		pub, err := jwt.ParseRSAPublicKeyFromPEM(pemOf(t, m["n"].(string), m["e"].(string)))
		if err != nil {
			t.Fatal(err)
		}
		out[m["kid"].(string)] = pub
	}
	return out
}

func TestClockExpiresTokensCodesAndConsents(t *testing.T) {
	clock := emulator.NewManualClock(time.Now())
	ts := emulator.NewTestServer(t, emulator.WithClock(clock), emulator.WithAccessTokenTTL(time.Minute),
		emulator.WithCodeTTL(30*time.Second), emulator.WithConsentTTL(20*time.Second), emulator.WithRefreshTokenTTL(time.Hour))
	c := confidential(t, ts)
	tok := ccToken(t, ts, c)
	if in := introspect(t, ts, c, tok); in.body["active"] != true {
		t.Fatal("fresh token inactive")
	}
	clock.Advance(time.Minute)
	if in := introspect(t, ts, c, tok); in.body["active"] != false {
		t.Fatalf("expired token active: %s", in.raw)
	}
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer(tok)...), 401)

	const cb = "https://app.example.com/cb"
	code, _ := authorize(t, ts, c, cb, nil)
	clock.Advance(31 * time.Second)
	wantOAuthError(t, exchangeCode(t, ts, c, code, cb, verifier), 400, "invalid_grant")

	q := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {cb}}
	r := call(t, "GET", ts.URL+"/v2/oauth/authorize?"+q.Encode(), nil)
	loc, _ := url.Parse(r.header.Get("Location"))
	consent := loc.Query().Get("consent_token")
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/consent/"+consent, nil, bearer(ts.APIKey)...), 200)
	clock.Advance(21 * time.Second)
	wantOAuthError(t, call(t, "GET", ts.URL+"/v2/oauth/consent/"+consent, nil, bearer(ts.APIKey)...), 422, "invalid_consent_token")
}

func TestAuthorizeErrorsAndConsent(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	const cb = "https://app.example.com/cb"
	authz := func(q url.Values) resp { return call(t, "GET", ts.URL+"/v2/oauth/authorize?"+q.Encode(), nil) }
	q := func(kv ...string) url.Values {
		v := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {cb}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name   string
		q      url.Values
		status int
	}{
		{"unknown client", q("client_id", "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a"), 404},
		{"unregistered redirect", q("redirect_uri", "https://evil.example/cb"), 422},
		{"bad response type", q("response_type", "token"), 400},
		{"bad challenge method", q("code_challenge", s256(verifier), "code_challenge_method", "S512"), 400},
		{"method without challenge", q("code_challenge_method", "S256"), 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := authz(tc.q)
			wantStatus(t, r, tc.status)
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("content type %q", r.header.Get("Content-Type"))
			}
		})
	}
	t.Run("scope beyond the client redirects with invalid_scope", func(t *testing.T) {
		r := authz(q("scope", "root", "state", "s9"))
		wantStatus(t, r, 302)
		loc, _ := url.Parse(r.header.Get("Location"))
		if !strings.HasPrefix(loc.String(), cb) || loc.Query().Get("error") != "invalid_scope" || loc.Query().Get("state") != "s9" {
			t.Fatalf("Location = %s", loc)
		}
	})
	t.Run("require_pkce", func(t *testing.T) {
		wantStatus(t, call(t, "PUT", ts.URL+"/v2/oauth_clients/"+c.id, map[string]any{"require_pkce": true}, bearer(ts.APIKey)...), 200)
		wantStatus(t, authz(q()), 400)
		wantStatus(t, authz(q("code_challenge", s256(verifier), "code_challenge_method", "S256")), 302)
	})
	t.Run("consent details and HTML page", func(t *testing.T) {
		r := authz(q("code_challenge", s256(verifier), "code_challenge_method", "S256", "state", "abc"))
		wantStatus(t, r, 302)
		loc, _ := url.Parse(r.header.Get("Location"))
		if loc.Path != "/oauth/consent-page" || !strings.HasPrefix(loc.String(), ts.URL) {
			t.Fatalf("consent page at %s", loc)
		}
		token := loc.Query().Get("consent_token")
		d := call(t, "GET", ts.URL+"/v2/oauth/consent/"+token, nil, bearer(ts.APIKey)...)
		wantStatus(t, d, 200)
		if d.data()["client_id"] != c.id || d.data()["redirect_uri"] != cb || d.data()["requested_scopes"] == nil {
			t.Fatalf("consent = %s", d.raw)
		}
		page := call(t, "GET", loc.String(), nil)
		wantStatus(t, page, 200)
		if !strings.Contains(string(page.raw), "Allow") || !strings.Contains(string(page.raw), "Deny") {
			t.Fatalf("page = %s", page.raw)
		}
		back := call(t, "POST", ts.URL+"/oauth/consent-page", url.Values{"consent_token": {token}, "allowed": {"true"}})
		wantStatus(t, back, 302)
		cbURL, _ := url.Parse(back.header.Get("Location"))
		if cbURL.Query().Get("state") != "abc" {
			t.Fatalf("callback %s", cbURL)
		}
		wantStatus(t, exchangeCode(t, ts, c, cbURL.Query().Get("code"), cb, verifier), 200)
		wantOAuthError(t, call(t, "GET", ts.URL+"/v2/oauth/consent/"+token, nil, bearer(ts.APIKey)...), 422, "invalid_consent_token")
	})
}

func TestDynamicRegistration(t *testing.T) {
	ts := emulator.NewTestServer(t)
	reg := func(body any) resp { return call(t, "POST", ts.URL+"/v2/oauth/register", body) }
	r := reg(map[string]any{"client_name": "agent", "redirect_uris": []string{"https://agent.example/cb"}})
	wantStatus(t, r, 201)
	if r.str("client_secret") == "" || r.str("token_endpoint_auth_method") != "client_secret_basic" || r.body["client_id_issued_at"] == nil ||
		r.body["grant_types"].([]any)[0] != "authorization_code" {
		t.Fatalf("default registration = %s", r.raw)
	}
	conf := client{id: r.str("client_id"), secret: r.str("client_secret")}
	got := call(t, "GET", ts.URL+"/v2/oauth_clients/"+conf.id, nil, bearer(ts.APIKey)...)
	if got.data()["client_type"] != "confidential" || got.data()["name"] != "agent" {
		t.Fatalf("registered client = %s", got.raw)
	}
	pub := reg(map[string]any{"token_endpoint_auth_method": "none", "redirect_uris": []string{"http://127.0.0.1:7777/cb"},
		"grant_types": []string{"authorization_code", "refresh_token"}})
	wantStatus(t, pub, 201)
	if _, ok := pub.body["client_secret"]; ok {
		t.Fatalf("public client got a secret: %s", pub.raw)
	}
	cc := reg(map[string]any{"grant_types": []string{"client_credentials"}, "token_endpoint_auth_method": "client_secret_post"})
	wantStatus(t, cc, 201)
	tok := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {cc.str("client_id")}, "client_secret": {cc.str("client_secret")}})
	wantStatus(t, tok, 200)

	for _, tc := range []struct {
		name, code, field string
		body              any
	}{
		{"missing redirect", "invalid_redirect_uri", "redirect_uris", map[string]any{"client_name": "x"}},
		{"http redirect", "invalid_redirect_uri", "redirect_uris", map[string]any{"redirect_uris": []string{"http://agent.example/cb"}}},
		{"unknown field", "invalid_client_metadata", "software_id", map[string]any{"software_id": "x"}},
		{"bad grant type", "invalid_client_metadata", "grant_types", map[string]any{"grant_types": []string{"password"}}},
		{"public client_credentials", "invalid_client_metadata", "grant_types", map[string]any{"grant_types": []string{"client_credentials"}, "token_endpoint_auth_method": "none"}},
		{"implicit response type", "invalid_client_metadata", "response_types", map[string]any{"response_types": []string{"token"}, "redirect_uris": []string{"https://a.example/cb"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := reg(tc.body)
			wantOAuthError(t, r, 400, tc.code)
			fields, _ := r.body["invalid_fields"].(map[string]any)
			if fields[tc.field] == nil {
				t.Fatalf("invalid_fields lacks %s: %s", tc.field, r.raw)
			}
		})
	}
}
