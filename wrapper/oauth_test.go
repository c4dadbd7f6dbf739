package wrapper

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestIntrospectBasicAndBody(t *testing.T) {
	for _, style := range []AuthStyle{AuthStyleBasic, AuthStyleInBody} {
		f := newFake(t)
		f.handle("POST /v2/oauth/introspect", func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
				t.Errorf("content type %q", r.Header.Get("Content-Type"))
			}
			id, secret, basic := r.BasicAuth()
			if style == AuthStyleInBody {
				id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
				if basic {
					t.Error("basic auth sent with AuthStyleInBody")
				}
			}
			if id != testID || secret != testSecret || r.PostFormValue("token") != "tkn" {
				oauthErr(w, 401, "invalid_client", "")
				return
			}
			writeJSON(w, 200, map[string]any{"active": true, "scope": "admin", "client_id": testID})
		})
		c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithAuthStyle(style))
		r, err := c.OAuth.Introspect(context.Background(), "tkn")
		if err != nil || !r.Active || *r.ClientID != testID {
			t.Fatalf("style %d: %v %v", style, r, err)
		}
	}
}

func TestIntrospectNeedsClientCredentials(t *testing.T) {
	c, _ := New(WithoutEnvironment(), WithAPIKey(testKey))
	if _, err := c.OAuth.Introspect(context.Background(), "t"); err == nil {
		t.Error("introspect without client credentials accepted")
	}
	if _, err := c.OAuth.Introspect(context.Background(), ""); err == nil {
		t.Error("empty token accepted")
	}
}

func TestRegisterJWKSConsentDecisions(t *testing.T) {
	f := newFake(t)
	f.handle("POST /v2/oauth/register", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, map[string]any{"client_id": "new-id", "client_id_issued_at": 1700000000, "client_secret": "s"})
	})
	f.handle("GET /v2/oauth/jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256"}}})
	})
	f.handle("GET /v2/oauth/consent/{tok}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("tok") != "ct-1" {
			oauthErr(w, 422, "invalid_request", "bad consent token")
			return
		}
		writeJSON(w, 200, map[string]any{"data": map[string]any{"client_id": testID, "name": "App", "requested_scopes": []map[string]string{{"id": "admin"}}}})
	})
	f.handle("POST /v2/oauth/grants", func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 200)
		n, _ := r.Body.Read(body)
		if strings.Contains(string(body[:n]), `"allowed":true`) {
			writeJSON(w, 200, map[string]string{"redirect_uri": "https://app.example/cb?code=c&state=s"})
			return
		}
		writeJSON(w, 200, map[string]string{"redirect_uri": "https://app.example/cb?error=access_denied&state=s"})
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	ctx := context.Background()
	name := "App"
	reg, err := c.OAuth.Register(ctx, RegistrationRequest{ClientName: &name, RedirectUris: &[]string{"https://app.example/cb"}})
	if err != nil || reg.ClientID != "new-id" {
		t.Fatalf("register: %v %v", reg, err)
	}
	if _, err := c.OAuth.Register(ctx, RegistrationRequest{RedirectUris: &[]string{"not absolute"}}); err == nil {
		t.Error("relative redirect accepted")
	}
	keys, err := c.OAuth.JWKS(ctx)
	if err != nil || len(*keys.Keys) != 1 || *(*keys.Keys)[0].Kid != "k1" {
		t.Fatalf("jwks: %v %v", keys, err)
	}
	cd, err := c.OAuth.Consent(ctx, "ct-1")
	if err != nil || *cd.Name != "App" {
		t.Fatalf("consent: %v %v", cd, err)
	}
	if _, err := c.OAuth.Consent(ctx, "ct-bad"); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("bad consent token: %v", err)
	}
	loc, err := c.OAuth.ApproveConsent(ctx, "ct-1")
	if err != nil || !strings.Contains(loc, "code=c") {
		t.Fatalf("approve: %q %v", loc, err)
	}
	loc, err = c.OAuth.DenyConsent(ctx, "ct-1")
	if err != nil || !strings.Contains(loc, "error=access_denied") {
		t.Fatalf("deny: %q %v", loc, err)
	}
}

func TestTokenRejectsUnknownGrant(t *testing.T) {
	c, _ := New(WithoutEnvironment())
	if _, err := c.OAuth.Token(context.Background(), TokenRequest{GrantType: "password"}); err == nil {
		t.Error("unknown grant type accepted")
	}
}

func TestAuthorizeURLValidates(t *testing.T) {
	c, _ := New(WithoutEnvironment())
	if _, err := c.OAuth.AuthorizeURL(AuthorizeParams{RedirectURI: "https://a/cb"}); err == nil {
		t.Error("missing client_id accepted")
	}
	u, err := c.OAuth.AuthorizeURL(AuthorizeParams{ClientID: "x", RedirectURI: "https://a/cb"})
	if err != nil || !strings.HasPrefix(u, "https://api.telnyx.com/v2/oauth/authorize?") || !strings.Contains(u, "response_type=code") {
		t.Errorf("%q %v", u, err)
	}
}
