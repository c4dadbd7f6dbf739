package verify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestMiddlewareAnswers(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk)
	var seen *Claims
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := ClaimsFromContext(r.Context())
		if !ok {
			t.Error("no claims in context")
		}
		seen = c
		_, _ = io.WriteString(w, "hello "+c.Subject)
	})
	guarded := v.Middleware(WithRealm("telnyx"), WithRequiredScopes("admin"))(app)
	callsOnly := v.Middleware(WithRequiredScopes("admin", "calls:write"),
		WithResourceMetadata("https://rs.example/.well-known/oauth-protected-resource/api"))(app)
	rm := `resource_metadata="http://127.0.0.1:7000/.well-known/oauth-protected-resource"`

	good := sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))
	expiredClaims := claimsAt(clk.Now())
	expiredClaims["exp"] = clk.Now().Add(-time.Hour).Unix()
	expired := sign(t, rsaKey(t, 0), jose.RS256, "k1", expiredClaims)

	tests := []struct {
		name      string
		h         http.Handler
		auth      string
		status    int
		challenge string
		errCode   string
	}{
		{"no token", guarded, "", 401, `Bearer realm="telnyx", ` + rm, ""},
		{"other scheme", guarded, "Basic dXNlcjpwYXNz", 401, `Bearer realm="telnyx", ` + rm, ""},
		{"empty bearer", guarded, "Bearer ", 400,
			`Bearer realm="telnyx", error="invalid_request", error_description="the Authorization header is malformed", ` + rm, "invalid_request"},
		{"bad token", guarded, "Bearer " + good[:len(good)-4] + "AAAA", 401,
			`Bearer realm="telnyx", error="invalid_token", error_description="the token signature is invalid", ` + rm, "invalid_token"},
		{"expired token", guarded, "Bearer " + expired, 401,
			`Bearer realm="telnyx", error="invalid_token", error_description="the token has expired", ` + rm, "invalid_token"},
		{"missing scope", callsOnly, "Bearer " + good, 403,
			`Bearer error="insufficient_scope", error_description="the token lacks a required scope", scope="admin calls:write", resource_metadata="https://rs.example/.well-known/oauth-protected-resource/api"`, "insufficient_scope"},
		{"good token", guarded, "bearer " + good, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen = nil
			req := httptest.NewRequest(http.MethodGet, "/v2/calls", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate =\n  %s\nwant\n  %s", got, tt.challenge)
			}
			if tt.errCode != "" {
				var body struct{ Error string }
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error != tt.errCode {
					t.Errorf("body = %q", rec.Body)
				}
			}
			if tt.status == 200 {
				if seen == nil || seen.Subject != "user-1" || rec.Body.String() != "hello user-1" {
					t.Errorf("handler saw %+v, wrote %q", seen, rec.Body)
				}
			} else if seen != nil {
				t.Error("handler ran for a refused request")
			}
		})
	}
}

func TestMiddlewareUnavailable(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	srv.set(func(s *jwksServer) { s.status = http.StatusBadGateway })
	v := newTestVerifier(t, srv, clk)
	h := v.Middleware()(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("handler ran") }))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now())))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("WWW-Authenticate") != "" {
		t.Errorf("status %d, WWW-Authenticate %q; want 503 without a challenge", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
}

func TestGuardOptionsValidate(t *testing.T) {
	ks, _ := NewStaticKeySet([]byte(`{"keys":[]}`))
	v, err := New(WithIssuer("urn:issuer"), WithAudience("urn:not-a-url"), WithKeySet(ks))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []GuardOption{
		WithRealm(`a"b`), WithResourceMetadata("/relative"), WithRequiredScopes("a b"), WithRequiredScopes(""), WithGuardLogger(nil),
	} {
		if _, err := NewGuard(v, o); err == nil {
			t.Error("invalid guard option accepted")
		}
	}
	g, err := NewGuard(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.header("", ""); got != "Bearer" {
		t.Errorf("challenge with a non-URL audience = %q, want Bearer", got)
	}
	if _, ok := ClaimsFromContext(context.Background()); ok {
		t.Error("claims in an empty context")
	}
}
