package emulator_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

func TestClientCredentialsAndIntrospection(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	tok := ccToken(t, ts, c)
	in := introspect(t, ts, c, tok)
	if in.body["active"] != true || in.str("client_id") != c.id || in.str("scope") != "admin" || in.str("iss") != ts.URL || in.str("aud") != ts.URL {
		t.Fatalf("introspection = %s", in.raw)
	}
	if got := introspect(t, ts, c, "not-a-token"); string(got.raw) != "{\"active\":false}\n" {
		t.Fatalf("inactive introspection = %s", got.raw)
	}
}

func TestTokenClientAuthVariants(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	tokenURL := ts.URL + "/v2/oauth/token"
	t.Run("form body credentials", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id}, "client_secret": {c.secret}})
		wantStatus(t, r, 200)
		if r.str("token_type") != "Bearer" || r.body["expires_in"].(float64) != 3600 {
			t.Fatalf("token = %s", r.raw)
		}
	})
	t.Run("JSON body credentials", func(t *testing.T) {
		r := call(t, "POST", tokenURL, map[string]any{"grant_type": "client_credentials", "client_id": c.id, "client_secret": c.secret})
		wantStatus(t, r, 200)
	})
	t.Run("bearer header is ignored", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id}, "client_secret": {c.secret}}, bearer(ts.APIKey)...)
		wantStatus(t, r, 200)
	})
	t.Run("wrong secret by basic", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic(c.id, "nope")...)
		wantOAuthError(t, r, 401, "invalid_client")
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
			t.Fatalf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
		}
	})
	t.Run("wrong secret in body", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id}, "client_secret": {"x"}})
		wantOAuthError(t, r, 401, "invalid_client")
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
			t.Fatalf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
		}
	})
	t.Run("unknown client", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic("0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a", "x")...)
		wantOAuthError(t, r, 401, "invalid_client")
	})
	t.Run("no client", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}})
		wantOAuthError(t, r, 401, "invalid_client")
	})
	t.Run("bad scope", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "scope": {"admin superuser"}}, basic(c.id, c.secret)...)
		wantOAuthError(t, r, 400, "invalid_scope")
	})
	t.Run("unknown grant type", func(t *testing.T) {
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"password"}}, basic(c.id, c.secret)...)
		wantStatus(t, r, 400)
		if r.str("error") == "" {
			t.Fatalf("no error code: %s", r.raw)
		}
	})
	t.Run("grant type not allowed", func(t *testing.T) {
		ac := createClient(t, ts, map[string]any{"name": "web", "client_type": "confidential", "allowed_scopes": []string{"admin"},
			"allowed_grant_types": []string{"authorization_code"}, "redirect_uris": []string{"https://a.example/cb"}})
		r := call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic(ac.id, ac.secret)...)
		wantOAuthError(t, r, 400, "unauthorized_client")
	})
}

func TestAuthorizationCodeFlow(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	const cb = "https://app.example.com/cb"
	code, state := authorize(t, ts, c, cb, nil)
	if code == "" || state != "st-123" {
		t.Fatalf("code %q state %q", code, state)
	}
	r := exchangeCode(t, ts, c, code, cb, verifier)
	wantStatus(t, r, 200)
	access, refresh := r.str("access_token"), r.str("refresh_token")
	if access == "" || refresh == "" {
		t.Fatalf("token response %s", r.raw)
	}
	in := introspect(t, ts, c, access)
	if in.body["active"] != true || in.str("sub") == c.id {
		t.Fatalf("introspection %s", in.raw)
	}
	grants := call(t, "GET", ts.URL+"/v2/oauth_grants", nil, bearer(ts.APIKey)...)
	wantStatus(t, grants, 200)
	if n := len(grants.body["data"].([]any)); n != 1 {
		t.Fatalf("grants = %d", n)
	}

	t.Run("code reuse is invalid_grant and revokes its tokens", func(t *testing.T) {
		wantOAuthError(t, exchangeCode(t, ts, c, code, cb, verifier), 400, "invalid_grant")
		if in := introspect(t, ts, c, access); in.body["active"] != false {
			t.Fatalf("token of a reused code still active: %s", in.raw)
		}
		r := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, basic(c.id, c.secret)...)
		wantOAuthError(t, r, 400, "invalid_grant")
	})
}

