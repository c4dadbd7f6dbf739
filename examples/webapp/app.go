package main

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// Cookie names.
const (
	stateCookie   = "oauth_state" // the sign-in in progress
	sessionCookie = "sid"         // the signed-in session
)

// pendingTTL bounds how long a sign-in may take.
const pendingTTL = 10 * time.Minute

// webApp signs users in with the authorization-code flow and PKCE. The
// state and PKCE verifier of each sign-in stay on the server, keyed by the
// state the browser carries in a cookie.
type webApp struct {
	api         *wrapper.Client // holds the app's client credentials
	clientID    string
	redirectURI string

	mu       sync.Mutex
	pending  map[string]pendingSignIn // by state
	sessions map[string]*user         // by session id
}

type pendingSignIn struct {
	sess    *wrapper.AuthCodeSession
	started time.Time
}

// user is a signed-in session. The token stays on the server.
type user struct {
	subject string
	scope   string
	token   *oauth2.Token
}

func newWebApp(api *wrapper.Client, clientID, redirectURI string) *webApp {
	return &webApp{api: api, clientID: clientID, redirectURI: redirectURI,
		pending: map[string]pendingSignIn{}, sessions: map[string]*user{}}
}

// Handler routes GET /, /login and /callback.
func (a *webApp) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("GET /callback", a.callback)
	return mux
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Example app</title></head><body>
{{if .}}<p>Signed in as {{.Subject}} with scope "{{.Scope}}"; the session's token is valid until {{.Expiry}}.</p>
{{else}}<p>You are not signed in. <a href="/login">Sign in with Telnyx</a></p>{{end}}
</body></html>
`))

func (a *webApp) home(w http.ResponseWriter, r *http.Request) {
	var data any
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.mu.Lock()
		u := a.sessions[c.Value]
		a.mu.Unlock()
		if u != nil {
			data = map[string]string{"Subject": u.subject, "Scope": u.scope, "Expiry": u.token.Expiry.UTC().Format(time.RFC3339)}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = homePage.Execute(w, data)
}

// login starts a sign-in: a fresh state and PKCE verifier, the state in a
// cookie, and a redirect to the authorization endpoint.
func (a *webApp) login(w http.ResponseWriter, r *http.Request) {
	sess, err := a.api.OAuth.NewAuthCodeSession(wrapper.AuthCodeConfig{ClientID: a.clientID, RedirectURI: a.redirectURI, Scope: "admin"})
	if err != nil {
		http.Error(w, "cannot start sign-in", http.StatusInternalServerError)
		return
	}
	now := time.Now()
	a.mu.Lock()
	for k, p := range a.pending {
		if now.Sub(p.started) > pendingTTL {
			delete(a.pending, k)
		}
	}
	a.pending[sess.State] = pendingSignIn{sess: sess, started: now}
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: sess.State, Path: "/", MaxAge: int(pendingTTL.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, sess.AuthorizeURL(), http.StatusFound)
}

// callback finishes a sign-in: it checks the state against the cookie's
// session, exchanges the code with the verifier, and opens a session.
func (a *webApp) callback(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(stateCookie)
	if err != nil {
		http.Error(w, "no sign-in in progress", http.StatusBadRequest)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: "/", MaxAge: -1})
	a.mu.Lock()
	p, ok := a.pending[c.Value]
	delete(a.pending, c.Value)
	a.mu.Unlock()
	if !ok {
		http.Error(w, "sign-in expired; start again", http.StatusBadRequest)
		return
	}
	code, err := p.sess.Callback(r.URL.Query())
	switch {
	case errors.Is(err, wrapper.ErrAccessDenied):
		http.Error(w, "you declined to sign in", http.StatusForbidden)
		return
	case err != nil:
		http.Error(w, "sign-in failed: "+err.Error(), http.StatusBadRequest)
		return
	}
	tok, err := p.sess.Exchange(r.Context(), code)
	if err != nil {
		http.Error(w, "sign-in failed at the token endpoint", http.StatusBadGateway)
		return
	}
	u, err := a.identify(r, tok)
	if err != nil {
		http.Error(w, "sign-in failed: "+err.Error(), http.StatusBadGateway)
		return
	}
	sid := rand32()
	a.mu.Lock()
	a.sessions[sid] = u
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusFound)
}

// identify asks the introspection endpoint who the token belongs to.
func (a *webApp) identify(r *http.Request, tok *oauth2.Token) (*user, error) {
	in, err := a.api.OAuth.Introspect(r.Context(), tok.AccessToken)
	if err != nil {
		return nil, err
	}
	if !in.Active || in.Sub == nil {
		return nil, fmt.Errorf("the new token is not active")
	}
	u := &user{subject: *in.Sub, token: tok}
	if in.Scope != nil {
		u.scope = *in.Scope
	}
	return u, nil
}
