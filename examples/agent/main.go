// Command agent shows an agent connecting itself to a Telnyx-protected
// resource with nothing but the resource's URL: it discovers the
// authorization server, registers itself as a public client (RFC 7591),
// runs the authorization-code flow with PKCE, and calls the API with the
// token it got.
//
// There is no browser here, so the example plays the user: it approves the
// consent with the account's API key (POST /v2/oauth/grants), as the
// consent page would. By default it starts an emulator in the process; set
// TELNYX_BASE_URL (and TELNYX_API_KEY, the emulator's --api-key) to use a
// running one:
//
//	go run ./examples/agent
//	TELNYX_BASE_URL=http://127.0.0.1:8080 TELNYX_API_KEY=KEY go run ./examples/agent
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/agent"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// redirectURI is where the authorization server sends the user back; a
// loopback URL, as RFC 8252 recommends for native apps.
const redirectURI = "http://127.0.0.1:8765/callback"

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv(wrapper.EnvBaseURL), os.Getenv(wrapper.EnvAPIKey)); err != nil {
		fmt.Fprintln(os.Stderr, "agent:", err)
		os.Exit(1)
	}
}

// run connects to the resource at baseURL (an in-process emulator when
// empty), approving the consent with apiKey, and prints each step to w.
func run(ctx context.Context, w io.Writer, baseURL, apiKey string) error {
	if baseURL == "" {
		emu, err := emulator.Start("")
		if err != nil {
			return err
		}
		defer emu.Close()
		baseURL, apiKey = emu.URL, emu.APIKey
		fmt.Fprintln(w, "started an in-process emulator")
	}
	if apiKey == "" {
		return errors.New("TELNYX_API_KEY is needed to approve the consent")
	}
	resource := strings.TrimSuffix(strings.TrimSuffix(baseURL, "/"), "/v2")

	// 1-4: discover, check, register, prepare the PKCE session.
	conn, err := agent.Connect(ctx, resource,
		agent.WithRedirectURI(redirectURI), agent.WithClientName("example agent"), agent.WithScope("admin"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "resource %s is protected by %s\n", conn.Resource.Resource, conn.Server.Issuer)
	fmt.Fprintf(w, "authorization server supports PKCE S256; token endpoint %s\n", conn.Server.TokenEndpoint)
	fmt.Fprintf(w, "registered itself: %s (auth method %s)\n", conn.Registration, conn.Registration.AuthMethod)

	// 5: the user opens the authorization URL and approves.
	query, err := approveAsUser(ctx, w, conn.Session.AuthorizeURL(), baseURL, apiKey)
	if err != nil {
		return err
	}
	code, err := conn.Session.Callback(query)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "callback checked (state, iss)")

	// 6: trade the code, with the PKCE verifier, for tokens.
	tok, err := conn.Session.Exchange(ctx, code)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "got a %s token, scope %q, refresh token: %t\n", tok.Type(), tok.Extra("scope"), tok.RefreshToken != "")

	// 7: call the API with it.
	api, err := conn.APIClient(oauth2.StaticTokenSource(tok))
	if err != nil {
		return err
	}
	page, err := api.Clients.List(ctx, wrapper.ListClientsParams{ClientID: conn.Registration.ClientID})
	if err != nil {
		return err
	}
	for _, c := range page.Items {
		fmt.Fprintf(w, "GET /v2/oauth_clients with the agent's token: found %q (%s)\n", c.Name, c.ClientType)
	}
	return nil
}

// approveAsUser follows the authorization URL to the consent page and
// approves the consent with the API key, returning the query of the
// redirect back to the agent.
func approveAsUser(ctx context.Context, w io.Writer, authorizeURL, baseURL, apiKey string) (url.Values, error) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	consent, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || consent.Query().Get("consent_token") == "" {
		return nil, fmt.Errorf("authorize answered %d without a consent page", resp.StatusCode)
	}
	user, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(baseURL), wrapper.WithAPIKey(apiKey))
	if err != nil {
		return nil, err
	}
	ct := consent.Query().Get("consent_token")
	details, err := user.OAuth.Consent(ctx, ct)
	if err != nil {
		return nil, err
	}
	var scopes []string
	if details.RequestedScopes != nil {
		for _, s := range *details.RequestedScopes {
			if s.ID != nil {
				scopes = append(scopes, *s.ID)
			}
		}
	}
	fmt.Fprintf(w, "user sees the consent page: %q asks for %s\n", deref(details.Name), strings.Join(scopes, " "))
	back, err := user.OAuth.ApproveConsent(ctx, ct)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "user approved; redirected back to", redirectURI)
	u, err := url.Parse(back)
	if err != nil {
		return nil, err
	}
	return u.Query(), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
