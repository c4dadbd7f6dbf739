package discovery

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestHTTPOnlyOnLoopback checks that plain http is refused for identifiers
// and published endpoints on any host but a loopback one.
func TestHTTPOnlyOnLoopback(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"https://as.example", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080/v2", true},
		{"http://[::1]:8080", true},
		{"http://as.example", false},
		{"http://10.0.0.1", false},
		{"http://169.254.169.254/latest", false},
		{"http://127.0.0.1.evil.example", false},
	} {
		_, err := AuthorizationServerMetadataURL(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("AuthorizationServerMetadataURL(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}

	// A loopback issuer whose document sends the token endpoint over plain
	// http to another host is refused.
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(strings.ReplaceAll(`{"issuer":"ISSUER","token_endpoint":"http://as.example/oauth/token"}`, "ISSUER", srv.URL)))
	}))
	defer srv.Close()
	c := newClient(t, srv, &clock{t: time.Now()})
	if _, err := c.AuthorizationServer(context.Background(), srv.URL); !errors.Is(err, ErrInvalidMetadata) {
		t.Errorf("http token endpoint on another host: err = %v, want ErrInvalidMetadata", err)
	}
	if _, err := c.ProtectedResourceAt(context.Background(), "http://as.example/.well-known/oauth-protected-resource", srv.URL); err == nil {
		t.Error("plain-http metadata URL on another host accepted")
	}
}
