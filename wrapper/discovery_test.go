package wrapper

import (
	"context"
	"net/http"
	"testing"
)

func TestDiscoveryAtHostRoot(t *testing.T) {
	f := newFake(t)
	f.handle("GET /.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"issuer": "https://api.telnyx.com", "token_endpoint": "https://api.telnyx.com/v2/oauth/token"})
	})
	f.handle("GET /.well-known/oauth-protected-resource", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"resource": "https://api.telnyx.com", "authorization_servers": []string{"https://api.telnyx.com"}})
	})
	// Configured with the /v2 base: the documents are still fetched from the root.
	c := newTestClient(t, f, WithBaseURL(f.srv.URL+"/v2"))
	md, err := c.Discovery.AuthorizationServer(context.Background())
	if err != nil || *md.Issuer != "https://api.telnyx.com" {
		t.Fatalf("%v %v", md, err)
	}
	rm, err := c.Discovery.ProtectedResource(context.Background())
	if err != nil || len(*rm.AuthorizationServers) != 1 {
		t.Fatalf("%v %v", rm, err)
	}
}
