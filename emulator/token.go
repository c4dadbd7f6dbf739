package emulator

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator/internal/oapi"
)

// bodyClient holds client_id and client_secret read from an introspection
// body: the document's IntrospectRequest has no such fields, so the
// generated model drops them.
type bodyClient struct {
	ID     *string `json:"client_id"`
	Secret *string `json:"client_secret"`
}

// readBodyClient reads client credentials from a form or JSON body and puts
// the body back for the next reader.
func readBodyClient(r *http.Request) bodyClient {
	var out bodyClient
	if r.Body == nil {
		return out
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if err != nil {
		return out
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(raw, &out)
		return out
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		return out
	}
	if v, ok := form["client_id"]; ok && len(v) > 0 {
		out.ID = &v[0]
	}
	if v, ok := form["client_secret"]; ok && len(v) > 0 {
		out.Secret = &v[0]
	}
	return out
}

// clientAuth is how a caller identified itself at the token or
// introspection endpoint.
type clientAuth struct {
	id, secret string
	hasSecret  bool
	badBasic   bool // an Authorization: Basic header that does not decode
}

// readClientAuth takes client credentials from HTTP Basic or the body. A
// Bearer header is ignored: the official SDKs send their API key along.
func readClientAuth(h http.Header, bodyID, bodySecret *string) (clientAuth, string) {
	var a clientAuth
	if user, pass, ok := basicAuth(h.Get("Authorization")); ok {
		a = clientAuth{id: user, secret: pass, hasSecret: true}
		if bodySecret != nil {
			return a, "use one client authentication method, not HTTP Basic and client_secret together"
		}
		if bodyID != nil && *bodyID != user {
			return a, "client_id in the body differs from the HTTP Basic user"
		}
		return a, ""
	}
	if isBasic(h.Get("Authorization")) {
		// The client tried HTTP Basic and got it wrong: that is a failed
		// authentication (RFC 6749 section 5.2), whatever the body holds.
		return clientAuth{badBasic: true}, ""
	}
	if bodyID != nil {
		a.id = *bodyID
	}
	if bodySecret != nil {
		a.secret, a.hasSecret = *bodySecret, true
	}
	return a, ""
}

// basicAuth decodes "Basic base64(urlenc(id):urlenc(secret))" (RFC 6749 2.3.1).
func basicAuth(h string) (string, string, bool) {
	const p = "basic "
	if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len(p):]))
	if err != nil {
		return "", "", false
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", false
	}
	if u, err := url.QueryUnescape(id); err == nil {
		id = u
	}
	if s, err := url.QueryUnescape(secret); err == nil {
		secret = s
	}
	return id, secret, true
}

// isBasic reports whether an Authorization header names the Basic scheme,
// well-formed or not.
func isBasic(h string) bool {
	scheme, _, _ := strings.Cut(strings.TrimSpace(h), " ")
	return strings.EqualFold(scheme, "basic")
}

// authenticate checks a caller against the store (lock held): confidential
// clients need their secret, public clients only their id.
func (s *store) authenticate(a clientAuth) (*clientRecord, reply, bool) {
	if a.badBasic {
		return nil, invalidClient("the HTTP Basic credentials are malformed"), false
	}
	if a.id == "" {
		return nil, invalidClient("client authentication is required"), false
	}
	c, ok := s.clients[a.id]
	if !ok {
		return nil, invalidClient("client authentication failed"), false
	}
	if c.public() {
		if a.hasSecret && a.secret != "" {
			return nil, invalidClient("a public client has no secret"), false
		}
		return c, reply{}, true
	}
	if !a.hasSecret || !secretMatches(c.secretHash, a.secret) {
		return nil, invalidClient("client authentication failed"), false
	}
	return c, reply{}, true
}

func (h *handlers) ExchangeOAuthToken(ctx context.Context, req oapi.ExchangeOAuthTokenRequestObject) (oapi.ExchangeOAuthTokenResponseObject, error) {
	body := req.FormdataBody
	if req.JSONBody != nil {
		body = req.JSONBody
	}
	if body == nil {
		return oauthFail(http.StatusBadRequest, "invalid_request", "the body must be form-encoded or JSON"), nil
	}
	if body.GrantType == "" {
		return oauthFail(http.StatusBadRequest, "invalid_request", "grant_type is required"), nil
	}
	auth, msg := readClientAuth(headerOf(ctx), body.ClientId, body.ClientSecret)
	if msg != "" {
		return oauthFail(http.StatusBadRequest, "invalid_request", msg), nil
	}
	is, fail := h.decideGrant(auth, body)
	if is == nil {
		return fail, nil
	}
	return h.issue(ctx, is)
}

