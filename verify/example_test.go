package verify_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/verify"
)

// A resource server discovers the authorization server, builds a verifier
// from its metadata and checks a token.
func ExampleNew_fromDiscovery() {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "jwks_uri": srv.URL + "/v2/oauth/jwks"})
	})
	mux.HandleFunc("GET /v2/oauth/jwks", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=300")
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	ctx := context.Background()
	dc, _ := discovery.New()
	md, err := dc.AuthorizationServer(ctx, srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := verify.New(
		verify.WithIssuer(md.Issuer),
		verify.WithAudience(srv.URL), // the resource this server protects
		verify.WithJWKSURL(md.JWKSURI),
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	token := exampleToken(key, srv.URL)
	claims, err := v.Verify(ctx, token)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Subject, claims.Scopes(), claims.HasScope("admin"))
	// Output: user-1 [admin] true
}

func exampleToken(key *rsa.PrivateKey, issuer string) string {
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithHeader("kid", "k1"))
	now := time.Now()
	payload, _ := json.Marshal(map[string]any{
		"iss": issuer, "aud": issuer, "sub": "user-1", "scope": "admin", "client_id": "c1",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "j1",
	})
	obj, _ := signer.Sign(payload)
	tok, _ := obj.CompactSerialize()
	return tok
}
