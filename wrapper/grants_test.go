package wrapper

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestGrantsGetRevoke(t *testing.T) {
	f := newFake(t)
	revoked := false
	f.handle("GET /v2/oauth_grants/{id}", func(w http.ResponseWriter, r *http.Request) {
		if revoked {
			oauthErr(w, 404, "not_found", "no such grant")
			return
		}
		writeJSON(w, 200, map[string]any{"data": grantJSON(r.PathValue("id"))})
	})
	f.handle("DELETE /v2/oauth_grants/{id}", func(w http.ResponseWriter, r *http.Request) {
		revoked = true
		writeJSON(w, 200, map[string]any{"data": grantJSON(r.PathValue("id"))})
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	ctx := context.Background()
	g, err := c.Grants.Get(ctx, grantUUID)
	if err != nil || g.ID.String() != grantUUID || g.Scopes[0] != "admin" {
		t.Fatalf("get: %v %v", g, err)
	}
	g, err = c.Grants.Revoke(ctx, grantUUID)
	if err != nil || g.ID.String() != grantUUID {
		t.Fatalf("revoke: %v %v", g, err)
	}
	if _, err := c.Grants.Get(ctx, grantUUID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after revoke: %v", err)
	}
}
