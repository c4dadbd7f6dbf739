package wrapper

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{409, ErrConflict}, {429, ErrRateLimited}, {500, ErrServer}, {503, ErrServer},
	}
	all := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}
	for _, tt := range tests {
		f := newFake(t)
		f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-123")
			w.Header().Set("Retry-After", "2")
			f.fail(w, r, tt.status)
		})
		c := newTestClient(t, f, WithAPIKey(testKey), WithMaxRetries(0))
		_, err := c.Clients.Get(context.Background(), clientUUID)
		for _, s := range all {
			if got := errors.Is(err, s); got != (s == tt.want) {
				t.Errorf("%d: errors.Is(%v) = %v", tt.status, s, got)
			}
		}
		var ae *APIError
		if !errors.As(err, &ae) || ae.RequestID != "req-123" || ae.RetryAfter.Seconds() != 2 || ae.Operation != "GetOAuthClient" {
			t.Errorf("%d: %#v", tt.status, ae)
		}
	}
}

func TestOAuthErrorCodes(t *testing.T) {
	codes := map[string]error{
		"invalid_grant": ErrInvalidGrant, "invalid_client": ErrInvalidClient, "invalid_request": ErrInvalidRequest,
		"invalid_scope": ErrInvalidScope, "unauthorized_client": ErrUnauthorizedClient, "unsupported_grant_type": ErrUnsupportedGrantType,
	}
	for code, want := range codes {
		f := newFake(t)
		f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
			status := 400
			if code == "invalid_client" {
				status = 401
			}
			oauthErr(w, status, code, "description of "+code)
		})
		c := newTestClient(t, f, WithClientCredentials(testID, testSecret))
		_, err := c.OAuth.Token(context.Background(), TokenRequest{GrantType: GrantClientCredentials})
		if !errors.Is(err, want) {
			t.Errorf("%s: %v is not %v", code, err, want)
		}
		for other, s := range codes {
			if other != code && errors.Is(err, s) {
				t.Errorf("%s also matches %s", code, other)
			}
		}
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != code || ae.Description != "description of "+code {
			t.Errorf("%s: %#v", code, ae)
		}
		if !strings.Contains(err.Error(), code) || !strings.HasPrefix(err.Error(), "wrapper: ExchangeOAuthToken: ") {
			t.Errorf("message %q", err.Error())
		}
	}
}

func TestGatewayErrorShape(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth_grants/{id}", func(w http.ResponseWriter, r *http.Request) {
		gatewayErr(w, 403, "10010", "Forbidden")
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	_, err := c.Grants.Get(context.Background(), grantUUID)
	var ae *APIError
	if !errors.As(err, &ae) || len(ae.Errors) != 1 || ae.Errors[0] != (GatewayError{Code: "10010", Title: "Forbidden", Detail: "details here"}) {
		t.Fatalf("%#v", err)
	}
	if !strings.Contains(err.Error(), "10010 Forbidden (details here)") {
		t.Errorf("message %q", err)
	}
	v := ae.LogValue()
	if v.Kind() != slog.KindGroup || !strings.Contains(v.String(), "10010") {
		t.Errorf("LogValue %v", v)
	}
}

// hostile serves raw bytes without contract checks (a proxy, a broken server).
func hostile(t *testing.T, status int, ctype, body string) *Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithoutEnvironment(), WithBaseURL(srv.URL), WithAPIKey(testKey), WithMaxRetries(0), WithMaxBodySize(4096))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHTMLErrorPageFromProxy(t *testing.T) {
	page := "<html><body><h1>502 Bad Gateway</h1>" + strings.Repeat("x", 2000) + "</body></html>"
	c := hostile(t, 502, "text/html", page)
	_, err := c.Clients.Get(context.Background(), clientUUID)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrServer) || ae.Code != "" {
		t.Fatalf("%v", err)
	}
	if !strings.HasPrefix(ae.Body, "<html>") || len(ae.Body) > maxErrorBody+len("…") {
		t.Errorf("body not truncated: %d bytes", len(ae.Body))
	}
}

func TestTruncatedJSON(t *testing.T) {
	c := hostile(t, 200, "application/json", `{"data":{"client_id":"abc","na`)
	_, err := c.Clients.Get(context.Background(), clientUUID)
	if err == nil || !strings.Contains(err.Error(), "GetOAuthClient: decode response") {
		t.Fatalf("got %v", err)
	}
}

func TestWrongFieldTypeNamesField(t *testing.T) {
	c := hostile(t, 200, "application/json", `{"data":{"client_id":42}}`)
	_, err := c.Clients.Get(context.Background(), clientUUID)
	if err == nil || !strings.Contains(err.Error(), "GetOAuthClient") || !strings.Contains(err.Error(), "client_id") {
		t.Fatalf("got %v", err)
	}
}

func TestMissingEnvelope(t *testing.T) {
	c := hostile(t, 200, "text/plain", `ok`)
	_, err := c.Clients.Get(context.Background(), clientUUID)
	if err == nil || !strings.Contains(err.Error(), `missing "data"`) {
		t.Fatalf("got %v", err)
	}
}

func TestBodyTooLarge(t *testing.T) {
	c := hostile(t, 200, "application/json", `{"data":{"name":"`+strings.Repeat("a", 5000)+`"}}`)
	_, err := c.Clients.Get(context.Background(), clientUUID)
	if !errors.Is(err, ErrBodyTooLarge) || !strings.Contains(err.Error(), "GetOAuthClient") {
		t.Fatalf("got %v", err)
	}
}

func TestInvalidIDFailsBeforeSending(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f, WithAPIKey(testKey))
	ctx := context.Background()
	checks := []error{
		func() error { _, err := c.Clients.Get(ctx, "not-a-uuid"); return err }(),
		func() error { _, err := c.Clients.Update(ctx, "../x", UpdateClientRequest{}); return err }(),
		c.Clients.Delete(ctx, ""),
		func() error { _, err := c.Grants.Get(ctx, "123"); return err }(),
		func() error { _, err := c.Grants.Revoke(ctx, "zzz"); return err }(),
	}
	for i, err := range checks {
		if err == nil || !strings.Contains(err.Error(), "is not a UUID") {
			t.Errorf("%d: %v", i, err)
		}
	}
}

func TestRegistrationInvalidFields(t *testing.T) {
	f := newFake(t)
	f.handle("POST /v2/oauth/register", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, map[string]any{
			"error": "invalid_redirect_uri", "error_description": "invalid client metadata: redirect_uris",
			"invalid_fields": map[string][]string{"redirect_uris": {"[0] must use https"}},
		})
	})
	c := newTestClient(t, f)
	_, err := c.OAuth.Register(context.Background(), RegistrationRequest{RedirectUris: &[]string{"http://app.example/cb"}})
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if ae.Code != "invalid_redirect_uri" || len(ae.InvalidFields["redirect_uris"]) != 1 || ae.InvalidFields["redirect_uris"][0] != "[0] must use https" {
		t.Errorf("APIError = %+v", ae)
	}
}
