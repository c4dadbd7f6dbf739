package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// Wire types of the protocol endpoints, shared with package api.
type (
	// TokenRequest is the body of POST /oauth/token.
	TokenRequest = api.TokenRequest
	// TokenResponse is a successful token endpoint response.
	TokenResponse = api.TokenResponse
	// IntrospectResponse is an RFC 7662 introspection result.
	IntrospectResponse = api.IntrospectResponse
	// RegistrationRequest is an RFC 7591 dynamic registration request.
	RegistrationRequest = api.OAuthDynamicRegistrationRequest
	// RegistrationResponse is a dynamic registration result.
	RegistrationResponse = api.OAuthDynamicRegistrationResponse
	// JWKSet is the authorization server's key set.
	JWKSet = api.JWKSet
	// ConsentDetails describes what a consent token asks the user to approve.
	ConsentDetails = api.ConsentDetails
	// AuthorizeParams are the query parameters of GET /oauth/authorize.
	AuthorizeParams = api.AuthorizeOAuthParams
	// GrantType is an OAuth grant type.
	GrantType = api.GrantType
)

// Grant types.
const (
	GrantClientCredentials = api.ClientCredentials
	GrantAuthorizationCode = api.AuthorizationCode
	GrantRefreshToken      = api.RefreshToken
)

// OAuthService calls the protocol endpoints under /oauth.
type OAuthService struct{ c *Client }

// Token calls POST /oauth/token with a form-encoded body. When the client
// has client credentials and req names no client, the client authenticates
// by Basic or in the body as set by [WithAuthStyle]. Only the
// client_credentials grant is retried; authorization-code and refresh-token
// exchanges are never replayed.
func (s *OAuthService) Token(ctx context.Context, req TokenRequest, opts ...CallOption) (*TokenResponse, error) {
	const op = "ExchangeOAuthToken"
	if !req.GrantType.Valid() {
		return nil, fmt.Errorf("wrapper: %s: invalid grant_type %q", op, req.GrantType)
	}
	basic := s.c.cfg.clientID != nil && req.ClientID == nil && s.c.cfg.authStyle == AuthStyleBasic
	if s.c.cfg.clientID != nil && req.ClientID == nil && !basic {
		req.ClientID, req.ClientSecret = s.c.cfg.clientID, &s.c.cfg.clientSecret
	}
	hr, err := api.NewExchangeOAuthTokenRequestWithFormdataBody(s.c.apiBase, req)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, errors.New("invalid token request"))
	}
	if basic {
		hr.SetBasicAuth(url.QueryEscape(*s.c.cfg.clientID), url.QueryEscape(s.c.cfg.clientSecret))
	}
	m := &call{op: op, retry: retryNever}
	if req.GrantType == GrantClientCredentials {
		m.retry = retryAlways
	}
	resp, cancel, err := s.c.send(ctx, m, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseExchangeOAuthTokenResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "access_token", resp)
	}
	return r.JSON200, nil
}

// fetchClientCredentials is the token manager's fetch.
func (c *Client) fetchClientCredentials(ctx context.Context) (*oauth2.Token, error) {
	req := TokenRequest{GrantType: GrantClientCredentials}
	if c.cfg.scope != "" {
		req.Scope = &c.cfg.scope
	}
	tr, err := c.OAuth.Token(ctx, req)
	if err != nil {
		return nil, err
	}
	return toOAuth2(tr.AccessToken, string(tr.TokenType), tr.ExpiresIn, tr.RefreshToken, tr.Scope, c.cfg.now()), nil
}

// Introspect calls POST /oauth/introspect (RFC 7662) with a form-encoded
// body, authenticating with the client credentials. It is retried like a
// read.
func (s *OAuthService) Introspect(ctx context.Context, token string, opts ...CallOption) (*IntrospectResponse, error) {
	const op = "IntrospectOAuthToken"
	if token == "" {
		return nil, fmt.Errorf("wrapper: %s: empty token", op)
	}
	if s.c.cfg.clientID == nil {
		return nil, fmt.Errorf("wrapper: %s: introspection needs client credentials (WithClientCredentials)", op)
	}
	form := url.Values{"token": {token}}
	if s.c.cfg.authStyle == AuthStyleInBody {
		form.Set("client_id", *s.c.cfg.clientID)
		form.Set("client_secret", s.c.cfg.clientSecret)
	}
	hr, err := api.NewIntrospectOAuthTokenRequestWithBody(s.c.apiBase, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	if s.c.cfg.authStyle == AuthStyleBasic {
		hr.SetBasicAuth(url.QueryEscape(*s.c.cfg.clientID), url.QueryEscape(s.c.cfg.clientSecret))
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, retry: retryAlways}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseIntrospectOAuthTokenResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "active", resp)
	}
	return r.JSON200, nil
}

// Register calls POST /oauth/register (RFC 7591). It is not retried unless
// the call carries [WithIdempotencyKey].
func (s *OAuthService) Register(ctx context.Context, req RegistrationRequest, opts ...CallOption) (*RegistrationResponse, error) {
	const op = "RegisterOAuthClient"
	if err := validURIs(op, "redirect_uris", req.RedirectUris); err != nil {
		return nil, err
	}
	hr, err := api.NewRegisterOAuthClientRequest(s.c.apiBase, req)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseRegisterOAuthClientResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON201 == nil {
		return nil, missing(op, "client_id", resp)
	}
	return r.JSON201, nil
}

