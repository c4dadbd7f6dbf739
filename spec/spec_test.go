package spec_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

func TestValidatorNamesOperationAndPath(t *testing.T) {
	v, err := spec.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v2/oauth_clients?page%5Bsize%5D=10", nil)
	req.Header.Set("Authorization", "Bearer k")
	ex, err := v.ValidateRequest(context.Background(), req)
	if err != nil {
		t.Fatalf("valid request refused: %v", err)
	}
	if ex.Operation != "ListOAuthClients" {
		t.Fatalf("operation = %q", ex.Operation)
	}
	body := `{"data":[{"record_type":"oauth_client","client_id":"x","name":"n","org_id":"o","user_id":"u","client_type":"secret-value","require_pkce":false,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}]}`
	h := http.Header{"Content-Type": {"application/json"}}
	err = v.ValidateResponse(context.Background(), ex, 200, h, []byte(body))
	if !errors.Is(err, spec.ErrContract) {
		t.Fatalf("err = %v, want a contract error", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "ListOAuthClients") || !strings.Contains(msg, "/data/0/client_type") {
		t.Fatalf("error %q does not name the operation and the path", msg)
	}
	if strings.Contains(msg, "secret-value") {
		t.Fatalf("error %q leaks the value", msg)
	}
}

func TestValidatorRefusesUndeclaredStatusAndBadQuery(t *testing.T) {
	v, err := spec.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v2/oauth_grants?page%5Bsize%5D=500", nil)
	req.Header.Set("Authorization", "Bearer k")
	if _, err := v.ValidateRequest(context.Background(), req); err == nil || !strings.Contains(err.Error(), "page[size]") {
		t.Fatalf("page[size]=500 accepted or unnamed: %v", err)
	}
	req = httptest.NewRequest(http.MethodGet, "/.well-known/oauth-protected-resource", nil)
	ex, err := v.ValidateRequest(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateResponse(context.Background(), ex, 200, http.Header{"Content-Type": {"application/json"}}, []byte(`{"resource":"https://api.telnyx.com"}`)); err != nil {
		t.Fatalf("valid metadata refused: %v", err)
	}
	req = httptest.NewRequest(http.MethodDelete, "/v2/oauth_clients/0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a", nil)
	req.Header.Set("Authorization", "Bearer k")
	ex, err = v.ValidateRequest(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateResponse(context.Background(), ex, 204, http.Header{}, nil); err != nil {
		t.Fatalf("204 refused: %v", err)
	}
	if err := v.ValidateResponse(context.Background(), ex, 429, http.Header{"Content-Type": {"application/json"}}, []byte(`{"errors":[{"code":"10011","title":"Too many requests"}]}`)); err != nil {
		t.Fatalf("gateway error refused: %v", err)
	}
}

func TestValidatorRequiresBearerOnAdminOperations(t *testing.T) {
	v, err := spec.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v2/oauth_grants", nil)
	if _, err := v.ValidateRequest(context.Background(), req); err == nil {
		t.Fatal("request without Authorization accepted")
	}
}

func TestValidatorRoutesEscapedSlashAsOneSegment(t *testing.T) {
	v, err := spec.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v2/oauth/consent/ct%2Fa%20b%20%C3%A9", nil)
	req.Header.Set("Authorization", "Bearer k")
	ex, err := v.ValidateRequest(context.Background(), req)
	if err != nil {
		t.Fatalf("valid request refused: %v", err)
	}
	if ex.Operation != "GetOAuthConsentToken" {
		t.Fatalf("operation = %q, want GetOAuthConsentToken", ex.Operation)
	}
	// An unescaped slash is two segments: no operation has that path.
	req = httptest.NewRequest(http.MethodGet, "/v2/oauth/consent/ct/a", nil)
	req.Header.Set("Authorization", "Bearer k")
	if _, err := v.ValidateRequest(context.Background(), req); !errors.Is(err, spec.ErrContract) {
		t.Fatalf("err = %v, want a contract error for a two-segment token", err)
	}
}
