package verify

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"
)

// Claims are the verified claims of an access token, from its JWT payload
// or from the introspection answer.
type Claims struct {
	// Issuer is the "iss" claim.
	Issuer string
	// Subject is the "sub" claim: the user or client the token acts for.
	Subject string
	// Audience is the "aud" claim, one string or several.
	Audience []string
	// Expiry, NotBefore and IssuedAt are "exp", "nbf" and "iat"; the zero
	// time when absent.
	Expiry, NotBefore, IssuedAt time.Time
	// JWTID is the "jti" claim.
	JWTID string
	// ClientID is the "client_id" claim: the OAuth client the token was
	// issued to.
	ClientID string
	// Scope is the space-separated "scope" claim.
	Scope string
	// Introspected reports that the claims came from the introspection
	// endpoint rather than from a JWT.
	Introspected bool
	// Raw holds every claim as decoded from JSON (numbers are float64).
	Raw map[string]any
}

// Scopes returns the scope claim split on spaces.
func (c *Claims) Scopes() []string { return strings.Fields(c.Scope) }

// HasScope reports whether scope is one of the token's scopes.
func (c *Claims) HasScope(scope string) bool {
	if scope == "" {
		return false
	}
	for s := range strings.FieldsSeq(c.Scope) {
		if s == scope {
			return true
		}
	}
	return false
}

// RequireScopes returns an error wrapping [ErrInsufficientScope], naming
// the first missing scope, unless the token holds every one of scopes.
func (c *Claims) RequireScopes(scopes ...string) error {
	for _, s := range scopes {
		if !c.HasScope(s) {
			return errorf(ErrInsufficientScope, "missing scope %q", s)
		}
	}
	return nil
}

// HasAudience reports whether aud is one of the token's audiences.
func (c *Claims) HasAudience(aud string) bool { return slices.Contains(c.Audience, aud) }

type claimsKey struct{}

// ContextWithClaims returns a copy of ctx carrying c, as the middleware
// does for the handler it guards.
func ContextWithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the claims the middleware put in ctx.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}

// parseClaims decodes a JWT payload once, into Raw, and reads the
// registered claims from it.
func parseClaims(payload []byte) (*Claims, error) {
	c := &Claims{}
	if err := json.Unmarshal(payload, &c.Raw); err != nil || c.Raw == nil {
		return nil, errorf(ErrMalformed, "claims are not a JSON object")
	}
	var ok bool
	if c.Issuer, ok = stringClaim(c.Raw, "iss"); !ok {
		return nil, errorf(ErrMalformed, "iss is not a string")
	}
	if c.Subject, ok = stringClaim(c.Raw, "sub"); !ok {
		return nil, errorf(ErrMalformed, "sub is not a string")
	}
	if c.JWTID, ok = stringClaim(c.Raw, "jti"); !ok {
		return nil, errorf(ErrMalformed, "jti is not a string")
	}
	if c.ClientID, ok = stringClaim(c.Raw, "client_id"); !ok {
		return nil, errorf(ErrMalformed, "client_id is not a string")
	}
	if c.Scope, ok = scopeClaim(c.Raw); !ok {
		return nil, errorf(ErrMalformed, "scope is not a string")
	}
	if c.Audience, ok = audienceClaim(c.Raw["aud"]); !ok {
		return nil, errorf(ErrMalformed, "aud is not a string or an array of strings")
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"exp", &c.Expiry}, {"nbf", &c.NotBefore}, {"iat", &c.IssuedAt}} {
		if *d.dst, ok = timeClaim(c.Raw, d.name); !ok {
			return nil, errorf(ErrMalformed, "%s is not a NumericDate", d.name)
		}
	}
	return c, nil
}

func stringClaim(m map[string]any, name string) (string, bool) {
	v, present := m[name]
	if !present || v == nil {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

// scopeClaim reads "scope" (RFC 8693/9068), or the "scp" array some issuers
// use instead.
func scopeClaim(m map[string]any) (string, bool) {
	if _, ok := m["scope"]; ok {
		return stringClaim(m, "scope")
	}
	arr, ok := m["scp"].([]any)
	if !ok {
		return "", true
	}
	parts := make([]string, 0, len(arr))
	for _, v := range arr {
		s, ok := v.(string)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " "), true
}

func audienceClaim(v any) ([]string, bool) {
	switch a := v.(type) {
	case nil:
		return nil, true
	case string:
		return []string{a}, true
	case []any:
		out := make([]string, 0, len(a))
		for _, e := range a {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

func timeClaim(m map[string]any, name string) (time.Time, bool) {
	v, present := m[name]
	if !present || v == nil {
		return time.Time{}, true
	}
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1<<40 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}
