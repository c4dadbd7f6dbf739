package wrapper

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

func TestClientsCRUD(t *testing.T) {
	f := newFake(t)
	f.handle("POST /v2/oauth_clients", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		_ = json.NewDecoder(r.Body).Decode(&req)
		cl := clientJSON(clientUUID, req["name"].(string))
		cl["client_secret"] = "shown-once"
		writeJSON(w, 201, map[string]any{"data": cl})
	})
	f.handle("PUT /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		_ = json.NewDecoder(r.Body).Decode(&req)
		writeJSON(w, 200, map[string]any{"data": clientJSON(r.PathValue("id"), req["name"].(string))})
	})
	f.handle("DELETE /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	ctx := context.Background()
	cl, err := c.Clients.Create(ctx, CreateClientRequest{Name: "svc", ClientType: ClientConfidential, AllowedGrantTypes: []GrantType{GrantClientCredentials}, AllowedScopes: []string{"admin"}})
	if err != nil || cl.Name != "svc" || *cl.ClientSecret != "shown-once" {
		t.Fatalf("create: %v %v", cl, err)
	}
	if _, err := c.Clients.Create(ctx, CreateClientRequest{ClientType: ClientPublic}); err == nil {
		t.Error("create without name accepted")
	}
	name := "renamed"
	cl, err = c.Clients.Update(ctx, clientUUID, UpdateClientRequest{Name: &name})
	if err != nil || cl.Name != "renamed" || cl.ClientID != clientUUID {
		t.Fatalf("update: %v %v", cl, err)
	}
	if err := c.Clients.Delete(ctx, clientUUID); err != nil {
		t.Fatal(err)
	}
	if f.count("POST /v2/oauth_clients") != 1 {
		t.Error("invalid create reached the server")
	}
}
