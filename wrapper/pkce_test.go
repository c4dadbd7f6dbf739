package wrapper

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"testing"
)

func TestAuthCodeSessionURLAndPKCE(t *testing.T) {
	c, err := New(WithoutEnvironment(), WithBaseURL("https://auth.example/v2"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb", Scope: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Verifier); n < 43 || n > 128 {
		t.Errorf("verifier length %d", n)
	}
	sum := sha256.Sum256([]byte(s.Verifier))
	if s.Challenge != base64.RawURLEncoding.EncodeToString(sum[:]) {
		t.Error("challenge is not S256 of the verifier")
	}
	u, err := url.Parse(s.AuthorizeURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != "https://auth.example/v2/oauth/authorize" {
		t.Errorf("URL %s", u)
	}
	want := map[string]string{"response_type": "code", "client_id": testID, "redirect_uri": "https://app.example/cb",
		"scope": "admin", "state": s.State, "code_challenge": s.Challenge, "code_challenge_method": "S256"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Get("code_verifier") != "" {
		t.Error("verifier leaked into the URL")
	}
	s2, _ := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
	if s2.State == s.State || s2.Verifier == s.Verifier {
		t.Error("sessions share randomness")
	}
	if _, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "/relative"}); err == nil {
		t.Error("relative redirect accepted")
	}
}

func TestCallback(t *testing.T) {
	c, _ := New(WithoutEnvironment(), WithBaseURL("https://auth.example"))
	s, _ := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
	tests := []struct {
		name     string
		q        url.Values
		wantCode string
		wantErr  error
	}{
		{"ok", url.Values{"state": {s.State}, "code": {"c1"}}, "c1", nil},
		{"ok with iss", url.Values{"state": {s.State}, "code": {"c1"}, "iss": {"https://auth.example"}}, "c1", nil},
		{"wrong iss", url.Values{"state": {s.State}, "code": {"c1"}, "iss": {"https://evil.example"}}, "", ErrIssuerMismatch},
		{"wrong state", url.Values{"state": {s.State + "x"}, "code": {"c1"}}, "", ErrStateMismatch},
		{"no state", url.Values{"code": {"c1"}}, "", ErrStateMismatch},
		{"denied", url.Values{"state": {s.State}, "error": {"access_denied"}, "error_description": {"user said no"}}, "", ErrAccessDenied},
		{"invalid scope", url.Values{"state": {s.State}, "error": {"invalid_scope"}}, "", ErrInvalidScope},
	}
	for _, tt := range tests {
		code, err := s.Callback(tt.q)
		if code != tt.wantCode || (tt.wantErr == nil) != (err == nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
			t.Errorf("%s: got %q, %v", tt.name, code, err)
		}
	}
	_, err := s.Callback(url.Values{"state": {s.State}, "error": {"access_denied"}, "error_description": {"user said no"}})
	var ce *CallbackError
	if !errors.As(err, &ce) || ce.Description != "user said no" {
		t.Errorf("%v", err)
	}
}

func TestExchangeAndRefreshRotation(t *testing.T) {
	f := newFake(t)
	var sess *AuthCodeSession
	used := map[string]bool{}
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		switch r.PostFormValue("grant_type") {
		case "authorization_code":
			if r.PostFormValue("code") != "the-code" || r.PostFormValue("code_verifier") != sess.Verifier ||
				r.PostFormValue("redirect_uri") != "https://app.example/cb" || r.PostFormValue("client_id") != testID {
				oauthErr(w, 400, "invalid_grant", "mismatch")
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": "a1", "token_type": "Bearer", "expires_in": 60, "refresh_token": "r1"})
		case "refresh_token":
			if rt := r.PostFormValue("refresh_token"); rt != "r1" || used[rt] {
				oauthErr(w, 400, "invalid_grant", "used")
				return
			}
			used["r1"] = true
			writeJSON(w, 200, map[string]any{"access_token": "a2", "token_type": "Bearer", "expires_in": 60, "refresh_token": "r2"})
		}
	})
	st := &memStore{}
	c := newTestClient(t, f, WithTokenStore(st)) // public client: no client credentials
	var err error
	sess, err = c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := sess.Exchange(context.Background(), "the-code")
	if err != nil || tok.AccessToken != "a1" || tok.RefreshToken != "r1" || tok.Expiry.IsZero() {
		t.Fatalf("exchange: %v %v", tok, err)
	}
	tok, err = c.OAuth.Refresh(context.Background(), testID, tok.RefreshToken)
	if err != nil || tok.RefreshToken != "r2" || st.tok.RefreshToken != "r2" || st.saves != 2 {
		t.Fatalf("refresh: %v %v store=%v", tok, err, st.tok)
	}
	// Replaying the rotated-out refresh token fails once; nothing is retried.
	_, err = c.OAuth.Refresh(context.Background(), testID, "r1")
	if !errors.Is(err, ErrInvalidGrant) {
		t.Fatalf("got %v", err)
	}
	if got := f.count("POST /v2/oauth/token"); got != 3 {
		t.Errorf("token requests %d, want 3", got)
	}
}

func TestAuthorizeParamsMatchTheURL(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f, WithAPIKey("k"))
	s, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb", Scope: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	p := s.AuthorizeParams()
	if *p.State != s.State || *p.CodeChallenge != s.Challenge || *p.CodeChallengeMethod != "S256" || p.ResponseType != "code" {
		t.Fatalf("params %+v do not carry the session's state and S256 challenge", p)
	}
	*p.State = "changed" // the caller's copy must not reach the session
	u, err := c.OAuth.AuthorizeURL(s.AuthorizeParams())
	if err != nil {
		t.Fatal(err)
	}
	if u != s.AuthorizeURL() {
		t.Fatalf("URL from params\n%s\n!= session URL\n%s", u, s.AuthorizeURL())
	}
}
