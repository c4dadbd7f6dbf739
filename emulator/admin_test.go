package emulator_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

func TestAdminAuthentication(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.WithAPIKey("KEY_test"))
	if ts.APIKey != "KEY_test" {
		t.Fatalf("APIKey = %q", ts.APIKey)
	}
	for _, tc := range []struct {
		name, method, path string
		hdr                []string
	}{
		{"wrong key on list", "GET", "/v2/oauth_clients", bearer("wrong")},
		{"no key on list", "GET", "/v2/oauth_clients", nil},
		{"wrong key on get", "GET", "/v2/oauth_clients/0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a", bearer("wrong")},
		{"basic instead of bearer", "GET", "/v2/oauth_grants", basic("a", "b")},
		{"wrong key on consent", "GET", "/v2/oauth/consent/ct_x", bearer("wrong")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, tc.method, ts.URL+tc.path, nil, tc.hdr...)
			wantStatus(t, r, 401)
			if r.str("error") == "" && r.body["errors"] == nil {
				t.Fatalf("401 without an error body: %s", r.raw)
			}
		})
	}
	t.Run("admin-scoped access token is accepted", func(t *testing.T) {
		c := confidential(t, ts)
		tok := ccToken(t, ts, c)
		wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer(tok)...), 200)
	})
	t.Run("token without admin scope is refused", func(t *testing.T) {
		c := createClient(t, ts, map[string]any{"name": "ro", "client_type": "confidential", "allowed_scopes": []string{"read"},
			"allowed_grant_types": []string{"client_credentials"}})
		tok := ccToken(t, ts, c)
		wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer(tok)...), 401)
	})
}

func TestClientCRUD(t *testing.T) {
	ts := emulator.NewTestServer(t)
	key := bearer(ts.APIKey)
	created := call(t, "POST", ts.URL+"/v2/oauth_clients", map[string]any{
		"name": "Billing", "client_type": "confidential", "allowed_scopes": []string{"admin"},
		"allowed_grant_types": []string{"client_credentials"}, "logo_uri": "https://app.example.com/logo.png",
	}, key...)
	wantStatus(t, created, 201)
	d := created.data()
	id := d["client_id"].(string)
	if d["client_secret"] == nil || d["record_type"] != "oauth_client" || d["require_pkce"] != false || d["logo_uri"] != "https://app.example.com/logo.png" {
		t.Fatalf("create = %s", created.raw)
	}
	got := call(t, "GET", ts.URL+"/v2/oauth_clients/"+id, nil, key...)
	wantStatus(t, got, 200)
	if _, ok := got.data()["client_secret"]; ok {
		t.Fatalf("secret shown after creation: %s", got.raw)
	}
	upd := call(t, "PUT", ts.URL+"/v2/oauth_clients/"+id, map[string]any{"name": "Billing v2", "require_pkce": true}, key...)
	wantStatus(t, upd, 200)
	if upd.data()["name"] != "Billing v2" || upd.data()["require_pkce"] != true || upd.data()["client_type"] != "confidential" {
		t.Fatalf("update = %s", upd.raw)
	}
	tok := ccToken(t, ts, client{id: id, secret: d["client_secret"].(string)})
	wantStatus(t, call(t, "DELETE", ts.URL+"/v2/oauth_clients/"+id, nil, key...), 204)
	wantOAuthError(t, call(t, "GET", ts.URL+"/v2/oauth_clients/"+id, nil, key...), 404, "not_found")
	wantOAuthError(t, call(t, "DELETE", ts.URL+"/v2/oauth_clients/"+id, nil, key...), 404, "not_found")
	other := confidential(t, ts)
	if in := introspect(t, ts, other, tok); in.body["active"] != false {
		t.Fatalf("token of a deleted client is active: %s", in.raw)
	}
}

