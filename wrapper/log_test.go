package wrapper

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// capture is a slog handler that keeps every formatted line.
type capture struct {
	mu  sync.Mutex
	buf bytes.Buffer
	h   slog.Handler
}

func newCapture() (*capture, *slog.Logger) {
	c := &capture{}
	c.h = slog.NewJSONHandler(&lockedWriter{c}, &slog.HandlerOptions{Level: slog.LevelDebug})
	return c, slog.New(c.h)
}

type lockedWriter struct{ c *capture }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	return w.c.buf.Write(p)
}

func (c *capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

const (
	secretAccess    = "ACCESS-tok-9f8e7d"
	secretRefresh   = "REFRESH-tok-1a2b3c"
	secretRotated   = "REFRESH-rotated-4d5e6f"
	secretCode      = "CODE-abcdef-777"
	secretConsent   = "CONSENT-tok-888"
	secretNewClient = "NEWCLIENT-secret-999"
	secretIntrospec = "INTROSPECT-me-000"
)

// TestRedaction runs every credentialed flow with debug logging and checks
// that no secret reaches a log line or an error string.
func TestRedaction(t *testing.T) {
	f := newFake(t)
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		switch r.PostFormValue("grant_type") {
		case "client_credentials":
			writeJSON(w, 200, tokenJSON(secretAccess, 3600))
		case "authorization_code":
			writeJSON(w, 200, map[string]any{"access_token": secretAccess, "token_type": "Bearer", "expires_in": 60, "refresh_token": secretRefresh})
		case "refresh_token":
			if r.PostFormValue("refresh_token") == secretRotated {
				oauthErr(w, 400, "invalid_grant", "refresh token already used")
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": secretAccess, "token_type": "Bearer", "expires_in": 60, "refresh_token": secretRotated})
		}
	})
	f.handle("POST /v2/oauth/introspect", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"active": true})
	})
	f.handle("GET /v2/oauth/consent/{tok}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"data": map[string]any{"client_id": testID}})
	})
	f.handle("POST /v2/oauth/grants", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"redirect_uri": "https://app.example/cb?code=" + secretCode})
	})
	f.handle("POST /v2/oauth_clients", func(w http.ResponseWriter, r *http.Request) {
		cl := clientJSON(clientUUID, "new")
		cl["client_secret"] = secretNewClient
		writeJSON(w, 201, map[string]any{"data": cl})
	})
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		gatewayErr(w, 500, "x", "down")
	})

	capt, logger := newCapture()
	ctx := context.Background()
	var errs []string
	note := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	for _, style := range []AuthStyle{AuthStyleBasic, AuthStyleInBody} {
		c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithAuthStyle(style), WithLogger(logger))
		_, err := c.OAuth.Consent(ctx, secretConsent)
		note(err)
		_, err = c.OAuth.ApproveConsent(ctx, secretConsent)
		note(err)
		_, err = c.Clients.Create(ctx, CreateClientRequest{Name: "new", ClientType: ClientConfidential, AllowedGrantTypes: []GrantType{GrantClientCredentials}, AllowedScopes: []string{"admin"}})
		note(err)
		_, err = c.OAuth.Introspect(ctx, secretIntrospec)
		note(err)
		_, err = c.Clients.Get(ctx, clientUUID)
		note(err)
		sess, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = sess.Exchange(ctx, secretCode)
		note(err)
		_, err = c.OAuth.Refresh(ctx, "", secretRefresh)
		note(err)
		_, err = c.OAuth.Refresh(ctx, "", secretRotated)
		note(err)
		if sess.Verifier == "" {
			t.Fatal("no verifier")
		}
		checkNoSecrets(t, capt.String()+strings.Join(errs, "\n"), sess.Verifier)
	}
	c := newTestClient(t, f, WithAPIKey(testKey), WithLogger(logger))
	_, err := c.Clients.Get(ctx, clientUUID)
	note(err)
	out := capt.String()
	checkNoSecrets(t, out+strings.Join(errs, "\n"))
	for _, want := range []string{`"status":500`, `"attempt":3`, `"operation":"GetOAuthClient"`, `"path":"/v2/oauth/consent/[REDACTED]"`, `"latency"`, `[REDACTED]`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	if len(errs) == 0 {
		t.Error("no error strings were checked")
	}
}

func checkNoSecrets(t *testing.T, text string, extra ...string) {
	t.Helper()
	secrets := append([]string{testKey, testSecret, secretAccess, secretRefresh, secretRotated, secretCode, secretConsent,
		secretNewClient, secretIntrospec,
		base64.StdEncoding.EncodeToString([]byte(testID + ":" + testSecret)),
		url.QueryEscape(testSecret)}, extra...)
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("secret %q leaked", s)
		}
	}
}

func TestRedactBody(t *testing.T) {
	tests := []struct{ ctype, in, want string }{
		{"application/x-www-form-urlencoded", "grant_type=authorization_code&code=abc&code_verifier=v", "code=%5BREDACTED%5D&code_verifier=%5BREDACTED%5D&grant_type=authorization_code"},
		{"application/json", `{"data":{"client_secret":"s","name":"n"},"list":[{"token":"t"}]}`, `{"data":{"client_secret":"[REDACTED]","name":"n"},"list":[{"token":"[REDACTED]"}]}`},
		{"application/json", `{"access_token":"a","id_token":"i","refresh_token":"r"`, "[unparsable JSON body omitted]"},
		{"application/octet-stream", "secret", "[application/octet-stream body omitted]"},
	}
	for _, tt := range tests {
		if got := redactBody(tt.ctype, []byte(tt.in)); got != tt.want {
			t.Errorf("redactBody(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestErrorBodyRedacted(t *testing.T) {
	c := hostile(t, 400, "application/json", `{"error":"invalid_request","access_token":"`+secretAccess+`"}`)
	_, err := c.Clients.Get(context.Background(), clientUUID)
	ae, ok := err.(*APIError)
	if !ok || strings.Contains(ae.Body, secretAccess) || !strings.Contains(ae.Body, "invalid_request") {
		t.Fatalf("%#v", err)
	}
}
