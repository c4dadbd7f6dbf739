// Command client-credentials is a backend service that calls the Telnyx
// OAuth API as itself, with the client_credentials grant.
//
// It shows the wrapper's token manager (one token, fetched once, reused and
// refreshed ahead of expiry), a few admin calls, and interoperability with
// golang.org/x/oauth2 through Client.TokenSource.
//
// Run it with no environment and it starts the emulator in-process and
// creates its own confidential client there:
//
//	go run ./examples/client-credentials
//
// With TELNYX_CLIENT_ID and TELNYX_CLIENT_SECRET (and optionally
// TELNYX_BASE_URL) set, it runs the same read-only calls against that API.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "client-credentials:", err)
		os.Exit(1)
	}
}

// run does the service's work, reading configuration through getenv.
func run(ctx context.Context, w io.Writer, getenv func(string) string) error {
	id, secret, base := getenv(wrapper.EnvClientID), getenv(wrapper.EnvClientSecret), getenv(wrapper.EnvBaseURL)
	if id == "" || secret == "" {
		emu, err := emulator.Start("")
		if err != nil {
			return err
		}
		defer emu.Close()
		fmt.Fprintf(w, "no %s/%s: using an in-process emulator at %s\n", wrapper.EnvClientID, wrapper.EnvClientSecret, emu.URL)
		if id, secret, err = bootstrap(ctx, emu); err != nil {
			return err
		}
		base = emu.URL
	}
	if base == "" {
		base = wrapper.DefaultBaseURL
	}

	// The service's client: credentials are exchanged for a token on first
	// use, and the token is cached and refreshed ahead of expiry.
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(base),
		wrapper.WithClientCredentials(id, secret), wrapper.WithScope("admin"))
	if err != nil {
		return err
	}
	self, err := c.Clients.Get(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "authenticated as client %q (%s)\n", self.Name, self.ClientType)

	page, err := c.Clients.List(ctx, wrapper.ListClientsParams{PageSize: 10})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "the account has %d OAuth client(s)\n", page.Meta.TotalResults)
	grants, err := wrapper.Collect(c.Grants.All(ctx, wrapper.ListGrantsParams{PageSize: 50}))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "and %d grant(s)\n", len(grants))

	return interop(ctx, w, c, id)
}

// interop hands the wrapper's tokens to golang.org/x/oauth2, for code that
// already speaks oauth2.TokenSource or wants a plain *http.Client.
func interop(ctx context.Context, w io.Writer, c *wrapper.Client, id string) error {
	ts := c.TokenSource()
	t1, err := ts.Token()
	if err != nil {
		return err
	}
	t2, err := ts.Token()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "token source: %s token, valid for another %s, cached: %t\n",
		t1.Type(), time.Until(t1.Expiry).Round(time.Minute), t1.AccessToken == t2.AccessToken)

	hc := oauth2.NewClient(ctx, ts)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.APIBaseURL()+"oauth_clients/"+id, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("plain oauth2 client: GET client: %s", resp.Status)
	}
	var body struct {
		Data struct {
			Name string `json:"name"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return err
	}
	fmt.Fprintf(w, "oauth2.NewClient with the same token source: GET client %q: %s\n", body.Data.Name, resp.Status)
	return nil
}

// bootstrap creates the service's confidential client on the emulator with
// its admin API key. Against the real API the client already exists and its
// credentials come from the environment.
func bootstrap(ctx context.Context, emu *emulator.Server) (id, secret string, err error) {
	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(emu.URL), wrapper.WithAPIKey(emu.APIKey))
	if err != nil {
		return "", "", err
	}
	cl, err := admin.Clients.Create(ctx, wrapper.CreateClientRequest{
		Name: "billing-service", ClientType: wrapper.ClientConfidential,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials},
		AllowedScopes:     []string{"admin"},
	})
	if err != nil {
		return "", "", err
	}
	if cl.ClientSecret == nil {
		return "", "", errors.New("the emulator returned no client secret")
	}
	return cl.ClientID, *cl.ClientSecret, nil
}
