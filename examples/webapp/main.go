// Command webapp is a web application that signs users in with Telnyx using
// the authorization-code flow with PKCE.
//
// GET /login makes a state and a PKCE verifier, keeps them on the server,
// puts the state in an HttpOnly cookie and redirects to the authorization
// endpoint. GET /callback checks the state, exchanges the code with the
// verifier, and opens a session; GET / greets the signed-in user.
//
// Run it with no environment and it starts the emulator in-process and
// registers itself there; open the printed URL, press Allow on the
// emulator's consent page, and you are signed in:
//
//	go run ./examples/webapp
//
// Against the real API set TELNYX_CLIENT_ID and TELNYX_CLIENT_SECRET of a
// confidential client whose redirect URIs include the -redirect-uri flag's
// value (by default http://ADDR/callback).
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	redirect := flag.String("redirect-uri", "", "the registered redirect URI (default http://ADDR/callback)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := serve(ctx, os.Stdout, *addr, *redirect, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "webapp:", err)
		os.Exit(1)
	}
}

// serve runs the app until ctx is done, printing where to open it on w.
func serve(ctx context.Context, w io.Writer, addr, redirectURI string, getenv func(string) string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	appURL := "http://" + ln.Addr().String()
	if redirectURI == "" {
		redirectURI = appURL + "/callback"
	}
	id, secret, base := getenv(wrapper.EnvClientID), getenv(wrapper.EnvClientSecret), getenv(wrapper.EnvBaseURL)
	if id == "" || secret == "" {
		emu, err := emulator.Start("")
		if err != nil {
			return err
		}
		defer emu.Close()
		fmt.Fprintf(w, "no %s/%s: using an in-process emulator at %s\n", wrapper.EnvClientID, wrapper.EnvClientSecret, emu.URL)
		if id, secret, err = register(ctx, emu, redirectURI); err != nil {
			return err
		}
		base = emu.URL
	}
	if base == "" {
		base = wrapper.DefaultBaseURL
	}
	api, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(base), wrapper.WithClientCredentials(id, secret))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newWebApp(api, id, redirectURI).Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Fprintf(w, "open %s/ and sign in (Ctrl-C to stop)\n", appURL)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// register creates the app's confidential client on the emulator. Against
// the real API the client is registered once, ahead of time.
func register(ctx context.Context, emu *emulator.Server, redirectURI string) (id, secret string, err error) {
	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(emu.URL), wrapper.WithAPIKey(emu.APIKey))
	if err != nil {
		return "", "", err
	}
	cl, err := admin.Clients.Create(ctx, wrapper.CreateClientRequest{
		Name: "example-webapp", ClientType: wrapper.ClientConfidential,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		AllowedScopes:     []string{"admin"},
		RedirectUris:      &[]string{redirectURI},
	})
	if err != nil {
		return "", "", err
	}
	if cl.ClientSecret == nil {
		return "", "", errors.New("the emulator returned no client secret")
	}
	return cl.ClientID, *cl.ClientSecret, nil
}

// rand32 is a random session id.
func rand32() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
