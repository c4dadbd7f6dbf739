package agent

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// Connection is what the chain hands back: the validated metadata, the
// client it acts as, and either an authorization-code session, a
// client-credentials token source, or both.
type Connection struct {
	// Resource is the protected resource's validated metadata (RFC 9728).
	Resource *discovery.ProtectedResource
	// Server is the chosen authorization server's validated metadata
	// (RFC 8414).
	Server *discovery.AuthorizationServer
	// Registration is the client in use; Registered reports that the chain
	// registered it just now (RFC 7591).
	Registration *Registration
	Registered   bool
	// Client is a wrapper client on the issuer's base URL; for a
	// confidential client it holds the client credentials.
	Client *wrapper.Client
	// Session is a ready authorization-code session with PKCE S256, when a
	// redirect URI was given: send the user to Session.AuthorizeURL(), then
	// call Session.Callback and Session.Exchange. Make another with
	// NewSession.
	Session *wrapper.AuthCodeSession
	// TokenSource gives client-credentials tokens for a confidential
	// client; nil for a public one.
	TokenSource oauth2.TokenSource

	cfg *config
}

// Connect runs the chain from a protected resource's identifier (such as
// "https://api.telnyx.com"): it fetches the resource's metadata (GET
// /.well-known/oauth-protected-resource) and checks its resource, picks
// an authorization server and fetches its metadata (GET
// /.well-known/oauth-authorization-server) and checks its issuer, checks
// that PKCE S256 and the needed grant types are supported, registers a
// client (POST /v2/oauth/register) unless one is configured or stored, and
// returns a [Connection]. A trailing slash after the host is dropped.
func Connect(ctx context.Context, resourceURL string, opts ...Option) (*Connection, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.New(discovery.WithHTTPClient(cfg.httpClient))
	if err != nil {
		return nil, err
	}
	// "https://host/" and "https://host" name the same resource (RFC 3986
	// section 6.2.3); metadata uses the form without the slash.
	if u, err := url.Parse(resourceURL); err == nil && u.Path == "/" && u.RawQuery == "" && u.Fragment == "" {
		resourceURL = strings.TrimSuffix(resourceURL, "/")
	}
	pr, err := dc.ProtectedResource(ctx, resourceURL)
	if err != nil {
		return nil, fmt.Errorf("agent: protected resource %s: %w", resourceURL, err)
	}
	return cfg.connect(ctx, dc, pr)
}

// connect continues the chain from validated resource metadata.
func (c *config) connect(ctx context.Context, dc *discovery.Client, pr *discovery.ProtectedResource) (*Connection, error) {
	c.logger.InfoContext(ctx, "agent: protected resource", "resource", pr.Resource, "authorization_servers", pr.AuthorizationServers)
	issuer, err := c.pickIssuer(pr)
	if err != nil {
		return nil, err
	}
	as, err := dc.AuthorizationServer(ctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("agent: authorization server %s: %w", issuer, err)
	}
	c.logger.InfoContext(ctx, "agent: authorization server", "issuer", as.Issuer, "token_endpoint", as.TokenEndpoint)
	base, err := c.wrapperClient(as.Issuer)
	if err != nil {
		return nil, err
	}
	if err := c.checkServer(as, base); err != nil {
		return nil, err
	}
	reg, registered, err := c.resolveClient(ctx, base, as)
	if err != nil {
		return nil, err
	}
	conn := &Connection{Resource: pr, Server: as, Registration: reg, Registered: registered, Client: base, cfg: c}
	if !reg.Public() {
		if conn.Client, err = c.wrapperClient(as.Issuer, wrapper.WithClientCredentials(reg.ClientID, reg.ClientSecret), wrapper.WithScope(c.scope)); err != nil {
			return nil, err
		}
	}
	if c.confidential {
		conn.TokenSource = conn.Client.TokenSource()
	}
	if c.wantsCode() {
		if conn.Session, err = conn.NewSession(); err != nil {
			return nil, err
		}
	}
	return conn, nil
}