func TestClientValidation(t *testing.T) {
	ts := emulator.NewTestServer(t)
	key := bearer(ts.APIKey)
	base := func(extra map[string]any) map[string]any {
		b := map[string]any{"name": "x", "client_type": "confidential", "allowed_scopes": []string{"admin"},
			"allowed_grant_types": []string{"authorization_code"}, "redirect_uris": []string{"https://a.example/cb"}}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"http redirect on a public host", base(map[string]any{"redirect_uris": []string{"http://a.example/cb"}}), 422},
		{"relative redirect", base(map[string]any{"redirect_uris": []string{"/cb"}}), 422},
		{"fragment", base(map[string]any{"redirect_uris": []string{"https://a.example/cb#x"}}), 422},
		{"custom scheme", base(map[string]any{"redirect_uris": []string{"myapp://cb"}}), 422},
		{"authorization_code without redirect", base(map[string]any{"redirect_uris": []string{}}), 422},
		{"public client_credentials", base(map[string]any{"client_type": "public", "allowed_grant_types": []string{"client_credentials"}}), 422},
		{"unknown field", base(map[string]any{"colour": "red"}), 400},
		{"missing name", map[string]any{"client_type": "public", "allowed_scopes": []string{}, "allowed_grant_types": []string{"client_credentials"}}, 400},
		{"bad client type", base(map[string]any{"client_type": "secret"}), 400},
		{"malformed JSON", `{"name":`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, "POST", ts.URL+"/v2/oauth_clients", tc.body, key...)
			wantStatus(t, r, tc.status)
			if r.str("error") == "" {
				t.Fatalf("no OAuth error body: %s", r.raw)
			}
		})
	}
	t.Run("loopback http is fine", func(t *testing.T) {
		for _, u := range []string{"http://127.0.0.1:8000/cb", "http://localhost/cb", "http://[::1]:9/cb"} {
			wantStatus(t, call(t, "POST", ts.URL+"/v2/oauth_clients", base(map[string]any{"redirect_uris": []string{u}}), key...), 201)
		}
	})
	t.Run("update refuses bad redirect and client_type", func(t *testing.T) {
		c := confidential(t, ts)
		wantOAuthError(t, call(t, "PUT", ts.URL+"/v2/oauth_clients/"+c.id, map[string]any{"redirect_uris": []string{"http://evil.example/cb"}}, key...), 422, "invalid_redirect_uri")
		r := call(t, "PUT", ts.URL+"/v2/oauth_clients/"+c.id, map[string]any{"client_type": "public"}, key...)
		if r.status < 400 || r.status >= 500 {
			t.Fatalf("client_type update status %d", r.status)
		}
	})
	t.Run("malformed id", func(t *testing.T) {
		r := call(t, "GET", ts.URL+"/v2/oauth_clients/not-a-uuid", nil, key...)
		wantStatus(t, r, 404)
	})
}

func TestListPaginationAndFilters(t *testing.T) {
	ts := emulator.NewTestServer(t)
	key := bearer(ts.APIKey)
	for i := range 7 {
		typ, grants := "confidential", []string{"client_credentials"}
		if i%3 == 0 {
			typ, grants = "public", []string{"authorization_code"}
		}
		createClient(t, ts, map[string]any{"name": fmt.Sprintf("app-%d", i), "client_type": typ, "allowed_scopes": []string{"admin"},
			"allowed_grant_types": grants, "redirect_uris": []string{"https://a.example/cb"}})
	}
	list := func(q url.Values) resp {
		r := call(t, "GET", ts.URL+"/v2/oauth_clients?"+q.Encode(), nil, key...)
		wantStatus(t, r, 200)
		return r
	}
	names := func(r resp) string {
		var out []string
		for _, c := range r.body["data"].([]any) {
			out = append(out, c.(map[string]any)["name"].(string))
		}
		return strings.Join(out, ",")
	}
	meta := func(r resp) string {
		m := r.body["meta"].(map[string]any)
		return fmt.Sprintf("%v/%v size %v total %v", m["page_number"], m["total_pages"], m["page_size"], m["total_results"])
	}
	pages := []struct{ names, meta string }{
		{"app-0,app-1,app-2", "1/3 size 3 total 7"},
		{"app-3,app-4,app-5", "2/3 size 3 total 7"},
		{"app-6", "3/3 size 3 total 7"},
	}
	for i, want := range pages {
		r := list(url.Values{"page[size]": {"3"}, "page[number]": {fmt.Sprint(i + 1)}})
		if names(r) != want.names || meta(r) != want.meta {
			t.Errorf("page %d = %s (%s), want %s (%s)", i+1, names(r), meta(r), want.names, want.meta)
		}
	}
	if r := list(url.Values{"page[size]": {"3"}, "page[number]": {"4"}}); names(r) != "" {
		t.Errorf("past the end: %s", names(r))
	}
	if r := list(nil); meta(r) != "1/1 size 20 total 7" {
		t.Errorf("defaults: %s", meta(r))
	}
	for _, tc := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"filter[client_type]": {"public"}}, "app-0,app-3,app-6"},
		{url.Values{"filter[allowed_grant_types][contains]": {"client_credentials"}}, "app-1,app-2,app-4,app-5"},
		{url.Values{"filter[name]": {"app-4"}}, "app-4"},
		{url.Values{"filter[name][contains]": {"p-5"}}, "app-5"},
		{url.Values{"filter[verified]": {"true"}}, ""},
		{url.Values{"filter[verified]": {"false"}, "filter[client_type]": {"public"}, "page[size]": {"2"}}, "app-0,app-3"},
	} {
		if got := names(list(tc.q)); got != tc.want {
			t.Errorf("%v = %q, want %q", tc.q, got, tc.want)
		}
	}
	all := list(nil).body["data"].([]any)
	id := all[2].(map[string]any)["client_id"].(string)
	if got := names(list(url.Values{"filter[client_id]": {id}})); got != "app-2" {
		t.Errorf("filter[client_id] = %q", got)
	}
	for _, bad := range []string{"0", "101", "x"} {
		r := call(t, "GET", ts.URL+"/v2/oauth_clients?page%5Bsize%5D="+bad, nil, key...)
		wantOAuthError(t, r, 400, "invalid_request")
		if !strings.Contains(r.str("error_description"), "page[size]") {
			t.Errorf("description does not name the parameter: %s", r.raw)
		}
	}
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_grants?page%5Bsize%5D=500", nil, key...), 400)
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients?page%5Bnumber%5D=0", nil, key...), 400)
}

