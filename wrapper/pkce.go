package wrapper

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// AuthCodeConfig describes an authorization-code flow with PKCE.
type AuthCodeConfig struct {
	ClientID    string // required
	RedirectURI string // required, absolute
	Scope       string // space-separated, optional
	// Issuer is the expected "iss" of the callback (RFC 9207). It defaults
	// to the client's host-root URL without the trailing slash.
	Issuer string
	// RequireIssuer makes a callback without iss an [ErrIssuerMismatch].
	// Set it when the server's metadata has
	// authorization_response_iss_parameter_supported: true, as RFC 9207
	// section 2.4 requires; otherwise iss is checked only when present.
	RequireIssuer bool
}

// AuthCodeSession holds the per-attempt secrets of one authorization: the
// state and the PKCE verifier. Keep it server-side until the callback.
type AuthCodeSession struct {
	cfg       AuthCodeConfig
	s         *OAuthService
	State     string // CSRF state sent to the authorize endpoint
	Verifier  string // PKCE code_verifier (43 characters)
	Challenge string // S256 code_challenge
}

// CallbackError is an authorization callback carrying error and
// error_description. errors.Is matches the RFC 6749 sentinels, and
// [ErrAccessDenied].
type CallbackError struct {
	Code        string // the callback's error, e.g. "access_denied"
	Description string // its error_description, when present
}

// Error implements error.
func (e *CallbackError) Error() string {
	s := "wrapper: authorization failed: " + e.Code
	if e.Description != "" {
		s += " (" + e.Description + ")"
	}
	return s
}

// Is matches the sentinel of the error code.
func (e *CallbackError) Is(target error) bool {
	s, ok := oauthCodes[e.Code]
	return ok && s == target
}

// ErrStateMismatch is returned when the callback's state is not the session's.
var ErrStateMismatch = errors.New("wrapper: callback state does not match")

// ErrIssuerMismatch is returned when the callback's iss is not the expected issuer.
var ErrIssuerMismatch = errors.New("wrapper: callback iss does not match the issuer")

