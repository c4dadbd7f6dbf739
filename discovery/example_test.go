package discovery_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// AuthorizationServer fetches and checks RFC 8414 metadata; here from an
// emulator, whose issuer is its host root, as Telnyx's is.
func ExampleClient_AuthorizationServer() {
	emu, err := emulator.Start("")
	if err != nil {
		panic(err)
	}
	defer emu.Close()

	dc, err := discovery.New()
	if err != nil {
		panic(err)
	}
	md, err := dc.AuthorizationServer(context.Background(), emu.URL)
	if err != nil {
		panic(err)
	}
	fmt.Println(md.Issuer == emu.URL)
	fmt.Println(md.TokenEndpoint == emu.URL+"/v2/oauth/token")
	fmt.Println(md.SupportsPKCE("S256"), md.SupportsRegistration())
	// Output:
	// true
	// true
	// true true
}

// ParseBearerChallenge reads the Bearer challenge of a 401 answer,
// including RFC 9728's resource_metadata.
func ExampleParseBearerChallenge() {
	h := http.Header{}
	h.Set("WWW-Authenticate", `Basic realm="x", Bearer realm="api", error="invalid_token", `+
		`scope="admin read", resource_metadata="https://api.example/.well-known/oauth-protected-resource"`)
	ch, err := discovery.ParseBearerChallenge(h)
	if err != nil {
		panic(err)
	}
	fmt.Println(ch.Realm, ch.Error, ch.Scopes())
	fmt.Println(ch.ResourceMetadata)
	// Output:
	// api invalid_token [admin read]
	// https://api.example/.well-known/oauth-protected-resource
}