func TestAliasesAndRoutes(t *testing.T) {
	ts := emulator.NewTestServer(t)
	key := bearer(ts.APIKey)
	created := call(t, "POST", ts.URL+"/v2/oauth/clients", map[string]any{"name": "alias", "client_type": "confidential",
		"allowed_scopes": []string{"admin"}, "allowed_grant_types": []string{"client_credentials", "authorization_code"},
		"redirect_uris": []string{"https://app.example.com/cb"}}, key...)
	wantStatus(t, created, 201)
	c := client{id: created.data()["client_id"].(string), secret: created.data()["client_secret"].(string)}
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/clients", nil, key...), 200)
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/clients/"+c.id, nil, key...), 200)
	wantStatus(t, call(t, "PUT", ts.URL+"/v2/oauth/clients/"+c.id, map[string]any{"name": "renamed"}, key...), 200)
	authorize(t, ts, c, "https://app.example.com/cb", nil) // POST /v2/oauth/grants is consent approval
	grants := call(t, "GET", ts.URL+"/v2/oauth/grants", nil, key...)
	wantStatus(t, grants, 200)
	gid := grants.body["data"].([]any)[0].(map[string]any)["id"].(string)
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/grants/"+gid, nil, key...), 200)
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_grants/"+gid, nil, key...), 200)
	wantStatus(t, call(t, "DELETE", ts.URL+"/v2/oauth/clients/"+c.id, nil, key...), 204)

	for _, p := range []string{"/.well-known/oauth-authorization-server", "/v2/.well-known/oauth-authorization-server"} {
		r := call(t, "GET", ts.URL+p, nil)
		wantStatus(t, r, 200)
		if r.str("issuer") != ts.URL || r.str("token_endpoint") != ts.URL+"/v2/oauth/token" || r.str("jwks_uri") != ts.URL+"/v2/oauth/jwks" {
			t.Errorf("%s = %s", p, r.raw)
		}
		if m := fmt.Sprint(r.body["code_challenge_methods_supported"]); m != "[S256 plain]" {
			t.Errorf("code_challenge_methods_supported = %s", m)
		}
	}
	for _, p := range []string{"/.well-known/oauth-protected-resource", "/v2/.well-known/oauth-protected-resource"} {
		r := call(t, "GET", ts.URL+p, nil)
		wantStatus(t, r, 200)
		if r.str("resource") != ts.URL || fmt.Sprint(r.body["authorization_servers"]) != "["+ts.URL+"]" {
			t.Errorf("%s = %s", p, r.raw)
		}
	}
	for _, p := range []string{"/v2/nope", "/v2/oauth_clients/a/b", "/elsewhere"} {
		r := call(t, "GET", ts.URL+p, nil, key...)
		wantStatus(t, r, 404)
		if r.body["errors"] == nil {
			t.Errorf("%s: no gateway envelope: %s", p, r.raw)
		}
	}
}

func TestGrantsRevoke(t *testing.T) {
	ts := emulator.NewTestServer(t)
	key := bearer(ts.APIKey)
	c := confidential(t, ts)
	const cb = "https://app.example.com/cb"
	code, _ := authorize(t, ts, c, cb, url.Values{"scope": {"admin"}})
	tok := exchangeCode(t, ts, c, code, cb, verifier)
	wantStatus(t, tok, 200)
	list := call(t, "GET", ts.URL+"/v2/oauth_grants", nil, key...)
	g := list.body["data"].([]any)[0].(map[string]any)
	if g["client_id"] != c.id || fmt.Sprint(g["scopes"]) != "[admin]" || g["last_used_at"] == nil {
		t.Fatalf("grant = %v", g)
	}
	id := g["id"].(string)
	rev := call(t, "DELETE", ts.URL+"/v2/oauth_grants/"+id, nil, key...)
	wantStatus(t, rev, 200)
	if rev.data()["id"] != id {
		t.Fatalf("revoke = %s", rev.raw)
	}
	if in := introspect(t, ts, c, tok.str("access_token")); in.body["active"] != false {
		t.Fatalf("revoked grant's token active: %s", in.raw)
	}
	r := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.str("refresh_token")}}, basic(c.id, c.secret)...)
	wantOAuthError(t, r, 400, "invalid_grant")
	wantOAuthError(t, call(t, "GET", ts.URL+"/v2/oauth_grants/"+id, nil, key...), 404, "not_found")
	wantOAuthError(t, call(t, "DELETE", ts.URL+"/v2/oauth_grants/"+id, nil, key...), 404, "not_found")
}