// NewAuthCodeSession starts an authorization: it makes a random state and
// an S256 PKCE verifier (RFC 7636) from crypto/rand.
func (s *OAuthService) NewAuthCodeSession(cfg AuthCodeConfig) (*AuthCodeSession, error) {
	if cfg.ClientID == "" {
		return nil, errors.New("wrapper: auth code session: empty client id")
	}
	if u, err := url.Parse(cfg.RedirectURI); err != nil || !u.IsAbs() {
		return nil, errors.New("wrapper: auth code session: redirect URI must be absolute")
	}
	if cfg.Issuer == "" {
		cfg.Issuer = strings.TrimSuffix(s.c.rootBase, "/")
	}
	verifier := randomString(32) // 32 bytes → 43 base64url characters
	sum := sha256.Sum256([]byte(verifier))
	return &AuthCodeSession{
		cfg: cfg, s: s,
		State:     randomString(24),
		Verifier:  verifier,
		Challenge: base64.RawURLEncoding.EncodeToString(sum[:]),
	}, nil
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AuthorizeParams returns the session's authorization request parameters:
// client, redirect URI, scope, state and the S256 challenge. Pass them to
// [OAuthService.Authorize] to send the request without a browser.
func (a *AuthCodeSession) AuthorizeParams() AuthorizeParams {
	m := api.S256
	state, challenge := a.State, a.Challenge
	p := AuthorizeParams{
		ResponseType: api.Code,
		ClientID:     a.cfg.ClientID, RedirectURI: a.cfg.RedirectURI,
		State: &state, CodeChallenge: &challenge, CodeChallengeMethod: &m,
	}
	if a.cfg.Scope != "" {
		scope := a.cfg.Scope
		p.Scope = &scope
	}
	return p
}

// AuthorizeURL is the URL to send the user to. It performs no request.
func (a *AuthCodeSession) AuthorizeURL() string {
	u, err := a.s.AuthorizeURL(a.AuthorizeParams())
	if err != nil { // the config was checked by NewAuthCodeSession
		return ""
	}
	return u
}

// Callback checks the query of the redirect back to the client: the state
// (constant-time), an error/error_description pair, and iss when present
// (RFC 9207). It returns the authorization code.
func (a *AuthCodeSession) Callback(q url.Values) (string, error) {
	// RFC 6749 section 3.1: no parameter may appear twice. A second code
	// or state appended to the redirect must not get a say.
	for _, k := range []string{"state", "code", "error", "iss"} {
		if len(q[k]) > 1 {
			return "", fmt.Errorf("wrapper: callback repeats the %s parameter", k)
		}
	}
	st := q.Get("state")
	if subtle.ConstantTimeCompare([]byte(st), []byte(a.State)) != 1 {
		return "", ErrStateMismatch
	}
	if iss, ok := q["iss"]; ok && (len(iss) == 0 || iss[0] != a.cfg.Issuer) || !ok && a.cfg.RequireIssuer {
		return "", ErrIssuerMismatch
	}
	if e := q.Get("error"); e != "" {
		return "", &CallbackError{Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", errors.New("wrapper: callback carries neither code nor error")
	}
	return code, nil
}

// Exchange trades code for tokens (POST /oauth/token,
// grant_type=authorization_code) with the session's verifier. It is never
// retried. The token is saved to the [TokenStore] when one is configured.
func (a *AuthCodeSession) Exchange(ctx context.Context, code string, opts ...CallOption) (*oauth2.Token, error) {
	if code == "" {
		return nil, errors.New("wrapper: exchange: empty code")
	}
	req := TokenRequest{GrantType: GrantAuthorizationCode, Code: &code, CodeVerifier: &a.Verifier, RedirectURI: &a.cfg.RedirectURI}
	if a.s.c.cfg.clientID == nil {
		req.ClientID = &a.cfg.ClientID // public client
	}
	return a.s.tokenAndSave(ctx, req, "", opts)
}

// Refresh trades a refresh token for new tokens with POST /oauth/token
// (grant_type=refresh_token).
// The server may rotate the refresh token; the new token is saved to the
// [TokenStore] when one is configured. It is never retried, since a
// rotated refresh token cannot be replayed. clientID is sent in the body for
// public clients and may be empty when the client has client credentials.
func (s *OAuthService) Refresh(ctx context.Context, clientID, refreshToken string, opts ...CallOption) (*oauth2.Token, error) {
	if refreshToken == "" {
		return nil, errors.New("wrapper: refresh: empty refresh token")
	}
	req := TokenRequest{GrantType: GrantRefreshToken, RefreshToken: &refreshToken}
	if s.c.cfg.clientID == nil {
		if clientID == "" {
			return nil, errors.New("wrapper: refresh: client id required without client credentials")
		}
		req.ClientID = &clientID
	}
	return s.tokenAndSave(ctx, req, refreshToken, opts)
}

// tokenAndSave exchanges req and saves the result; oldRefresh is kept when
// the server did not rotate the refresh token.
func (s *OAuthService) tokenAndSave(ctx context.Context, req TokenRequest, oldRefresh string, opts []CallOption) (*oauth2.Token, error) {
	tr, err := s.Token(ctx, req, opts...)
	if err != nil {
		return nil, err
	}
	tok := toOAuth2(tr.AccessToken, string(tr.TokenType), tr.ExpiresIn, tr.RefreshToken, tr.Scope, s.c.cfg.now())
	if tok.RefreshToken == "" {
		tok.RefreshToken = oldRefresh
	}
	if st := s.c.cfg.tokenStore; st != nil {
		if err := st.Save(ctx, tok); err != nil {
			return tok, fmt.Errorf("wrapper: save token: %w", err)
		}
	}
	return tok, nil
}
