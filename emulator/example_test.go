package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// An emulator is an http.Handler: serve it, create a client with the API
// key, and exchange the client's credentials for a token.
func ExampleNew() {
	emu, err := emulator.New(emulator.WithAPIKey("KEY_example"))
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()
	if err := emu.SetBaseURL(srv.URL); err != nil {
		panic(err)
	}

	req, _ := http.NewRequest("POST", srv.URL+"/v2/oauth_clients", strings.NewReader(
		`{"name":"example","client_type":"confidential","allowed_scopes":["admin"],"allowed_grant_types":["client_credentials"]}`))
	req.Header.Set("Authorization", "Bearer "+emu.APIKey())
	req.Header.Set("Content-Type", "application/json")
	var created struct {
		Data struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		} `json:"data"`
	}
	mustDo(req, &created)

	req, _ = http.NewRequest("POST", srv.URL+"/v2/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(created.Data.ClientID, created.Data.ClientSecret)
	var token struct {
		TokenType string `json:"token_type"`
		ExpiresIn int    `json:"expires_in"`
		Scope     string `json:"scope"`
	}
	mustDo(req, &token)
	fmt.Println(token.TokenType, token.ExpiresIn, token.Scope)
	// Output: Bearer 3600 admin
}

func mustDo(req *http.Request, into any) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(into); err != nil {
		panic(err)
	}
}

// Start serves an emulator on a free loopback port in the background, for
// programs and examples; tests use NewTestServer. Its URL is the issuer.
func ExampleStart() {
	srv, err := emulator.Start("")
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/.well-known/oauth-authorization-server", nil)
	var md struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	mustDo(req, &md)
	fmt.Println(md.Issuer == srv.URL, md.TokenEndpoint == srv.URL+"/v2/oauth/token")
	// Output: true true
}
