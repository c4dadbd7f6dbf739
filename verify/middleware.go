package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
)

// GuardOption configures a [Guard].
type GuardOption func(*Guard) error

// Guard is net/http middleware that lets through only requests with a
// valid bearer token (RFC 6750 section 2.1) holding the required scopes.
type Guard struct {
	v                *Verifier
	realm            string
	resourceMetadata string
	scopes           []string
	logger           *slog.Logger
}

// WithRealm sets the realm in WWW-Authenticate challenges.
func WithRealm(realm string) GuardOption {
	return func(g *Guard) error {
		if !validQuoted(realm) {
			return errors.New("verify: realm holds a quote, a backslash or a control character")
		}
		g.realm = realm
		return nil
	}
}

// WithResourceMetadata sets the URL of the protected resource's metadata
// (RFC 9728), sent as resource_metadata in every challenge. By default it
// is derived from the verifier's first audience when that is an http(s)
// URL: the resource identifier with /.well-known/oauth-protected-resource
// inserted (RFC 9728 section 3.1).
func WithResourceMetadata(u string) GuardOption {
	return func(g *Guard) error {
		if err := checkURL(u); err != nil || !validQuoted(u) {
			return fmt.Errorf("verify: resource metadata URL: %v", err)
		}
		g.resourceMetadata = u
		return nil
	}
}

// WithRequiredScopes makes the guard answer 403 insufficient_scope unless
// the token holds every one of scopes.
func WithRequiredScopes(scopes ...string) GuardOption {
	return func(g *Guard) error {
		for _, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \"\\") || !validQuoted(s) {
				return fmt.Errorf("verify: invalid scope %q", s)
			}
		}
		g.scopes = append(g.scopes, scopes...)
		return nil
	}
}

// WithGuardLogger logs refusals (reason only, never the token) and
// verification failures at the given logger. The default discards.
func WithGuardLogger(l *slog.Logger) GuardOption {
	return func(g *Guard) error {
		if l == nil {
			return errors.New("verify: nil logger")
		}
		g.logger = l
		return nil
	}
}

// NewGuard returns middleware that verifies bearer tokens with v.
func NewGuard(v *Verifier, opts ...GuardOption) (*Guard, error) {
	if v == nil {
		return nil, errors.New("verify: nil verifier")
	}
	g := &Guard{v: v, logger: slog.New(slog.DiscardHandler)}
	if len(v.audiences) > 0 {
		if u, err := discovery.ProtectedResourceMetadataURL(v.audiences[0]); err == nil && validQuoted(u) {
			g.resourceMetadata = u
		}
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("verify: nil guard option")
		}
		if err := o(g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Middleware returns a [Guard]'s Wrap as a middleware function. It panics
// on an invalid option, like [regexp.MustCompile]; use [NewGuard] to get
// the error instead.
func (v *Verifier) Middleware(opts ...GuardOption) func(http.Handler) http.Handler {
	g, err := NewGuard(v, opts...)
	if err != nil {
		panic(err)
	}
	return g.Wrap
}

// Wrap returns a handler that serves next only for requests with a valid
// token and the required scopes, with the claims in the request context
// ([ClaimsFromContext]). It answers:
//   - 401 with "WWW-Authenticate: Bearer" (realm, resource_metadata) and no
//     error code when the request has no bearer token;
//   - 400 invalid_request for an Authorization header "Bearer" without a
//     usable token;
//   - 401 invalid_token when the token is refused;
//   - 403 insufficient_scope, naming the required scopes;
//   - 503 when the token cannot be checked (keys or introspection
//     unreachable).
func (g *Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, present, ok := bearerToken(r.Header)
		switch {
		case !present:
			g.challenge(w, http.StatusUnauthorized, "", "")
			return
		case !ok:
			g.challenge(w, http.StatusBadRequest, "invalid_request", "the Authorization header is malformed")
			return
		}
		c, err := g.v.Verify(r.Context(), token)
		if err != nil {
			g.refuse(w, r, err)
			return
		}
		if err := c.RequireScopes(g.scopes...); err != nil {
			g.logger.LogAttrs(r.Context(), slog.LevelInfo, "verify: token refused", slog.String("error", err.Error()))
			g.challenge(w, http.StatusForbidden, "insufficient_scope", "the token lacks a required scope")
			return
		}
		next.ServeHTTP(w, r.WithContext(ContextWithClaims(r.Context(), c)))
	})
}

func (g *Guard) refuse(w http.ResponseWriter, r *http.Request, err error) {
	desc, isToken := describe(err)
	if !isToken {
		g.logger.LogAttrs(r.Context(), slog.LevelError, "verify: cannot check token", slog.String("error", err.Error()))
		w.Header().Set("Retry-After", "5")
		http.Error(w, "token verification unavailable", http.StatusServiceUnavailable)
		return
	}
	g.logger.LogAttrs(r.Context(), slog.LevelInfo, "verify: token refused", slog.String("error", err.Error()))
	g.challenge(w, http.StatusUnauthorized, "invalid_token", desc)
}

// challenge writes the status with an RFC 6750 section 3 WWW-Authenticate
// header and, for an error, a small JSON body with the same fields.
func (g *Guard) challenge(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("WWW-Authenticate", g.header(code, desc))
	if code == "" {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (g *Guard) header(code, desc string) string {
	var params []string
	add := func(k, v string) { params = append(params, k+`="`+v+`"`) }
	if g.realm != "" {
		add("realm", g.realm)
	}
	if code != "" {
		add("error", code)
		add("error_description", desc)
	}
	if code == "insufficient_scope" {
		add("scope", strings.Join(g.scopes, " "))
	}
	if g.resourceMetadata != "" {
		add("resource_metadata", g.resourceMetadata)
	}
	if len(params) == 0 {
		return "Bearer"
	}
	return "Bearer " + strings.Join(params, ", ")
}

// bearerToken reads "Authorization: Bearer <token>". present is false when
// there is no bearer credential at all; ok is false when it is malformed.
func bearerToken(h http.Header) (token string, present, ok bool) {
	vals := h.Values("Authorization")
	if len(vals) == 0 {
		return "", false, false
	}
	scheme, rest, _ := strings.Cut(vals[0], " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false, false
	}
	if len(vals) > 1 {
		return "", true, false
	}
	token = strings.TrimSpace(rest)
	if token == "" || strings.ContainsAny(token, " \t,") {
		return "", true, false
	}
	return token, true, true
}

// validQuoted reports whether s can go in a quoted-string unescaped.
func validQuoted(s string) bool {
	for _, r := range s {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
