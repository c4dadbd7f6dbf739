package emulator

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator/internal/oapi"
)

// consentPagePath is the emulator's consent screen, outside the API: the
// authorize endpoint redirects the browser here with ?consent_token=.
const consentPagePath = "/oauth/consent-page"

const opAuthorize = "AuthorizeOAuth"

// AuthorizeOAuth checks the client (404), the redirect URI (422), the
// response type and PKCE (400), then redirects to the consent page. PKCE is
// required for public clients and clients with require_pkce.
func (h *handlers) AuthorizeOAuth(ctx context.Context, req oapi.AuthorizeOAuthRequestObject) (oapi.AuthorizeOAuthResponseObject, error) {
	p := req.Params
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	c, ok := h.store.clients[p.ClientId]
	if !ok {
		return h.shapes.fail(opAuthorize, http.StatusNotFound, "", "no OAuth client with that client_id"), nil
	}
	if !slices.Contains(c.redirectURIs, p.RedirectUri) {
		return h.shapes.fail(opAuthorize, http.StatusUnprocessableEntity, "", "redirect_uri is not registered for this client"), nil
	}
	bad := func(msg string) (oapi.AuthorizeOAuthResponseObject, error) {
		return h.shapes.fail(opAuthorize, http.StatusBadRequest, "", msg), nil
	}
	if p.ResponseType != "code" {
		return bad("response_type must be code")
	}
	if !c.allows("authorization_code") {
		return redirectError(p.RedirectUri, "unauthorized_client", p.State), nil
	}
	method := ""
	if p.CodeChallengeMethod != nil {
		method = string(*p.CodeChallengeMethod)
	}
	challenge := ""
	if p.CodeChallenge != nil {
		challenge = *p.CodeChallenge
	}
	switch {
	case challenge == "" && (c.requirePKCE || c.public()):
		return bad("code_challenge is required for this client (PKCE)")
	case challenge == "" && method != "":
		return bad("code_challenge_method without code_challenge")
	case challenge != "" && method == "":
		method = "plain" // RFC 7636 section 4.3
	}
	if method != "" && method != "plain" && method != "S256" {
		return bad("code_challenge_method must be S256 or plain")
	}
	if challenge != "" && !validVerifierChars(challenge) {
		return bad("code_challenge is malformed")
	}
	scopes, ok := requestedScopes(p.Scope, c.scopes)
	if !ok {
		return redirectError(p.RedirectUri, "invalid_scope", p.State), nil
	}
	token := randomToken("ct_", 24)
	now := h.cfg.clock.Now()
	h.store.consents[digest(token)] = &consentRecord{
		clientID: c.id, redirectURI: p.RedirectUri, scopes: scopes, state: p.State,
		challenge: challenge, method: method, expires: now.Add(h.cfg.consentTTL),
	}
	h.store.wrote(now)
	loc := baseOf(ctx) + consentPagePath + "?" + url.Values{"consent_token": {token}}.Encode()
	return oapi.AuthorizeOAuth302Response{Headers: oapi.AuthorizeOAuth302ResponseHeaders{Location: &loc}}, nil
}

func redirectError(redirect, code string, state *string) oapi.AuthorizeOAuth302Response {
	q := url.Values{"error": {code}}
	if state != nil {
		q.Set("state", *state)
	}
	loc := withQuery(redirect, q)
	return oapi.AuthorizeOAuth302Response{Headers: oapi.AuthorizeOAuth302ResponseHeaders{Location: &loc}}
}

// requestedScopes resolves the scope parameter against what the client may
// ask for; no scope means all of them.
func requestedScopes(scope *string, allowed []string) ([]string, bool) {
	if scope == nil || strings.TrimSpace(*scope) == "" {
		return slices.Clone(allowed), true
	}
	var asked []string
	for _, s := range strings.Fields(*scope) {
		if !slices.Contains(allowed, s) {
			return nil, false
		}
		if !slices.Contains(asked, s) { // a scope named twice is granted once
			asked = append(asked, s)
		}
	}
	return asked, true
}

