package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// This file holds the protocol commands: token, introspect, jwks,
// register, consent, approve and authorize-url.

type tokenFlags struct {
	grant, scope, code, redirectURI, verifier, refresh string
}

func newTokenCommand(e *env) *cobra.Command {
	var f tokenFlags
	cmd := &cobra.Command{
		Use:   "token [flags]",
		Short: "Get an access token (POST /oauth/token)",
		Long: `Get an access token. The default grant is client_credentials, for the client
given by --client-id and --client-secret (better: TELNYX_CLIENT_ID and
TELNYX_CLIENT_SECRET). The authorization_code grant trades a code from
"approve" or a redirect; the refresh_token grant trades a refresh token,
which the server rotates. A public client sends only its client id.
--code, --code-verifier and --refresh-token accept "-" to read the value
from stdin.`,
		Example: `  TELNYX_CLIENT_ID=ID TELNYX_CLIENT_SECRET=SECRET telnyx-oauth token --scope admin
  telnyx-oauth token --grant-type authorization_code --client-id ID \
      --code CODE --redirect-uri https://app.example.com/callback --code-verifier VERIFIER
  echo "$REFRESH" | telnyx-oauth token --grant-type refresh_token --client-id ID --refresh-token - --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := f.request(e, cmd.Flags().Changed)
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credClient)
			if err != nil {
				return err
			}
			defer cancel()
			tok, err := c.OAuth.Token(ctx, req)
			if err != nil {
				return err
			}
			return e.printer().object(tok, []field{
				{"access_token", tok.AccessToken},
				{"token_type", string(tok.TokenType)},
				{"expires_in", fmt.Sprint(tok.ExpiresIn)},
				{"refresh_token", str(tok.RefreshToken)},
				{"scope", str(tok.Scope)},
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.grant, "grant-type", string(wrapper.GrantClientCredentials), "grant: "+grantTypeNames)
	fl.StringVar(&f.scope, "scope", "", "scopes to ask for, space-separated")
	fl.StringVar(&f.code, "code", "", "authorization code (authorization_code; - reads stdin)")
	fl.StringVar(&f.redirectURI, "redirect-uri", "", "redirect URI the code was issued for (authorization_code)")
	fl.StringVar(&f.verifier, "code-verifier", "", "PKCE code verifier (authorization_code; - reads stdin)")
	fl.StringVar(&f.refresh, "refresh-token", "", "refresh token (refresh_token; - reads stdin)")
	return cmd
}

// request checks the flags of the chosen grant and builds the request.
func (f *tokenFlags) request(e *env, changed func(string) bool) (wrapper.TokenRequest, error) {
	req := wrapper.TokenRequest{GrantType: wrapper.GrantType(f.grant), Scope: nonEmpty(f.scope)}
	allowed := map[wrapper.GrantType][]string{
		wrapper.GrantClientCredentials: {"scope"},
		wrapper.GrantAuthorizationCode: {"code", "redirect-uri", "code-verifier"},
		wrapper.GrantRefreshToken:      {"refresh-token", "scope"},
	}
	own, ok := allowed[req.GrantType]
	if !ok {
		return req, usageErrorf("--grant-type must be one of %s, got %q", grantTypeNames, f.grant)
	}
	for _, name := range []string{"scope", "code", "redirect-uri", "code-verifier", "refresh-token"} {
		if changed(name) && !slices.Contains(own, name) {
			return req, usageErrorf("--%s does not apply to --grant-type %s", name, f.grant)
		}
	}
	if e.clientID() == "" {
		return req, usageErrorf("%s needs a client: set --client-id or %s", f.grant, wrapper.EnvClientID)
	}
	if !e.hasClientSecret() {
		if req.GrantType == wrapper.GrantClientCredentials {
			return req, usageErrorf("client_credentials needs a client secret: set %s or --client-secret", wrapper.EnvClientSecret)
		}
		id := e.clientID() // a public client names itself in the body
		req.ClientID = &id
	}
	var err error
	switch req.GrantType {
	case wrapper.GrantAuthorizationCode:
		if f.code, err = e.secretArg("--code", f.code); err != nil {
			return req, err
		}
		if f.redirectURI == "" {
			return req, usageErrorf("--redirect-uri is required with --grant-type authorization_code")
		}
		req.Code, req.RedirectURI = &f.code, &f.redirectURI
		if changed("code-verifier") {
			if f.verifier, err = e.secretArg("--code-verifier", f.verifier); err != nil {
				return req, err
			}
			req.CodeVerifier = &f.verifier
		}
	case wrapper.GrantRefreshToken:
		if f.refresh, err = e.secretArg("--refresh-token", f.refresh); err != nil {
			return req, err
		}
		req.RefreshToken = &f.refresh
	}
	return req, nil
}

func newIntrospectCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "introspect TOKEN|-",
		Short: "Show whether a token is active and what it grants (POST /oauth/introspect)",
		Long: `Introspect a token (RFC 7662), authenticating as the client given by
--client-id and --client-secret (or TELNYX_CLIENT_ID and TELNYX_CLIENT_SECRET).
Pass "-" to read the token from stdin, which keeps it out of the shell
history. An inactive token prints active=false and nothing else; that is not
an error.`,
		Example: `  telnyx-oauth token --json | jq -r .access_token | telnyx-oauth introspect -
  telnyx-oauth introspect - --json < token.txt`,
		Args: exactArgs("TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			token, err := e.secretArg("TOKEN", args[0])
			if err != nil {
				return err
			}
			if e.clientID() == "" || !e.hasClientSecret() {
				return usageErrorf("introspection needs client credentials: set %s and %s", wrapper.EnvClientID, wrapper.EnvClientSecret)
			}
			c, ctx, cancel, err := e.open(cmd, credClient)
			if err != nil {
				return err
			}
			defer cancel()
			r, err := c.OAuth.Introspect(ctx, token)
			if err != nil {
				return err
			}
			return e.printer().object(r, []field{
				{"active", boolStr(r.Active)},
				{"scope", str(r.Scope)},
				{"client_id", str(r.ClientID)},
				{"sub", str(r.Sub)},
				{"token_type", str(r.TokenType)},
				{"iss", str(r.Iss)},
				{"aud", str(r.Aud)},
				{"iat", unixStr(r.Iat)},
				{"nbf", unixStr(r.Nbf)},
				{"exp", unixStr(r.Exp)},
				{"jti", str(r.Jti)},
			})
		},
	}
}

func newJWKSCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "jwks",
		Short: "List the keys that sign access tokens (GET /oauth/jwks)",
		Long: `List the public keys of the authorization server. The table shows one key per
row without its key material; --json prints the whole key set as one object.`,
		Example: `  telnyx-oauth jwks
  telnyx-oauth jwks --json | jq '.keys[].kid'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, ctx, cancel, err := e.open(cmd, credNone)
			if err != nil {
				return err
			}
			defer cancel()
			set, err := c.OAuth.JWKS(ctx)
			if err != nil {
				return err
			}
			p := e.printer()
			if p.json {
				return p.encode(set)
			}
			var rows [][]string
			if set.Keys != nil {
				for _, k := range *set.Keys {
					rows = append(rows, []string{orDash(str(k.Kid)), orDash(str(k.Kty)), orDash(str(k.Alg)), orDash(str(k.Use)), orDash(str(k.Crv))})
				}
			}
			_, err = list(p, seqOf(rows), columns[[]string]{
				noun:   "keys",
				header: []string{"KID", "KTY", "ALG", "USE", "CRV"},
				row:    func(r []string) []string { return r },
			}, len(rows)+1, false)
			return err
		},
	}
}