// decideGrant authenticates the client and applies the grant's rules under
// the store lock; it returns what to issue, or the error reply.
func (h *handlers) decideGrant(auth clientAuth, body *oapi.TokenRequest) (*issuance, oapi.ExchangeOAuthTokenResponseObject) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	c, fail, ok := h.store.authenticate(auth)
	if !ok {
		return nil, fail
	}
	if !c.allows(string(body.GrantType)) {
		return nil, oauthFail(http.StatusBadRequest, "unauthorized_client", "the client may not use this grant type")
	}
	switch body.GrantType {
	case oapi.ClientCredentials:
		return h.clientCredentials(c, body)
	case oapi.AuthorizationCode:
		return h.authorizationCode(c, body)
	case oapi.RefreshToken:
		return h.refreshToken(c, body)
	}
	return nil, oauthFail(http.StatusBadRequest, "unsupported_grant_type", "grant_type is not supported")
}

func (h *handlers) clientCredentials(c *clientRecord, body *oapi.TokenRequest) (*issuance, oapi.ExchangeOAuthTokenResponseObject) {
	if c.public() {
		return nil, oauthFail(http.StatusBadRequest, "unauthorized_client", "a public client cannot use client_credentials")
	}
	scopes, ok := requestedScopes(body.Scope, c.scopes)
	if !ok {
		return nil, oauthFail(http.StatusBadRequest, "invalid_scope", "the scope exceeds what the client may ask for")
	}
	return &issuance{clientID: c.id, grantID: "", sub: c.id, scopes: scopes, refresh: false}, nil
}

func (h *handlers) authorizationCode(c *clientRecord, body *oapi.TokenRequest) (*issuance, oapi.ExchangeOAuthTokenResponseObject) {
	if body.Code == nil || *body.Code == "" {
		return nil, oauthFail(http.StatusBadRequest, "invalid_request", "code is required")
	}
	now := h.cfg.clock.Now()
	key := digest(*body.Code)
	code, ok := h.store.codes[key]
	switch {
	case !ok || !now.Before(code.expires):
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the authorization code is unknown or expired")
	case code.used:
		// RFC 6749 section 4.1.2: a reused code revokes what it produced.
		h.store.revokeGrant(code.grantID)
		h.store.wrote(now)
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the authorization code has already been used")
	case code.clientID != c.id:
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the authorization code was issued to another client")
	case body.RedirectUri == nil || *body.RedirectUri != code.redirectURI:
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
	}
	if code.challenge != "" {
		if body.CodeVerifier == nil || *body.CodeVerifier == "" {
			return nil, oauthFail(http.StatusBadRequest, "invalid_request", "code_verifier is required (PKCE)")
		}
		if !validVerifierChars(*body.CodeVerifier) {
			// RFC 7636 section 4.1: 43 to 128 unreserved characters.
			return nil, oauthFail(http.StatusBadRequest, "invalid_request", "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
		}
		if !pkceMatches(code.method, code.challenge, *body.CodeVerifier) {
			return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code challenge")
		}
	} else if body.CodeVerifier != nil {
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "code_verifier sent but the authorization request had no code_challenge")
	}
	code.used = true
	g, ok := h.store.grants[code.grantID]
	if !ok {
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the grant behind the code was revoked")
	}
	used := now.UTC()
	g.lastUsed = &used
	return &issuance{clientID: c.id, grantID: g.id, sub: code.userID, scopes: code.scopes, refresh: c.allows("refresh_token"), refreshScopes: code.scopes}, nil
}

func (h *handlers) refreshToken(c *clientRecord, body *oapi.TokenRequest) (*issuance, oapi.ExchangeOAuthTokenResponseObject) {
	if body.RefreshToken == nil || *body.RefreshToken == "" {
		return nil, oauthFail(http.StatusBadRequest, "invalid_request", "refresh_token is required")
	}
	now := h.cfg.clock.Now()
	rt, ok := h.store.refresh[digest(*body.RefreshToken)]
	switch {
	case !ok || !now.Before(rt.expires):
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the refresh token is unknown, revoked or expired")
	case rt.clientID != c.id:
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the refresh token was issued to another client")
	case rt.used:
		// A rotated refresh token came back: assume theft, revoke the grant.
		h.store.revokeGrant(rt.grantID)
		h.store.wrote(now)
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the refresh token was already used; the grant is revoked")
	}
	g, ok := h.store.grants[rt.grantID]
	if !ok {
		return nil, oauthFail(http.StatusBadRequest, "invalid_grant", "the grant was revoked")
	}
	scopes := rt.scopes
	if body.Scope != nil && strings.TrimSpace(*body.Scope) != "" {
		if scopes, ok = requestedScopes(body.Scope, rt.scopes); !ok {
			return nil, oauthFail(http.StatusBadRequest, "invalid_scope", "the scope exceeds the original grant")
		}
	}
	rt.used = true
	used := now.UTC()
	g.lastUsed = &used
	// RFC 6749 section 6: the new refresh token keeps the scope of the one
	// presented, even when the access token asked for less.
	return &issuance{clientID: c.id, grantID: g.id, sub: rt.userID, scopes: scopes, refresh: true, refreshScopes: rt.scopes}, nil
}

