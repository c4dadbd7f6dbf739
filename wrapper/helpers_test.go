package wrapper

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/spec/spectest"
)

const (
	testKey    = "KEY-sekrit-api-key-0001"
	testID     = "client-id-abc"
	testSecret = "client-secret-s3cr3t-0002"
	clientUUID = "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a"
	grantUUID  = "5b9a1c4e-2d3f-4a6b-8c7d-9e0f1a2b3c4d"
)

// fake is a contract-checked test server: API routes under /v2, well-known
// documents at the root. It counts requests per pattern.
type fake struct {
	t   testing.TB
	mux *http.ServeMux
	srv *httptest.Server

	mu   sync.Mutex
	hits map[string]int
}

func newFake(t testing.TB) *fake {
	f := &fake{t: t, mux: http.NewServeMux(), hits: map[string]int{}}
	f.srv = spectest.NewServer(t, f.mux)
	return f
}

func (f *fake) handle(pattern string, h http.HandlerFunc) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits[pattern]++
		f.mu.Unlock()
		h(w, r)
	})
}

func (f *fake) count(pattern string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[pattern]
}

func zeroBackoff(int) time.Duration { return 0 }

// newTestClient points a client at f with no environment and zero backoff.
func newTestClient(t testing.TB, f *fake, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithoutEnvironment(), WithBaseURL(f.srv.URL), WithBackoff(zeroBackoff)}
	c, err := New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthErr(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func gatewayErr(w http.ResponseWriter, status int, code, title string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]string{{"code": code, "title": title, "detail": "details here"}}})
}

func clientJSON(id, name string) map[string]any {
	return map[string]any{
		"record_type": "oauth_client", "client_id": id, "name": name, "org_id": "org-1", "user_id": "user-1",
		"client_type": "confidential", "require_pkce": false,
		"created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
	}
}

func grantJSON(id string) map[string]any {
	return map[string]any{"id": id, "record_type": "oauth_grant", "client_id": testID, "scopes": []string{"admin"}, "created_at": "2026-01-01T00:00:00Z"}
}

func tokenJSON(access string, expiresIn int) map[string]any {
	return map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": expiresIn}
}

// tokenEndpoint serves client_credentials tokens "tok-1", "tok-2", ...
func (f *fake) tokenEndpoint(expiresIn int) {
	var mu sync.Mutex
	n := 0
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if id, secret, ok := r.BasicAuth(); !ok || id != testID || secret != testSecret {
			oauthErr(w, 401, "invalid_client", "bad client")
			return
		}
		mu.Lock()
		n++
		tok := fmt.Sprintf("tok-%d", n)
		mu.Unlock()
		writeJSON(w, 200, tokenJSON(tok, expiresIn))
	})
}

// fail answers r with status in the shape openapi.yaml declares for it: the
// OAuth {error} body where the operation lists the status, the gateway
// {errors} body otherwise.
func (f *fake) fail(w http.ResponseWriter, r *http.Request, status int) {
	doc := spectest.Validator(f.t).Document()
	path := strings.TrimPrefix(r.URL.Path, "/v2")
	for tmpl, item := range doc.Paths.Map() {
		if !pathMatches(tmpl, path) {
			continue
		}
		if op := item.GetOperation(r.Method); op != nil && op.Responses.Value(strconv.Itoa(status)) != nil {
			oauthErr(w, status, "invalid_request", "declared failure")
			return
		}
	}
	gatewayErr(w, status, "x", "failure")
}

func pathMatches(tmpl, path string) bool {
	a, b := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !strings.HasPrefix(a[i], "{") {
			return false
		}
	}
	return true
}