type registerFlags struct {
	name, scope, authMethod, logo, tos, policy, idempotencyKey string
	redirects, grants                                          []string
}

func newRegisterCommand(e *env) *cobra.Command {
	var f registerFlags
	cmd := &cobra.Command{
		Use:   "register [flags]",
		Short: "Register a client dynamically (POST /oauth/register, RFC 7591)",
		Long: `Register a client without an API key (RFC 7591). A client registered with
--auth-method none is public; any other method gets a client secret, which
is printed once, with a warning on stderr.`,
		Example: `  telnyx-oauth register --name "Scheduling agent" --auth-method none \
      --grant-type authorization_code,refresh_token --redirect-uri https://agent.example.com/callback`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := f.request()
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credNone)
			if err != nil {
				return err
			}
			defer cancel()
			r, err := c.OAuth.Register(ctx, req, idempotency(f.idempotencyKey)...)
			if err != nil {
				return err
			}
			p := e.printer()
			p.secretOnce(r.ClientSecret)
			return p.object(r, []field{
				{"client_id", r.ClientID},
				{"client_secret", str(r.ClientSecret)},
				{"client_id_issued_at", unixStr(&r.ClientIDIssuedAt)},
				{"client_name", str(r.ClientName)},
				{"token_endpoint_auth_method", str(r.TokenEndpointAuthMethod)},
				{"grant_types", strsPtr(r.GrantTypes)},
				{"response_types", strsPtr(r.ResponseTypes)},
				{"redirect_uris", strsPtr(r.RedirectUris)},
				{"scope", str(r.Scope)},
				{"logo_uri", str(r.LogoURI)},
				{"tos_uri", str(r.TosURI)},
				{"policy_uri", str(r.PolicyURI)},
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "client name")
	fl.StringArrayVar(&f.redirects, "redirect-uri", nil, "redirect URI (repeatable)")
	fl.StringSliceVar(&f.grants, "grant-type", nil, "grant types (repeatable or comma-separated)")
	fl.StringVar(&f.scope, "scope", "", "scopes, space-separated")
	fl.StringVar(&f.authMethod, "auth-method", "", "token endpoint auth method: client_secret_basic (server default), client_secret_post or none")
	fl.StringVar(&f.logo, "logo-uri", "", "logo URL")
	fl.StringVar(&f.tos, "tos-uri", "", "terms of service URL")
	fl.StringVar(&f.policy, "policy-uri", "", "privacy policy URL")
	fl.StringVar(&f.idempotencyKey, "idempotency-key", "", "Idempotency-Key header; makes the request safe to retry")
	return cmd
}

func (f *registerFlags) request() (wrapper.RegistrationRequest, error) {
	req := wrapper.RegistrationRequest{
		ClientName: nonEmpty(f.name), Scope: nonEmpty(f.scope),
		LogoURI: nonEmpty(f.logo), TosURI: nonEmpty(f.tos), PolicyURI: nonEmpty(f.policy),
	}
	if len(f.redirects) > 0 {
		if err := absoluteURIs("--redirect-uri", f.redirects); err != nil {
			return req, err
		}
		req.RedirectUris = &f.redirects
	}
	if len(f.grants) > 0 {
		g, err := grantTypes(f.grants)
		if err != nil {
			return req, err
		}
		req.GrantTypes = &g
	}
	if f.authMethod != "" {
		if !slices.Contains(authMethods, f.authMethod) {
			return req, usageErrorf("--auth-method must be one of %s, got %q", strings.Join(authMethods, ", "), f.authMethod)
		}
		setString(&req.TokenEndpointAuthMethod, f.authMethod)
	}
	return req, nil
}

// authMethods are the token endpoint auth methods of RFC 7591.
var authMethods = []string{"client_secret_basic", "client_secret_post", "none"}

// setString points *dst at v converted to the string type of the field.
func setString[S ~string](dst **S, v string) {
	s := S(v)
	*dst = &s
}

func newConsentCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "consent CONSENT_TOKEN|-",
		Short: "Show what a consent request asks for (GET /oauth/consent/{token})",
		Long: `Show the client and scopes a consent token asks the user to approve. The
consent token comes from the authorize redirect (the consent_token query
parameter); "-" reads it from stdin. Answer with "approve".`,
		Example: `  telnyx-oauth consent ct_4f1c2b7e9d0a
  echo "$CONSENT" | telnyx-oauth consent - --json`,
		Args: exactArgs("CONSENT_TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			token, err := e.secretArg("CONSENT_TOKEN", args[0])
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			d, err := c.OAuth.Consent(ctx, token)
			if err != nil {
				return err
			}
			var scopes []string
			if d.RequestedScopes != nil {
				for _, s := range *d.RequestedScopes {
					desc := str(s.ID)
					if s.Description != nil {
						desc += " (" + *s.Description + ")"
					}
					scopes = append(scopes, desc)
				}
			}
			return e.printer().object(d, []field{
				{"client_id", str(d.ClientID)},
				{"name", str(d.Name)},
				{"verified", boolPtr(d.Verified)},
				{"redirect_uri", str(d.RedirectURI)},
				{"requested_scopes", strings.Join(scopes, ", ")},
				{"logo_uri", str(d.LogoURI)},
				{"tos_uri", str(d.TosURI)},
				{"policy_uri", str(d.PolicyURI)},
			})
		},
	}
}