// issuance is what a successful grant decided to issue.
type issuance struct {
	clientID, grantID, sub string
	scopes                 []string
	refresh                bool
	refreshScopes          []string // the scope of the refresh token issued
}

// issue signs an access token outside the store lock (RSA signing is the
// slow part), then records it and, when asked, a refresh token. A grant
// revoked in between is caught later: its tokens and refresh tokens are
// checked against the grant on every use.
func (h *handlers) issue(ctx context.Context, is *issuance) (oapi.ExchangeOAuthTokenResponseObject, error) {
	now := h.cfg.clock.Now()
	exp := now.Add(h.cfg.accessTTL)
	base := baseOf(ctx)
	scope := strings.Join(is.scopes, " ")
	claims := accessClaims{
		Claims: jwt.Claims{
			Issuer: base, Subject: is.sub, Audience: jwt.Audience{base}, ID: uuid.NewString(),
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(exp),
		},
		Scope: scope, ClientID: is.clientID,
	}
	signed, err := h.keys.sign(claims)
	if err != nil {
		return nil, err
	}
	resp := oapi.ExchangeOAuthToken200JSONResponse{
		AccessToken: signed, TokenType: "Bearer", ExpiresIn: int(h.cfg.accessTTL / time.Second), Scope: &scope,
	}
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	h.store.tokens[claims.ID] = &tokenRecord{clientID: is.clientID, grantID: is.grantID, expires: exp}
	if is.refresh {
		rt := randomToken("rt_", 32)
		h.store.refresh[digest(rt)] = &refreshRecord{
			clientID: is.clientID, grantID: is.grantID, userID: is.sub, scopes: slices.Clone(is.refreshScopes), expires: now.Add(h.cfg.refreshTTL),
		}
		resp.RefreshToken = &rt
	}
	h.store.wrote(now)
	return resp, nil
}

func (h *handlers) IntrospectOAuthToken(ctx context.Context, req oapi.IntrospectOAuthTokenRequestObject) (oapi.IntrospectOAuthTokenResponseObject, error) {
	body := req.FormdataBody
	if req.JSONBody != nil {
		body = req.JSONBody
	}
	if body == nil || body.Token == "" {
		return oauthFail(http.StatusBadRequest, "invalid_request", "the token parameter is missing"), nil
	}
	creds, _ := ctx.Value(keyBodyClient).(bodyClient)
	auth, msg := readClientAuth(headerOf(ctx), creds.ID, creds.Secret)
	if msg != "" {
		return oauthFail(http.StatusBadRequest, "invalid_request", msg), nil
	}
	h.store.mu.Lock()
	_, fail, ok := h.store.authenticate(auth)
	h.store.mu.Unlock()
	if !ok {
		return fail, nil
	}
	info := h.introspect(body.Token)
	if !info.active {
		return oapi.IntrospectOAuthToken200JSONResponse{Active: false}, nil
	}
	return oapi.IntrospectOAuthToken200JSONResponse{
		Active: true, Scope: &info.scope, ClientId: &info.claims.ClientID, Sub: &info.claims.Subject,
		Exp: ptr(int(info.claims.Expiry.Time().Unix())), Iat: ptr(int(info.claims.IssuedAt.Time().Unix())),
		Nbf: ptr(int(info.claims.NotBefore.Time().Unix())), Iss: &info.claims.Issuer, Aud: ptr(info.claims.Audience[0]),
		Jti: &info.claims.ID, TokenType: ptr("Bearer"),
	}, nil
}

type tokenInfo struct {
	active bool
	scope  string
	claims *accessClaims
}

// introspect reports whether token is an access token this emulator signed
// that is unexpired and whose grant and client still exist.
func (e *Emulator) introspect(token string) tokenInfo {
	claims, err := e.keys.verify(token)
	if err != nil || claims.Expiry == nil || len(claims.Audience) == 0 {
		return tokenInfo{}
	}
	now := e.cfg.clock.Now()
	if !now.Before(claims.Expiry.Time()) || (claims.NotBefore != nil && now.Before(claims.NotBefore.Time())) {
		return tokenInfo{}
	}
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	rec, ok := e.store.tokens[claims.ID]
	if !ok {
		return tokenInfo{}
	}
	if _, ok := e.store.clients[rec.clientID]; !ok {
		return tokenInfo{}
	}
	if rec.grantID != "" {
		if _, ok := e.store.grants[rec.grantID]; !ok {
			return tokenInfo{}
		}
	}
	return tokenInfo{active: true, scope: claims.Scope, claims: claims}
}
