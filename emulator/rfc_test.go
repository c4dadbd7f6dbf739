package emulator_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// TestNoStoreOnCredentialResponses checks RFC 6749 section 5.1: responses
// carrying tokens or secrets say Cache-Control: no-store and Pragma:
// no-cache, errors included.
func TestNoStoreOnCredentialResponses(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	tokenURL := ts.URL + "/v2/oauth/token"
	cases := map[string]resp{
		"token 200": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic(c.id, c.secret)...),
		"token 400": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "scope": {"nope"}}, basic(c.id, c.secret)...),
		"token 401": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic(c.id, "wrong")...),
		"client create": call(t, "POST", ts.URL+"/v2/oauth_clients", map[string]any{"name": "svc", "client_type": "confidential",
			"allowed_scopes": []string{"admin"}, "allowed_grant_types": []string{"client_credentials"}}, bearer(ts.APIKey)...),
		"register": call(t, "POST", ts.URL+"/v2/oauth/register", map[string]any{"grant_types": []string{"client_credentials"}}),
	}
	for name, r := range cases {
		if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
			t.Errorf("%s (%d): Cache-Control %q Pragma %q", name, r.status, r.header.Get("Cache-Control"), r.header.Get("Pragma"))
		}
	}
}

// TestEvery401HasAChallenge checks that each 401 names a scheme in
// WWW-Authenticate (RFC 9110 section 15.5.2, RFC 6749 section 5.2, RFC 6750
// section 3), including a malformed or empty Basic header.
func TestEvery401HasAChallenge(t *testing.T) {
	for _, validate := range []bool{true, false} {
		ts := emulator.NewTestServer(t, emulator.WithValidation(validate))
		c := confidential(t, ts)
		tokenURL, introURL := ts.URL+"/v2/oauth/token", ts.URL+"/v2/oauth/introspect"
		cc := url.Values{"grant_type": {"client_credentials"}}
		basicCases := map[string]resp{
			"token, body secret wrong": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id}, "client_secret": {"x"}}),
			"token, no client":         call(t, "POST", tokenURL, cc),
			"token, empty header":      call(t, "POST", tokenURL, cc, "Authorization", ""),
			"token, bad base64":        call(t, "POST", tokenURL, cc, "Authorization", "Basic !!!"),
			"token, Basic alone":       call(t, "POST", tokenURL, cc, "Authorization", "Basic"),
			"introspect, no client":    call(t, "POST", introURL, url.Values{"token": {"x"}}),
			"introspect, bad base64":   call(t, "POST", introURL, url.Values{"token": {"x"}}, "Authorization", "Basic %%%"),
		}
		for name, r := range basicCases {
			wantOAuthError(t, r, 401, "invalid_client")
			if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Basic ") {
				t.Errorf("validate=%v %s: WWW-Authenticate = %q", validate, name, got)
			}
		}
		meta := `resource_metadata="` + ts.URL + `/.well-known/oauth-protected-resource"`
		none := call(t, "GET", ts.URL+"/v2/oauth_clients", nil)
		wantStatus(t, none, 401)
		if got := none.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") || strings.Contains(got, "error=") || !strings.Contains(got, meta) {
			t.Errorf("validate=%v admin without key: WWW-Authenticate = %q", validate, got)
		}
		bad := call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer("wrong")...)
		wantStatus(t, bad, 401)
		if got := bad.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") || !strings.Contains(got, `error="invalid_token"`) || !strings.Contains(got, meta) {
			t.Errorf("validate=%v admin with a wrong key: WWW-Authenticate = %q", validate, got)
		}
	}
}

// TestCodeVerifierSyntax checks RFC 7636 section 4.1 at the token
// endpoint: a verifier outside 43..128 unreserved characters is refused
// even when its S256 hash matches the challenge, and the code stays usable.
func TestCodeVerifierSyntax(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	const cb = "https://app.example.com/cb"
	for name, v := range map[string]string{
		"too short":  "abc",
		"42 chars":   strings.Repeat("a", 42),
		"129 chars":  strings.Repeat("a", 129),
		"bad chars":  strings.Repeat("a", 42) + "+",
		"non-ASCII":  strings.Repeat("a", 42) + "é",
		"with space": strings.Repeat("a", 42) + " ",
	} {
		t.Run(name, func(t *testing.T) {
			code, _ := authorize(t, ts, c, cb, url.Values{"code_challenge": {s256(v)}})
			wantOAuthError(t, exchangeCode(t, ts, c, code, cb, v), 400, "invalid_request")
		})
	}
	for _, v := range []string{strings.Repeat("a", 43), strings.Repeat("A9-._~", 21) + "xy"} {
		code, _ := authorize(t, ts, c, cb, url.Values{"code_challenge": {s256(v)}})
		wantStatus(t, exchangeCode(t, ts, c, code, cb, v), 200)
	}
}