// JWKS calls GET /oauth/jwks.
func (s *OAuthService) JWKS(ctx context.Context, opts ...CallOption) (*JWKSet, error) {
	const op = "GetOAuthJWKS"
	hr, err := api.NewGetOAuthJWKSRequest(s.c.apiBase)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseGetOAuthJWKSResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "keys", resp)
	}
	return r.JSON200, nil
}

// Consent calls GET /oauth/consent/{consent_token} and returns what the
// consent token asks for.
func (s *OAuthService) Consent(ctx context.Context, consentToken string, opts ...CallOption) (*ConsentDetails, error) {
	const op = "GetOAuthConsentToken"
	if consentToken == "" {
		return nil, fmt.Errorf("wrapper: %s: empty consent token", op)
	}
	hr, err := api.NewGetOAuthConsentTokenRequest(s.c.apiBase, consentToken)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: invalid consent token", op)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseGetOAuthConsentTokenResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil || r.JSON200.Data == nil {
		return nil, missing(op, "data", resp)
	}
	return r.JSON200.Data, nil
}

// ApproveConsent calls POST /oauth/grants with allowed=true and returns the
// redirect URI carrying the authorization code. It is not retried unless
// the call carries [WithIdempotencyKey].
func (s *OAuthService) ApproveConsent(ctx context.Context, consentToken string, opts ...CallOption) (string, error) {
	return s.decide(ctx, consentToken, true, opts)
}

// DenyConsent calls POST /oauth/grants with allowed=false and returns the
// redirect URI carrying the access_denied error. Like [OAuthService.ApproveConsent]
// it is not retried unless the call carries [WithIdempotencyKey].
func (s *OAuthService) DenyConsent(ctx context.Context, consentToken string, opts ...CallOption) (string, error) {
	return s.decide(ctx, consentToken, false, opts)
}

func (s *OAuthService) decide(ctx context.Context, consentToken string, allowed bool, opts []CallOption) (string, error) {
	const op = "CreateOAuthGrant"
	if consentToken == "" {
		return "", fmt.Errorf("wrapper: %s: empty consent token", op)
	}
	hr, err := api.NewCreateOAuthGrantRequest(s.c.apiBase, api.CreateOAuthGrantRequest{Allowed: allowed, ConsentToken: consentToken})
	if err != nil {
		return "", fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return "", err
	}
	r, err := parse(op, resp, cancel, api.ParseCreateOAuthGrantResponse)
	if err != nil {
		return "", err
	}
	if r.JSON200 == nil || r.JSON200.RedirectURI == "" {
		return "", missing(op, "redirect_uri", resp)
	}
	return r.JSON200.RedirectURI, nil
}

// AuthorizeURL builds the URL of GET /oauth/authorize for p without sending
// anything. response_type defaults to "code".
func (s *OAuthService) AuthorizeURL(p AuthorizeParams) (string, error) {
	hr, err := s.authorizeRequest(p)
	if err != nil {
		return "", err
	}
	return hr.URL.String(), nil
}

func (s *OAuthService) authorizeRequest(p AuthorizeParams) (*http.Request, error) {
	const op = "AuthorizeOAuth"
	if p.ResponseType == "" {
		p.ResponseType = api.Code
	}
	if p.ClientID == "" {
		return nil, fmt.Errorf("wrapper: %s: empty client_id", op)
	}
	if u, err := url.Parse(p.RedirectURI); err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("wrapper: %s: redirect_uri must be an absolute URI", op)
	}
	hr, err := api.NewAuthorizeOAuthRequest(s.c.apiBase, &p)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	return hr, nil
}

// Authorize performs GET /oauth/authorize without following the redirect
// and returns its Location (the consent page, or the client's redirect URI
// with a code or an error). It returns "" when the server answers 200 with
// an embedded consent page.
func (s *OAuthService) Authorize(ctx context.Context, p AuthorizeParams, opts ...CallOption) (string, error) {
	const op = "AuthorizeOAuth"
	hr, err := s.authorizeRequest(p)
	if err != nil {
		return "", err
	}
	ok := func(st int) bool { return st == http.StatusOK || st == http.StatusFound || st == http.StatusSeeOther }
	resp, cancel, err := s.c.send(ctx, &call{op: op}, hr, opts, ok)
	if err != nil {
		return "", err
	}
	defer cancel()
	drain(resp)
	if resp.StatusCode == http.StatusOK {
		return "", nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", missing(op, "Location header", resp)
	}
	return loc, nil
}

func validURIs(op, field string, uris *[]string) error {
	if uris == nil {
		return nil
	}
	for i, u := range *uris {
		if p, err := url.Parse(u); err != nil || !p.IsAbs() {
			return fmt.Errorf("wrapper: %s: %s[%d] is not an absolute URI", op, field, i)
		}
	}
	return nil
}