// pickIssuer chooses the authorization server.
func (c *config) pickIssuer(pr *discovery.ProtectedResource) (string, error) {
	if len(pr.AuthorizationServers) == 0 {
		return "", fmt.Errorf("%w: %s lists none", ErrNoAuthorizationServer, pr.Resource)
	}
	if c.issuer == "" {
		return pr.AuthorizationServers[0], nil
	}
	if !slices.Contains(pr.AuthorizationServers, c.issuer) {
		return "", fmt.Errorf("%w: %s is not listed by %s", ErrNoAuthorizationServer, c.issuer, pr.Resource)
	}
	return c.issuer, nil
}

// checkServer refuses a server that cannot serve the flows asked for,
// before anything is registered.
func (c *config) checkServer(as *discovery.AuthorizationServer, base *wrapper.Client) error {
	if err := sameEndpoint("token_endpoint", as.TokenEndpoint, base.TokenURL()); err != nil {
		return err
	}
	if c.wantsCode() {
		if !as.SupportsPKCE("S256") {
			return fmt.Errorf("%w: %s lists code_challenge_methods_supported %q", ErrNoPKCE, as.Issuer, as.CodeChallengeMethodsSupported)
		}
		if !as.SupportsGrantType(string(wrapper.GrantAuthorizationCode)) {
			return fmt.Errorf("%w: grant type authorization_code", ErrNotSupported)
		}
		if err := sameEndpoint("authorization_endpoint", as.AuthorizationEndpoint, base.APIBaseURL()+"oauth/authorize"); err != nil {
			return err
		}
	}
	if c.confidential && !as.SupportsGrantType(string(wrapper.GrantClientCredentials)) {
		return fmt.Errorf("%w: grant type client_credentials", ErrNotSupported)
	}
	return nil
}

// sameEndpoint checks that a published endpoint is where the wrapper,
// which derives its endpoints from the issuer, will send requests.
func sameEndpoint(name, published, derived string) error {
	if strings.TrimSuffix(published, "/") != strings.TrimSuffix(derived, "/") {
		return fmt.Errorf("%w: %s %q is not the derived %q", ErrNotSupported, name, published, derived)
	}
	return nil
}

// wrapperClient builds a wrapper client on issuer with the configured
// wrapper options and HTTP client. The caller's options come first, so the
// issuer's base URL and the chain's HTTP client always win over them.
func (c *config) wrapperClient(issuer string, extra ...wrapper.Option) (*wrapper.Client, error) {
	opts := append(slices.Clone(c.wrapperOpts), wrapper.WithoutEnvironment(), wrapper.WithBaseURL(issuer), wrapper.WithHTTPClient(c.httpClient))
	wc, err := wrapper.New(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("agent: client for %s: %w", issuer, err)
	}
	return wc, nil
}

// NewSession starts another authorization-code attempt with fresh state
// and PKCE verifier, for the configured redirect URI and scope, expecting
// the issuer in the callback's iss (RFC 9207).
func (c *Connection) NewSession() (*wrapper.AuthCodeSession, error) {
	if !c.cfg.wantsCode() {
		return nil, errors.New("agent: no redirect URI configured for the authorization-code flow")
	}
	return c.Client.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{
		ClientID: c.Registration.ClientID, RedirectURI: c.cfg.redirectURI, Scope: c.cfg.scope, Issuer: c.Server.Issuer,
	})
}

// APIClient returns a wrapper client on the issuer's base URL that
// authenticates API calls with tokens from ts, such as
// oauth2.StaticTokenSource of the token Session.Exchange returned.
func (c *Connection) APIClient(ts oauth2.TokenSource) (*wrapper.Client, error) {
	if ts == nil {
		return nil, errors.New("agent: nil token source")
	}
	return c.cfg.wrapperClient(c.Server.Issuer, wrapper.WithTokenSource(ts))
}