// TestRefreshKeepsTheGrantedScope checks RFC 6749 section 6: asking for less
// scope on a refresh narrows the access token, not the rotated refresh token.
func TestRefreshKeepsTheGrantedScope(t *testing.T) {
	ts := emulator.NewTestServer(t)
	const cb = "https://app.example.com/cb"
	c := createClient(t, ts, map[string]any{
		"name": "svc", "client_type": "confidential", "allowed_scopes": []string{"admin", "read"},
		"allowed_grant_types": []string{"authorization_code", "refresh_token"}, "redirect_uris": []string{cb},
	})
	code, _ := authorize(t, ts, c, cb, url.Values{"scope": {"admin read"}})
	first := exchangeCode(t, ts, c, code, cb, verifier)
	wantStatus(t, first, 200)
	refresh := func(rt, scope string) resp {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
		if scope != "" {
			form.Set("scope", scope)
		}
		return call(t, "POST", ts.URL+"/v2/oauth/token", form, basic(c.id, c.secret)...)
	}
	narrow := refresh(first.str("refresh_token"), "read")
	wantStatus(t, narrow, 200)
	if narrow.str("scope") != "read" {
		t.Fatalf("narrowed scope = %q", narrow.str("scope"))
	}
	wide := refresh(narrow.str("refresh_token"), "admin")
	wantStatus(t, wide, 200)
	if wide.str("scope") != "admin" {
		t.Fatalf("scope = %q", wide.str("scope"))
	}
	full := refresh(wide.str("refresh_token"), "")
	wantStatus(t, full, 200)
	if full.str("scope") != "admin read" {
		t.Fatalf("scope without a scope parameter = %q", full.str("scope"))
	}
	wantOAuthError(t, refresh(full.str("refresh_token"), "admin write"), 400, "invalid_scope")
}

// TestTokenParametersOnceAndInTheBody checks RFC 6749 sections 2.3.1 and
// 3.2: a repeated parameter, or one in the URL (a client secret in the query
// string above all), is invalid_request rather than silently used.
func TestTokenParametersOnceAndInTheBody(t *testing.T) {
	for _, validate := range []bool{true, false} {
		ts := emulator.NewTestServer(t, emulator.WithValidation(validate))
		c := confidential(t, ts)
		tokenURL, introURL := ts.URL+"/v2/oauth/token", ts.URL+"/v2/oauth/introspect"
		tok := ccToken(t, ts, c)
		for name, r := range map[string]resp{
			"repeated grant_type": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials", "authorization_code"}}, basic(c.id, c.secret)...),
			"repeated scope":      call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "scope": {"admin", "other"}}, basic(c.id, c.secret)...),
			"repeated secret": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id},
				"client_secret": {c.secret, "other"}}),
			"secret in the URL": call(t, "POST", tokenURL+"?"+url.Values{"client_id": {c.id}, "client_secret": {c.secret}}.Encode(),
				url.Values{"grant_type": {"client_credentials"}}),
			"introspect, repeated token": call(t, "POST", introURL, url.Values{"token": {"x", tok}}, basic(c.id, c.secret)...),
			"introspect, token in URL":   call(t, "POST", introURL+"?token="+tok, url.Values{"token": {"x"}}, basic(c.id, c.secret)...),
		} {
			if r.status != 400 || r.str("error") != "invalid_request" {
				t.Errorf("validate=%v %s: %d %s", validate, name, r.status, r.raw)
			}
		}
	}
}

// TestUnsupportedGrantType checks RFC 6749 section 5.2: an unknown
// grant_type is unsupported_grant_type (not invalid_request, nor
// unauthorized_client), and a missing one is invalid_request, with
// validation on or off.
func TestUnsupportedGrantType(t *testing.T) {
	for _, validate := range []bool{true, false} {
		ts := emulator.NewTestServer(t, emulator.WithValidation(validate))
		c := confidential(t, ts)
		u := ts.URL + "/v2/oauth/token"
		auth := basic(c.id, c.secret)
		wantOAuthError(t, call(t, "POST", u, url.Values{"grant_type": {"password"}}, auth...), 400, "unsupported_grant_type")
		wantOAuthError(t, call(t, "POST", u, map[string]any{"grant_type": "urn:ietf:params:oauth:grant-type:device_code"}, auth...), 400, "unsupported_grant_type")
		wantOAuthError(t, call(t, "POST", u, url.Values{"scope": {"admin"}}, auth...), 400, "invalid_request")
		wantOAuthError(t, call(t, "POST", u, url.Values{"grant_type": {""}}, auth...), 400, "invalid_request")
	}
}

// TestRepeatedScopeIsGrantedOnce checks that "admin admin" yields the scope
// "admin", for client credentials and through consent.
func TestRepeatedScopeIsGrantedOnce(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	r := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"admin  admin"}}, basic(c.id, c.secret)...)
	wantStatus(t, r, 200)
	if r.str("scope") != "admin" {
		t.Fatalf("client credentials scope = %q", r.str("scope"))
	}
	const cb = "https://app.example.com/cb"
	code, _ := authorize(t, ts, c, cb, url.Values{"scope": {"admin admin"}})
	r = exchangeCode(t, ts, c, code, cb, verifier)
	wantStatus(t, r, 200)
	if r.str("scope") != "admin" {
		t.Fatalf("authorization code scope = %q", r.str("scope"))
	}
}

// TestMalformedBasicIsInvalidClient checks that a Basic header that does
// not decode fails authentication even when the body holds good
// credentials: the client may use one method only (RFC 6749 section 2.3).
func TestMalformedBasicIsInvalidClient(t *testing.T) {
	for _, validate := range []bool{true, false} {
		ts := emulator.NewTestServer(t, emulator.WithValidation(validate))
		c := confidential(t, ts)
		tok := ccToken(t, ts, c)
		for _, h := range []string{"Basic !!!", "Basic", "basic bm8tY29sb24="} {
			r := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id}, "client_secret": {c.secret}}, "Authorization", h)
			wantOAuthError(t, r, 401, "invalid_client")
			r = call(t, "POST", ts.URL+"/v2/oauth/introspect", url.Values{"token": {tok}, "client_id": {c.id}, "client_secret": {c.secret}}, "Authorization", h)
			wantOAuthError(t, r, 401, "invalid_client")
		}
	}
}