func TestAuthorizationCodeErrors(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	other := confidential(t, ts)
	const cb = "https://app.example.com/cb"
	t.Run("PKCE mismatch", func(t *testing.T) {
		code, _ := authorize(t, ts, c, cb, nil)
		wantOAuthError(t, exchangeCode(t, ts, c, code, cb, strings.Repeat("x", 50)), 400, "invalid_grant")
	})
	t.Run("missing verifier", func(t *testing.T) {
		code, _ := authorize(t, ts, c, cb, nil)
		r := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb}}, basic(c.id, c.secret)...)
		wantOAuthError(t, r, 400, "invalid_request")
	})
	t.Run("plain PKCE", func(t *testing.T) {
		code, _ := authorize(t, ts, c, cb, url.Values{"code_challenge": {verifier}, "code_challenge_method": {"plain"}})
		wantStatus(t, exchangeCode(t, ts, c, code, cb, verifier), 200)
	})
	t.Run("redirect mismatch", func(t *testing.T) {
		code, _ := authorize(t, ts, c, cb, nil)
		wantOAuthError(t, exchangeCode(t, ts, c, code, "https://app.example.com/other", verifier), 400, "invalid_grant")
	})
	t.Run("code bound to client", func(t *testing.T) {
		code, _ := authorize(t, ts, c, cb, nil)
		wantOAuthError(t, exchangeCode(t, ts, other, code, cb, verifier), 400, "invalid_grant")
	})
	t.Run("unknown code", func(t *testing.T) {
		wantOAuthError(t, exchangeCode(t, ts, c, "ac_nope", cb, verifier), 400, "invalid_grant")
	})
	t.Run("denied consent", func(t *testing.T) {
		q := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {cb}, "state": {"s1"}}
		r := call(t, "GET", ts.URL+"/v2/oauth/authorize?"+q.Encode(), nil)
		wantStatus(t, r, 302)
		loc, _ := url.Parse(r.header.Get("Location"))
		g := call(t, "POST", ts.URL+"/v2/oauth/grants", map[string]any{"allowed": false, "consent_token": loc.Query().Get("consent_token")}, bearer(ts.APIKey)...)
		wantStatus(t, g, 200)
		back, _ := url.Parse(g.str("redirect_uri"))
		if back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "s1" || back.Query().Get("code") != "" {
			t.Fatalf("redirect %s", back)
		}
		g = call(t, "POST", ts.URL+"/v2/oauth/grants", map[string]any{"allowed": true, "consent_token": loc.Query().Get("consent_token")}, bearer(ts.APIKey)...)
		wantOAuthError(t, g, 422, "invalid_consent_token")
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	const cb = "https://app.example.com/cb"
	code, _ := authorize(t, ts, c, cb, nil)
	first := exchangeCode(t, ts, c, code, cb, verifier)
	wantStatus(t, first, 200)
	refresh := func(rt string) resp {
		return call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, basic(c.id, c.secret)...)
	}
	second := refresh(first.str("refresh_token"))
	wantStatus(t, second, 200)
	if second.str("refresh_token") == first.str("refresh_token") {
		t.Fatal("refresh token not rotated")
	}
	if in := introspect(t, ts, c, second.str("access_token")); in.body["active"] != true {
		t.Fatalf("new token inactive: %s", in.raw)
	}
	wantOAuthError(t, refresh(first.str("refresh_token")), 400, "invalid_grant")
	if in := introspect(t, ts, c, second.str("access_token")); in.body["active"] != false {
		t.Fatalf("token still active after refresh reuse: %s", in.raw)
	}
	wantOAuthError(t, refresh(second.str("refresh_token")), 400, "invalid_grant")
	grants := call(t, "GET", ts.URL+"/v2/oauth_grants", nil, bearer(ts.APIKey)...)
	if n := len(grants.body["data"].([]any)); n != 0 {
		t.Fatalf("grant survived refresh reuse: %s", grants.raw)
	}
}

func TestPublicClientPKCE(t *testing.T) {
	ts := emulator.NewTestServer(t)
	const cb = "http://127.0.0.1:9999/callback"
	pub := createClient(t, ts, map[string]any{"name": "cli", "client_type": "public", "allowed_scopes": []string{"admin"},
		"allowed_grant_types": []string{"authorization_code", "refresh_token"}, "redirect_uris": []string{cb}})
	if pub.secret != "" {
		t.Fatal("public client got a secret")
	}
	q := url.Values{"response_type": {"code"}, "client_id": {pub.id}, "redirect_uri": {cb}}
	r := call(t, "GET", ts.URL+"/v2/oauth/authorize?"+q.Encode(), nil)
	wantStatus(t, r, 400)
	code, _ := authorize(t, ts, pub, cb, nil)
	tok := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {cb}, "code_verifier": {verifier}, "client_id": {pub.id}})
	wantStatus(t, tok, 200)
}

func TestIntrospectionClientAuth(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	tok := ccToken(t, ts, c)
	u := ts.URL + "/v2/oauth/introspect"
	wantOAuthError(t, call(t, "POST", u, url.Values{"token": {tok}}), 401, "invalid_client")
	wantOAuthError(t, call(t, "POST", u, url.Values{"token": {tok}}, basic(c.id, "wrong")...), 401, "invalid_client")
	wantOAuthError(t, call(t, "POST", u, url.Values{"token": {tok}, "client_id": {c.id}, "client_secret": {"wrong"}}), 401, "invalid_client")
	r := call(t, "POST", u, map[string]any{"token": tok, "client_id": c.id, "client_secret": c.secret})
	wantStatus(t, r, 200)
	if r.body["active"] != true {
		t.Fatalf("JSON introspection = %s", r.raw)
	}
	r = call(t, "POST", u, url.Values{"client_id": {c.id}, "client_secret": {c.secret}})
	wantOAuthError(t, r, 400, "invalid_request")
}

func TestValidationOff(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.WithValidation(false))
	c := confidential(t, ts)
	tok := ccToken(t, ts, c)
	if in := introspect(t, ts, c, tok); in.body["active"] != true {
		t.Fatalf("introspection = %s", in.raw)
	}
	wantOAuthError(t, call(t, "GET", ts.URL+"/v2/oauth_clients?page%5Bsize%5D=500", nil, bearer(ts.APIKey)...), 400, "invalid_request")
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer("nope")...), 401)
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients/not-a-uuid", nil, bearer(ts.APIKey)...), 404)
}