func withQuery(raw string, add url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k, v := range add {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// GetOAuthConsentToken shows what a pending consent asks for.
func (h *handlers) GetOAuthConsentToken(_ context.Context, req oapi.GetOAuthConsentTokenRequestObject) (oapi.GetOAuthConsentTokenResponseObject, error) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	cr, c := h.pendingConsent(req.ConsentToken)
	if cr == nil {
		return h.shapes.fail("GetOAuthConsentToken", http.StatusUnprocessableEntity, "invalid_consent_token", "the consent token is unknown, used or expired"), nil
	}
	d := consentDetails(cr, c)
	return oapi.GetOAuthConsentToken200JSONResponse{Data: &d}, nil
}

// pendingConsent finds an unexpired consent and its client (lock held).
func (e *Emulator) pendingConsent(token string) (*consentRecord, *clientRecord) {
	cr, ok := e.store.consents[digest(token)]
	if !ok || !e.cfg.clock.Now().Before(cr.expires) {
		return nil, nil
	}
	c, ok := e.store.clients[cr.clientID]
	if !ok {
		return nil, nil
	}
	return cr, c
}

func consentDetails(cr *consentRecord, c *clientRecord) oapi.ConsentDetails {
	scopes := make([]oapi.RequestedScope, len(cr.scopes))
	for i, s := range cr.scopes {
		scopes[i] = oapi.RequestedScope{Id: ptr(s), Name: ptr(s), Description: ptr(scopeDescription(s))}
	}
	return oapi.ConsentDetails{
		ClientId: ptr(c.id), Name: ptr(c.name), LogoUri: c.logoURI, TosUri: c.tosURI, PolicyUri: c.policyURI,
		RedirectUri: ptr(cr.redirectURI), Verified: ptr(false), RequestedScopes: &scopes,
	}
}

func scopeDescription(s string) string {
	if s == "admin" {
		return "Full access to the account's resources"
	}
	return "Access to " + s
}

// CreateOAuthGrant records the user's answer to a consent request and
// returns where the browser goes next.
func (h *handlers) CreateOAuthGrant(_ context.Context, req oapi.CreateOAuthGrantRequestObject) (oapi.CreateOAuthGrantResponseObject, error) {
	if req.Body == nil {
		return h.shapes.fail("CreateOAuthGrant", http.StatusUnprocessableEntity, "invalid_request", "a JSON body is required"), nil
	}
	redirect, ok := h.decide(req.Body.ConsentToken, req.Body.Allowed)
	if !ok {
		return h.shapes.fail("CreateOAuthGrant", http.StatusUnprocessableEntity, "invalid_consent_token", "the consent token is unknown, used or expired"), nil
	}
	return oapi.CreateOAuthGrant200JSONResponse{RedirectUri: redirect}, nil
}

// decide consumes a consent token. On approval it creates a grant and an
// authorization code; it returns the client's redirect URI with code and
// state, or with error=access_denied.
func (e *Emulator) decide(token string, allowed bool) (string, bool) {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	cr, c := e.pendingConsent(token)
	if cr == nil {
		return "", false
	}
	delete(e.store.consents, digest(token))
	q := url.Values{}
	if cr.state != nil {
		q.Set("state", *cr.state)
	}
	now := e.cfg.clock.Now()
	if !allowed {
		q.Set("error", "access_denied")
		e.store.wrote(now)
		return withQuery(cr.redirectURI, q), true
	}
	g := &grantRecord{id: uuid.NewString(), clientID: c.id, userID: e.userID, scopes: cr.scopes, created: now.UTC()}
	e.store.grants[g.id] = g
	e.store.gorder = append(e.store.gorder, g.id)
	code := randomToken("ac_", 24)
	e.store.codes[digest(code)] = &codeRecord{
		clientID: c.id, redirectURI: cr.redirectURI, grantID: g.id, userID: e.userID, scopes: cr.scopes,
		challenge: cr.challenge, method: cr.method, expires: now.Add(e.cfg.codeTTL),
	}
	e.store.wrote(now)
	q.Set("code", code)
	return withQuery(cr.redirectURI, q), true
}

// pkceMatches checks a code verifier against the stored challenge.
func pkceMatches(method, challenge, verifier string) bool {
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		verifier = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) == 1
}

// validVerifierChars reports whether s is 43..128 unreserved characters
// (RFC 7636 section 4.1).
func validVerifierChars(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
			return false
		}
	}
	return true
}

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Authorize {{.Name}}</title></head>
<body>
<h1>{{.Name}} wants access to your Telnyx account</h1>
<ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<p>You will be sent back to {{.Redirect}}.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="consent_token" value="{{.Token}}">
<button type="submit" name="allowed" value="true">Allow</button>
<button type="submit" name="allowed" value="false">Deny</button>
</form>
</body></html>
`))

// consentPage serves the consent screen (GET) and takes its answer (POST),
// standing in for the Telnyx portal a user would be logged into.
func (e *Emulator) consentPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet:
		token := r.URL.Query().Get("consent_token")
		e.store.mu.Lock()
		cr, c := e.pendingConsent(token)
		var data map[string]any
		if cr != nil {
			data = map[string]any{"Name": c.name, "Scopes": cr.scopes, "Redirect": cr.redirectURI, "Action": consentPagePath, "Token": token}
		}
		e.store.mu.Unlock()
		if data == nil {
			writeHTML(w, http.StatusBadRequest, htmlPage("Consent expired", "the consent request is unknown, used or expired"))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = consentTmpl.Execute(w, data)
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			writeHTML(w, http.StatusBadRequest, htmlPage("Bad request", "the form could not be read"))
			return
		}
		redirect, ok := e.decide(r.PostForm.Get("consent_token"), r.PostForm.Get("allowed") == "true")
		if !ok {
			writeHTML(w, http.StatusBadRequest, htmlPage("Consent expired", "the consent request is unknown, used or expired"))
			return
		}
		http.Redirect(w, r, redirect, http.StatusFound)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeHTML(w, http.StatusMethodNotAllowed, htmlPage("Method not allowed", "use GET or POST"))
	}
}

func htmlPage(title, msg string) string {
	return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + template.HTMLEscapeString(title) +
		"</title></head><body><h1>" + template.HTMLEscapeString(title) + "</h1><p>" + template.HTMLEscapeString(msg) + "</p></body></html>"
}

func writeHTML(w http.ResponseWriter, status int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(page))
}