// decision is the outcome of "approve": the redirect and what it carries.
type decision struct {
	RedirectURI      string `json:"redirect_uri"`
	Code             string `json:"code,omitempty"`
	State            string `json:"state,omitempty"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func newApproveCommand(e *env) *cobra.Command {
	var deny bool
	cmd := &cobra.Command{
		Use:   "approve CONSENT_TOKEN|-",
		Short: "Answer a consent request (POST /oauth/grants); --deny refuses it",
		Long: `Approve (or with --deny refuse) a consent request on the user's behalf. It
prints the redirect URI the browser would follow and the authorization code
(or error) it carries; trade the code with "token --grant-type
authorization_code". "-" reads the consent token from stdin.`,
		Example: `  telnyx-oauth approve ct_4f1c2b7e9d0a --json | jq -r .code
  telnyx-oauth approve ct_4f1c2b7e9d0a --deny`,
		Args: exactArgs("CONSENT_TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			token, err := e.secretArg("CONSENT_TOKEN", args[0])
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			decide := c.OAuth.ApproveConsent
			if deny {
				decide = c.OAuth.DenyConsent
			}
			redirect, err := decide(ctx, token)
			if err != nil {
				return err
			}
			d := decision{RedirectURI: redirect}
			if u, err := url.Parse(redirect); err == nil {
				q := u.Query()
				d.Code, d.State, d.Error, d.ErrorDescription = q.Get("code"), q.Get("state"), q.Get("error"), q.Get("error_description")
			}
			return e.printer().object(d, []field{
				{"redirect_uri", d.RedirectURI}, {"code", d.Code}, {"state", d.State},
				{"error", d.Error}, {"error_description", d.ErrorDescription},
			})
		},
	}
	cmd.Flags().BoolVar(&deny, "deny", false, "refuse the request (the redirect carries error=access_denied)")
	return cmd
}

