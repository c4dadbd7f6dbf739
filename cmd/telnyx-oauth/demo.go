package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
	"github.com/telnyxoauth/telnyx-oauth-go/contract"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/verify"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// demoRedirectURI is where the demo's public client is sent back after
// consent. Nothing is ever fetched from it: the demo reads the redirect.
const demoRedirectURI = "https://demo.example/callback"

func newDemoCommand() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Walk through the SDK step by step",
		Long: `Walk through the SDK, printing each step and its key result.

Without TELNYX_API_KEY the demo starts the emulator in-process on a loopback
port and runs every flow against it: clients, client credentials, pagination,
authorization code with PKCE and consent, refresh-token rotation, JWT
verification against the JWKS, introspection, grant revocation, dynamic
registration and discovery.

With TELNYX_API_KEY set it runs only the read-only steps against the real API
(TELNYX_BASE_URL, default https://api.telnyx.com): it lists clients and
grants and reads the JWKS and both metadata documents. Nothing is created.

Every call is validated against openapi.yaml. Secrets and tokens are never
printed in full.`,
		Example: `  go run ./cmd/telnyx-oauth demo
  TELNYX_API_KEY=KEY... telnyx-oauth demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			d := &demo{w: cmd.OutOrStdout()}
			if key := os.Getenv(wrapper.EnvAPIKey); key != "" {
				return d.runReadOnly(ctx, key)
			}
			return d.runEmulated(ctx)
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "give up after this long")
	return cmd
}

// demo prints numbered steps.
type demo struct {
	w io.Writer
	n int
}

// demoPrint prints one indented result line of a step.
type demoPrint func(format string, args ...any)

// step runs f under a numbered heading. A failure prints the error under the
// heading and names the step in the returned error.
func (d *demo) step(title string, f func(p demoPrint) error) error {
	d.n++
	fmt.Fprintf(d.w, "\n%d. %s\n", d.n, title)
	err := f(func(format string, args ...any) { fmt.Fprintf(d.w, "   "+format+"\n", args...) })
	if err != nil {
		fmt.Fprintf(d.w, "   FAILED: %v\n", err)
		return fmt.Errorf("demo step %d (%s): %w", d.n, title, err)
	}
	return nil
}

// demoClient builds a wrapper with contract validation on.
func demoClient(opts ...wrapper.Option) (*wrapper.Client, error) {
	check, err := contract.WrapperOption()
	if err != nil {
		return nil, err
	}
	return wrapper.New(append(opts, check, wrapper.WithUserAgent("telnyx-oauth-demo"))...)
}

// runReadOnly lists and reads, never writes, against the API named by the
// environment.
func (d *demo) runReadOnly(ctx context.Context, key string) error {
	c, err := demoClient(wrapper.WithAPIKey(key))
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "TELNYX_API_KEY is set: running the read-only steps against %s\n", strings.TrimSuffix(c.RootURL(), "/"))
	fmt.Fprintln(d.w, "(nothing is created; unset TELNYX_API_KEY for the full walk-through on the emulator)")
	steps := []struct {
		title string
		f     func(demoPrint) error
	}{
		{"List OAuth clients", func(p demoPrint) error { return demoListClients(ctx, c, p) }},
		{"List grants", func(p demoPrint) error { return demoListGrants(ctx, c, p) }},
		{"Read the JWKS", func(p demoPrint) error { return demoJWKS(ctx, c, p) }},
		{"Discover the authorization server (RFC 8414)", func(p demoPrint) error { return demoASMetadata(ctx, c, p) }},
		{"Discover the protected resource (RFC 9728)", func(p demoPrint) error { return demoPRMetadata(ctx, c, p) }},
	}
	for _, s := range steps {
		if err := d.step(s.title, s.f); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.w, "\nDone: %d read-only steps passed.\n", d.n)
	return nil
}

func demoListClients(ctx context.Context, c *wrapper.Client, p demoPrint) error {
	page, err := c.Clients.List(ctx, wrapper.ListClientsParams{PageSize: 5})
	if err != nil {
		return err
	}
	p("%d clients in total; the first %d:", page.Meta.TotalResults, len(page.Items))
	for _, cl := range page.Items {
		p("  %s  %-12s %s", cl.ClientID, cl.ClientType, cl.Name)
	}
	return nil
}

func demoListGrants(ctx context.Context, c *wrapper.Client, p demoPrint) error {
	page, err := c.Grants.List(ctx, wrapper.ListGrantsParams{PageSize: 5})
	if err != nil {
		return err
	}
	p("%d grants in total; the first %d:", page.Meta.TotalResults, len(page.Items))
	for _, g := range page.Items {
		p("  %s  client %s  scopes %s", g.ID, g.ClientID, strings.Join(g.Scopes, " "))
	}
	return nil
}

func demoJWKS(ctx context.Context, c *wrapper.Client, p demoPrint) error {
	set, err := c.OAuth.JWKS(ctx)
	if err != nil {
		return err
	}
	if set.Keys == nil || len(*set.Keys) == 0 {
		return errors.New("the key set is empty")
	}
	p("%d signing key(s):", len(*set.Keys))
	for _, k := range *set.Keys {
		p("  kid %s  kty %s  alg %s", demoStr(k.Kid), demoStr(k.Kty), demoStr(k.Alg))
	}
	return nil
}

func demoASMetadata(ctx context.Context, c *wrapper.Client, p demoPrint) error {
	md, err := c.Discovery.AuthorizationServer(ctx)
	if err != nil {
		return err
	}
	p("issuer          %s", demoStr(md.Issuer))
	p("authorize       %s", demoStr(md.AuthorizationEndpoint))
	p("token           %s", demoStr(md.TokenEndpoint))
	p("jwks_uri        %s", demoStr(md.JwksURI))
	p("registration    %s", demoStr(md.RegistrationEndpoint))
	if md.CodeChallengeMethodsSupported != nil {
		p("PKCE methods    %s", strings.Join(*md.CodeChallengeMethodsSupported, ", "))
	}
	return nil
}

func demoPRMetadata(ctx context.Context, c *wrapper.Client, p demoPrint) error {
	md, err := c.Discovery.ProtectedResource(ctx)
	if err != nil {
		return err
	}
	p("resource        %s", demoStr(md.Resource))
	if md.AuthorizationServers != nil {
		p("auth servers    %s", strings.Join(*md.AuthorizationServers, ", "))
	}
	return nil
}

// demoSecret shows a short prefix of a secret and its length, never the
// whole value.
func demoSecret(s string) string {
	if s == "" {
		return "(none)"
	}
	n := min(8, len(s)/4)
	return fmt.Sprintf("%s…(redacted, %d chars)", s[:n], len(s))
}

func demoStr(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
}

// emulatedDemo is the state carried from step to step on the emulator.
type emulatedDemo struct {
	*demo
	srv      *emulator.Server
	admin    *wrapper.Client // API key
	conf     *wrapper.OAuthClient
	public   *wrapper.OAuthClient
	svc      *wrapper.Client // the confidential client's credentials
	tok      *oauth2.Token
	grantID  string
	verifier *verify.Verifier
}

func (d *demo) runEmulated(ctx context.Context) error {
	e := &emulatedDemo{demo: d}
	fmt.Fprintln(d.w, "No TELNYX_API_KEY: running the whole SDK against the in-process emulator.")
	fmt.Fprintln(d.w, "Every request and response is validated against openapi.yaml.")
	err := d.step("Start the emulator", e.start)
	if e.srv != nil {
		defer e.srv.Close()
	}
	if err != nil {
		return err
	}
	steps := []struct {
		title string
		f     func(context.Context, demoPrint) error
	}{
		{"Create a confidential client", e.createConfidential},
		{"Create a public client", e.createPublic},
		{"Client-credentials token", e.clientCredentials},
		{"List clients across pages", e.listPages},
		{"Authorization code with PKCE and consent", e.authorizationCode},
		{"Refresh with rotation", e.refresh},
		{"Sign in again (a fresh grant)", e.signInAgain},
		{"Verify the access token against the JWKS", e.verify},
		{"Introspect the access token", e.introspectActive},
		{"Revoke the grant", e.revoke},
		{"Dynamic client registration (RFC 7591)", e.register},
		{"Discover the authorization server (RFC 8414)", func(ctx context.Context, p demoPrint) error { return demoASMetadata(ctx, e.admin, p) }},
		{"Discover the protected resource (RFC 9728)", func(ctx context.Context, p demoPrint) error { return demoPRMetadata(ctx, e.admin, p) }},
	}
	for _, s := range steps {
		if err := d.step(s.title, func(p demoPrint) error { return s.f(ctx, p) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.w, "\nDone: all %d steps passed.\n", d.n)
	return nil
}

func (e *emulatedDemo) start(p demoPrint) error {
	srv, err := emulator.Start("")
	if err != nil {
		return err
	}
	e.srv = srv
	if e.admin, err = demoClient(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey(srv.APIKey)); err != nil {
		return err
	}
	p("API at %s/v2, discovery at %s/.well-known/...", srv.URL, srv.URL)
	p("admin API key %s", demoSecret(srv.APIKey))
	return nil
}

func (e *emulatedDemo) createConfidential(ctx context.Context, p demoPrint) error {
	c, err := e.admin.Clients.Create(ctx, wrapper.CreateClientRequest{
		Name: "demo-backend", ClientType: wrapper.ClientConfidential,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials},
		AllowedScopes:     []string{"admin"},
	})
	if err != nil {
		return err
	}
	if c.ClientSecret == nil {
		return errors.New("no client secret in the create response")
	}
	e.conf = c
	p("client_id     %s (%s)", c.ClientID, c.Name)
	p("client_secret %s, shown only once", demoSecret(*c.ClientSecret))
	return nil
}

func (e *emulatedDemo) createPublic(ctx context.Context, p demoPrint) error {
	c, err := e.admin.Clients.Create(ctx, wrapper.CreateClientRequest{
		Name: "demo-spa", ClientType: wrapper.ClientPublic,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		AllowedScopes:     []string{"admin"},
		RedirectUris:      &[]string{demoRedirectURI},
		RequirePkce:       demoPtr(true),
	})
	if err != nil {
		return err
	}
	e.public = c
	p("client_id     %s (%s), no secret, PKCE required: %t", c.ClientID, c.Name, c.RequirePkce)
	p("redirect_uri  %s", demoRedirectURI)
	return nil
}

func (e *emulatedDemo) clientCredentials(ctx context.Context, p demoPrint) error {
	svc, err := demoClient(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(e.srv.URL),
		wrapper.WithClientCredentials(e.conf.ClientID, *e.conf.ClientSecret), wrapper.WithScope("admin"))
	if err != nil {
		return err
	}
	e.svc = svc
	tok, err := svc.TokenSource().Token()
	if err != nil {
		return err
	}
	p("POST /v2/oauth/token grant_type=client_credentials (HTTP Basic)")
	p("access_token  %s, type %s, expires %s", demoSecret(tok.AccessToken), tok.Type(), tok.Expiry.Format(time.RFC3339))
	got, err := svc.Clients.Get(ctx, e.conf.ClientID)
	if err != nil {
		return err
	}
	p("the token manager authenticates admin calls: GET client %q with it", got.Name)
	return nil
}

func (e *emulatedDemo) listPages(ctx context.Context, p demoPrint) error {
	for _, name := range []string{"demo-extra-1", "demo-extra-2", "demo-extra-3"} {
		_, err := e.admin.Clients.Create(ctx, wrapper.CreateClientRequest{
			Name: name, ClientType: wrapper.ClientConfidential,
			AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials}, AllowedScopes: []string{"admin"},
		})
		if err != nil {
			return err
		}
	}
	p("created 3 more clients")
	params := wrapper.ListClientsParams{PageSize: 2}
	first, err := e.admin.Clients.List(ctx, params)
	if err != nil {
		return err
	}
	p("List, page size 2: page 1 of %d, %d clients in total", first.Meta.TotalPages, first.Meta.TotalResults)
	n := 0
	for c, err := range e.admin.Clients.All(ctx, params) {
		if err != nil {
			return err
		}
		n++
		p("  %d. %-13s %s", n, c.Name, c.ClientType)
	}
	if n != first.Meta.TotalResults {
		return fmt.Errorf("the iterator yielded %d clients, the meta says %d", n, first.Meta.TotalResults)
	}
	p("All walked %d pages and yielded %d clients", first.Meta.TotalPages, n)
	conf, err := wrapper.Collect(e.admin.Clients.All(ctx, wrapper.ListClientsParams{PageSize: 2, ClientType: wrapper.ClientPublic}))
	if err != nil {
		return err
	}
	p("filter[client_type]=public: %d client(s)", len(conf))
	return nil
}

func (e *emulatedDemo) authorizationCode(ctx context.Context, p demoPrint) error {
	tok, err := e.signIn(ctx, p)
	if err != nil {
		return err
	}
	e.tok = tok
	return nil
}

// signIn runs the whole authorization-code flow for the public client and
// remembers its grant.
func (e *emulatedDemo) signIn(ctx context.Context, p demoPrint) (*oauth2.Token, error) {
	sess, err := e.admin.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: e.public.ClientID, RedirectURI: demoRedirectURI, Scope: "admin"})
	if err != nil {
		return nil, err
	}
	authURL := sess.AuthorizeURL()
	p("AuthorizeURL    %s", demoShowURL(authURL))
	loc, err := e.admin.OAuth.Authorize(ctx, sess.AuthorizeParams())
	if err != nil {
		return nil, err
	}
	lu, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	consentToken := lu.Query().Get("consent_token")
	if consentToken == "" {
		return nil, fmt.Errorf("authorize redirected to %s without a consent token", lu.Path)
	}
	p("Authorize       302 to %s, consent_token %s", lu.Path, demoSecret(consentToken))
	details, err := e.admin.OAuth.Consent(ctx, consentToken)
	if err != nil {
		return nil, err
	}
	var scopes []string
	if details.RequestedScopes != nil {
		for _, s := range *details.RequestedScopes {
			scopes = append(scopes, demoStr(s.ID))
		}
	}
	p("Consent         %q asks for scopes [%s]", demoStr(details.Name), strings.Join(scopes, " "))
	back, err := e.admin.OAuth.ApproveConsent(ctx, consentToken)
	if err != nil {
		return nil, err
	}
	bu, err := url.Parse(back)
	if err != nil {
		return nil, err
	}
	p("ApproveConsent  back to %s://%s%s with code and state", bu.Scheme, bu.Host, bu.Path)
	code, err := sess.Callback(bu.Query())
	if err != nil {
		return nil, err
	}
	p("Callback        state matches, code %s", demoSecret(code))
	tok, err := sess.Exchange(ctx, code)
	if err != nil {
		return nil, err
	}
	p("Exchange        access_token %s", demoSecret(tok.AccessToken))
	p("                refresh_token %s", demoSecret(tok.RefreshToken))
	return tok, e.findGrant(ctx, p)
}

// findGrant records the newest grant of the public client.
func (e *emulatedDemo) findGrant(ctx context.Context, p demoPrint) error {
	grants, err := wrapper.Collect(e.admin.Grants.All(ctx, wrapper.ListGrantsParams{PageSize: 20}))
	if err != nil {
		return err
	}
	grants = slices.DeleteFunc(grants, func(g wrapper.Grant) bool { return g.ClientID != e.public.ClientID })
	if len(grants) == 0 {
		return errors.New("no grant listed for the public client")
	}
	g := slices.MaxFunc(grants, func(a, b wrapper.Grant) int { return a.CreatedAt.Compare(b.CreatedAt) })
	e.grantID = g.ID.String()
	p("Grant           %s, scopes [%s]", e.grantID, strings.Join(g.Scopes, " "))
	return nil
}

func (e *emulatedDemo) refresh(ctx context.Context, p demoPrint) error {
	old := e.tok.RefreshToken
	next, err := e.admin.OAuth.Refresh(ctx, e.public.ClientID, old)
	if err != nil {
		return err
	}
	if next.RefreshToken == "" || next.RefreshToken == old {
		return errors.New("the refresh token was not rotated")
	}
	p("new access_token  %s", demoSecret(next.AccessToken))
	p("new refresh_token %s (rotated: differs from the old one)", demoSecret(next.RefreshToken))
	_, err = e.admin.OAuth.Refresh(ctx, e.public.ClientID, old)
	if !errors.Is(err, wrapper.ErrInvalidGrant) {
		return fmt.Errorf("the old refresh token was not refused with invalid_grant: %v", err)
	}
	p("old refresh_token refused: %s", demoOAuthError(err))
	_, err = e.admin.OAuth.Refresh(ctx, e.public.ClientID, next.RefreshToken)
	if !errors.Is(err, wrapper.ErrInvalidGrant) {
		return fmt.Errorf("reuse detection did not revoke the grant: %v", err)
	}
	p("reuse detection revoked the grant: the new refresh_token is refused too")
	return nil
}

func (e *emulatedDemo) signInAgain(ctx context.Context, p demoPrint) error {
	tok, err := e.signIn(ctx, p)
	if err != nil {
		return err
	}
	e.tok = tok
	return nil
}

func (e *emulatedDemo) verify(ctx context.Context, p demoPrint) error {
	set, err := e.admin.OAuth.JWKS(ctx)
	if err != nil {
		return err
	}
	if set.Keys == nil || len(*set.Keys) == 0 {
		return errors.New("the JWKS is empty")
	}
	k := (*set.Keys)[0]
	p("JWKS            %d key(s); kid %s, %s", len(*set.Keys), demoStr(k.Kid), demoStr(k.Alg))
	jwksURL := e.admin.APIBaseURL() + "oauth/jwks"
	v, err := verify.New(verify.WithIssuer(e.srv.URL), verify.WithAudience(e.srv.URL), verify.WithJWKSURL(jwksURL))
	if err != nil {
		return err
	}
	e.verifier = v
	claims, err := v.Verify(ctx, e.tok.AccessToken)
	if err != nil {
		return err
	}
	p("signature valid (RS256); iss %s, aud %s", claims.Issuer, strings.Join(claims.Audience, " "))
	p("client_id %s, scope %q, expires in %s", claims.ClientID, claims.Scope, time.Until(claims.Expiry).Round(time.Minute))
	tampered := e.tok.AccessToken[:len(e.tok.AccessToken)-4] + demoFlip(e.tok.AccessToken[len(e.tok.AccessToken)-4:])
	if _, err := v.Verify(ctx, tampered); !errors.Is(err, verify.ErrBadSignature) && !errors.Is(err, verify.ErrMalformed) {
		return fmt.Errorf("a tampered token was not refused: %v", err)
	}
	p("a token with a tampered signature is refused")
	return nil
}

// demoFlip changes every character of s (base64url stays base64url).
func demoFlip(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}

func (e *emulatedDemo) introspectActive(ctx context.Context, p demoPrint) error {
	in, err := e.svc.OAuth.Introspect(ctx, e.tok.AccessToken)
	if err != nil {
		return err
	}
	if !in.Active {
		return errors.New("the access token is inactive")
	}
	p("POST /v2/oauth/introspect as %s", e.conf.Name)
	p("active: true, client_id %s, scope %q, token_type %s", demoStr(in.ClientID), demoStr(in.Scope), demoStr(in.TokenType))
	return nil
}

func (e *emulatedDemo) revoke(ctx context.Context, p demoPrint) error {
	g, err := e.admin.Grants.Revoke(ctx, e.grantID)
	if err != nil {
		return err
	}
	p("DELETE /v2/oauth_grants/%s: revoked", g.ID)
	in, err := e.svc.OAuth.Introspect(ctx, e.tok.AccessToken)
	if err != nil {
		return err
	}
	if in.Active {
		return errors.New("the access token is still active after revocation")
	}
	p("introspection now: active: false")
	if _, err := e.admin.Grants.Get(ctx, e.grantID); !errors.Is(err, wrapper.ErrNotFound) {
		return fmt.Errorf("the revoked grant is still readable: %v", err)
	}
	p("GET the grant: 404 not found")
	return nil
}

func (e *emulatedDemo) register(ctx context.Context, p demoPrint) error {
	method := api.TokenEndpointAuthMethod("client_secret_basic")
	reg, err := e.admin.OAuth.Register(ctx, wrapper.RegistrationRequest{
		ClientName:              demoPtr("demo-agent"),
		RedirectUris:            &[]string{demoRedirectURI},
		GrantTypes:              &[]wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		TokenEndpointAuthMethod: &method,
	})
	if err != nil {
		return err
	}
	p("POST /v2/oauth/register: client_id %s (%s)", reg.ClientID, demoStr(reg.ClientName))
	p("client_secret %s, auth method %s", demoSecret(demoDeref(reg.ClientSecret)), demoStr(reg.TokenEndpointAuthMethod))
	got, err := e.admin.Clients.Get(ctx, reg.ClientID)
	if err != nil {
		return err
	}
	p("visible to the admin API as a %s client", got.ClientType)
	return nil
}

// demoShowURL prints an authorize URL's path and parameters with the state
// and challenge elided.
func demoShowURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	q := u.Query()
	for _, k := range []string{"state", "code_challenge"} {
		if q.Has(k) {
			q.Set(k, "…")
		}
	}
	s, _ := url.QueryUnescape(q.Encode())
	return u.Path + "?" + s
}

// demoOAuthError shows the OAuth error code and description of err.
func demoOAuthError(err error) string {
	var ae *wrapper.APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("%d %s (%s)", ae.StatusCode, ae.Code, ae.Description)
	}
	return err.Error()
}

func demoDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func demoPtr[T any](v T) *T { return &v }
