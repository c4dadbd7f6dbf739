package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// exampleServer plays a tiny part of the API for the examples.
func exampleServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"at-1","token_type":"Bearer","expires_in":3600}`)
	})
	mux.HandleFunc("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer at-1" {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"errors":[{"code":"10009","title":"Authentication failed"}]}`)
			return
		}
		if r.PathValue("id") != "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a" {
			w.Header().Set("X-Request-Id", "req-42")
			w.WriteHeader(404)
			fmt.Fprint(w, `{"error":"not_found","error_description":"no such client"}`)
			return
		}
		fmt.Fprintf(w, `{"data":{"record_type":"oauth_client","client_id":%q,"name":"billing","org_id":"o","user_id":"u","client_type":"confidential","require_pkce":false,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}`, r.PathValue("id"))
	})
	mux.HandleFunc("GET /v2/oauth_grants", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		n := r.URL.Query().Get("page[number]")
		id := map[string]string{"1": "11111111-1111-4111-8111-111111111111", "2": "22222222-2222-4222-8222-222222222222"}[n]
		fmt.Fprintf(w, `{"data":[{"id":%q,"record_type":"oauth_grant","client_id":"c","scopes":["admin"],"created_at":"2026-01-01T00:00:00Z"}],"meta":{"page_number":%s,"total_pages":2}}`, id, n)
	})
	return httptest.NewServer(mux)
}

func Example() {
	srv := exampleServer()
	defer srv.Close()

	c, err := wrapper.New(
		wrapper.WithBaseURL(srv.URL),
		wrapper.WithClientCredentials("my-client", "my-secret"),
	)
	if err != nil {
		panic(err)
	}
	cl, err := c.Clients.Get(context.Background(), "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a")
	if err != nil {
		panic(err)
	}
	fmt.Println(cl.Name, cl.ClientType)
	// Output: billing confidential
}

func ExampleGrantsService_All() {
	srv := exampleServer()
	defer srv.Close()
	c, _ := wrapper.New(wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey("KEY123"))

	for g, err := range c.Grants.All(context.Background(), wrapper.ListGrantsParams{}) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(g.ID)
	}
	// Output:
	// 11111111-1111-4111-8111-111111111111
	// 22222222-2222-4222-8222-222222222222
}

func ExampleAPIError() {
	srv := exampleServer()
	defer srv.Close()
	c, _ := wrapper.New(wrapper.WithBaseURL(srv.URL), wrapper.WithClientCredentials("my-client", "my-secret"))

	_, err := c.Clients.Get(context.Background(), "00000000-0000-4000-8000-000000000000")
	var ae *wrapper.APIError
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, wrapper.ErrNotFound), ae.StatusCode, ae.Code, ae.RequestID)
	}
	_, err = c.Clients.Get(context.Background(), "not-a-uuid")
	fmt.Println(err)
	// Output:
	// true 404 not_found req-42
	// wrapper: GetOAuthClient: client id "not-a-uuid" is not a UUID
}

func ExampleAuthCodeSession() {
	c, _ := wrapper.New(wrapper.WithBaseURL("https://api.telnyx.com"), wrapper.WithAPIKey("KEY123"))
	sess, _ := c.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{
		ClientID:    "my-client",
		RedirectURI: "https://app.example/callback",
		Scope:       "admin",
	})
	u, _ := url.Parse(sess.AuthorizeURL())
	fmt.Println(u.Host+u.Path, u.Query().Get("code_challenge_method"))

	// The browser comes back to the redirect URI; check it before using the code.
	code, err := sess.Callback(url.Values{"state": {sess.State}, "code": {"abc"}, "iss": {"https://api.telnyx.com"}})
	fmt.Println(code, err)
	_, err = sess.Callback(url.Values{"state": {"forged"}, "code": {"abc"}})
	fmt.Println(err)
	// Output:
	// api.telnyx.com/v2/oauth/authorize S256
	// abc <nil>
	// wrapper: callback state does not match
}