func newAuthorizeURLCommand(e *env) *cobra.Command {
	var redirectURI, scope string
	cmd := &cobra.Command{
		Use:   "authorize-url --client-id ID --redirect-uri URI [--scope S]",
		Short: "Build an authorization URL with a fresh PKCE verifier and state",
		Long: `Build the URL of GET /oauth/authorize for the authorization-code flow with
PKCE (S256). Nothing is sent. A fresh state and code verifier are made for
each call; the table output prints only the URL, while --json also prints
the state (check it on the redirect) and the code_verifier (pass it to
"token --grant-type authorization_code"). Keep the verifier secret.`,
		Example: `  telnyx-oauth authorize-url --client-id ID --redirect-uri https://app.example.com/callback
  telnyx-oauth authorize-url --client-id ID --redirect-uri http://127.0.0.1:8085/cb --scope admin --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id := e.clientID()
			if id == "" {
				return usageErrorf("--client-id (or %s) is required", wrapper.EnvClientID)
			}
			if u, err := url.Parse(redirectURI); redirectURI == "" || err != nil || !u.IsAbs() {
				return usageErrorf("--redirect-uri must be an absolute URI")
			}
			c, err := e.client(credNone)
			if err != nil {
				return err
			}
			s, err := c.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: id, RedirectURI: redirectURI, Scope: scope})
			if err != nil {
				return usageError{err}
			}
			p := e.printer()
			if p.json {
				return p.encode(struct {
					URL           string `json:"url"`
					State         string `json:"state"`
					CodeVerifier  string `json:"code_verifier"`
					CodeChallenge string `json:"code_challenge"`
				}{s.AuthorizeURL(), s.State, s.Verifier, s.Challenge})
			}
			fmt.Fprintln(p.w, s.AuthorizeURL())
			p.note("use --json to keep the state and code_verifier for the code exchange")
			return nil
		},
	}
	cmd.Flags().StringVar(&redirectURI, "redirect-uri", "", "registered redirect URI of the client (required)")
	cmd.Flags().StringVar(&scope, "scope", "", "scopes to ask for, space-separated")
	return cmd
}
