package verify

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Verifier checks access tokens: JWTs against a JWKS and the configured
// issuer, audience and algorithms; opaque tokens (and, optionally, every
// token) at an introspection endpoint. It is safe for concurrent use.
type Verifier struct {
	issuer    string
	audiences []string
	algs      []string
	joseAlgs  []jose.SignatureAlgorithm
	leeway    time.Duration
	now       func() time.Time
	keys      *KeySet
	intro     Introspector
	introMode IntrospectionMode
	cache     *introCache
}

// New returns a verifier. JWT verification needs a key source
// ([WithJWKSURL] or [WithKeySet]) together with [WithIssuer] and
// [WithAudience]; a verifier with only [WithIntrospection] accepts opaque
// and JWT tokens alike by asking the introspection endpoint.
func New(opts ...Option) (*Verifier, error) {
	cfg := verifierConfig{
		algs:     []string{"RS256"},
		leeway:   DefaultLeeway,
		introTTL: DefaultIntrospectTTL,
		introMax: DefaultIntrospectMax,
		keySet:   defaultKeySetConfig(),
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("verify: nil option")
		}
		if err := o.applyVerifier(&cfg); err != nil {
			return nil, err
		}
	}
	keys, err := cfg.keySource()
	if err != nil {
		return nil, err
	}
	if keys == nil && cfg.intro == nil {
		return nil, errors.New("verify: no key source (WithJWKSURL or WithKeySet) and no introspection")
	}
	if keys != nil && (cfg.issuer == "" || len(cfg.audiences) == 0) {
		return nil, errors.New("verify: verifying JWTs needs WithIssuer and WithAudience")
	}
	v := &Verifier{
		issuer: cfg.issuer, audiences: cfg.audiences, algs: cfg.algs,
		leeway: cfg.leeway, now: cfg.keySet.now, keys: keys,
		intro: cfg.intro, introMode: cfg.introMode,
	}
	for _, a := range cfg.algs {
		v.joseAlgs = append(v.joseAlgs, jose.SignatureAlgorithm(a))
	}
	if cfg.intro != nil && cfg.introTTL > 0 {
		v.cache = newIntroCache(cfg.introTTL, cfg.introMax)
	}
	return v, nil
}

func (c *verifierConfig) keySource() (*KeySet, error) {
	switch {
	case c.jwksURL != "" && c.keys != nil:
		return nil, errors.New("verify: both WithJWKSURL and WithKeySet given")
	case c.keys != nil && c.keySetOpts > 0:
		return nil, errors.New("verify: key set options given with WithKeySet; configure the KeySet instead")
	case c.keys != nil:
		return c.keys, nil
	case c.jwksURL != "":
		if err := c.keySet.check(); err != nil {
			return nil, err
		}
		return &KeySet{url: c.jwksURL, cfg: c.keySet}, nil
	}
	return nil, nil
}

// MaxTokenSize is the longest token [Verifier.Verify] looks at. Access
// tokens are a few kilobytes at most; a longer one is refused as
// [ErrMalformed] before it is parsed or sent for introspection, so that an
// oversized Authorization header costs neither CPU nor a network call.
const MaxTokenSize = 16 << 10

// Verify checks token and returns its claims. Errors wrap one of the
// package's sentinels (test with [errors.Is]) when the token is refused, or
// describe why it could not be checked (keys or introspection
// unreachable); they never contain the token.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	if token == "" {
		return nil, errorf(ErrMalformed, "empty token")
	}
	if len(token) > MaxTokenSize {
		return nil, errorf(ErrMalformed, "token longer than %d bytes", MaxTokenSize)
	}
	if v.keys == nil || !looksLikeJWT(token) {
		if v.intro == nil {
			return nil, errorf(ErrMalformed, "not a JWT")
		}
		return v.introspect(ctx, token)
	}
	c, err := v.verifyJWT(ctx, token)
	if err != nil {
		return nil, err
	}
	if v.introMode == IntrospectAlways {
		if _, err := v.introspect(ctx, token); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (v *Verifier) verifyJWT(ctx context.Context, token string) (*Claims, error) {
	jws, err := jose.ParseSignedCompact(token, v.joseAlgs)
	if err != nil {
		return nil, v.parseError(token, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errorf(ErrMalformed, "%d signatures", len(jws.Signatures))
	}
	h := jws.Signatures[0].Header
	if !slices.Contains(v.algs, h.Algorithm) {
		return nil, errorf(ErrDisallowedAlgorithm, "alg %q", h.Algorithm)
	}
	keys, err := v.keys.lookup(ctx, h.KeyID)
	if err != nil {
		return nil, err
	}
	payload, err := verifyWith(jws, h, keys)
	if err != nil {
		return nil, err
	}
	c, err := parseClaims(payload)
	if err != nil {
		return nil, err
	}
	if err := v.checkClaims(c); err != nil {
		return nil, err
	}
	return c, nil
}

// verifyWith tries the candidate keys: the one named by kid, or all keys
// for a token without kid. A key whose use or alg rules it out is skipped.
func verifyWith(jws *jose.JSONWebSignature, h jose.Header, keys []*publicKey) ([]byte, error) {
	var reason error
	tried := false
	for _, k := range keys {
		if err := k.usableFor(h.Algorithm); err != nil {
			reason = err
			continue
		}
		tried = true
		if payload, err := jws.Verify(k.key); err == nil {
			return payload, nil
		}
	}
	switch {
	case tried:
		return nil, errorf(ErrBadSignature, "kid %q", h.KeyID)
	case reason != nil:
		return nil, reason
	}
	return nil, errorf(ErrUnknownKey, "no key for alg %q", h.Algorithm)
}

// usableFor checks the key's "use" and "alg" members and its type against
// the token's algorithm.
func (k *publicKey) usableFor(alg string) error {
	if k.use != "" && k.use != "sig" {
		return errorf(ErrUnknownKey, "key %q has use %q, not sig", k.kid, k.use)
	}
	if k.alg != "" && k.alg != alg {
		return errorf(ErrUnknownKey, "key %q is for alg %q, token uses %q", k.kid, k.alg, alg)
	}
	var fits bool
	switch k.key.(type) {
	case *rsa.PublicKey:
		fits = alg[0] == 'R' || alg[0] == 'P'
	case *ecdsa.PublicKey:
		fits = alg[0] == 'E' && alg != "EdDSA"
	case ed25519.PublicKey:
		fits = alg == "EdDSA"
	}
	if !fits {
		return errorf(ErrUnknownKey, "key %q cannot verify alg %q", k.kid, alg)
	}
	return nil
}

func (v *Verifier) checkClaims(c *Claims) error {
	now := v.now()
	if c.Issuer != v.issuer {
		return errorf(ErrWrongIssuer, "iss %q", c.Issuer)
	}
	if !slices.ContainsFunc(c.Audience, func(a string) bool { return slices.Contains(v.audiences, a) }) {
		return errorf(ErrWrongAudience, "aud %q", c.Audience)
	}
	if c.Expiry.IsZero() {
		return errorf(ErrMalformed, "no exp claim")
	}
	return v.checkTimes(c, now)
}

func (v *Verifier) checkTimes(c *Claims, now time.Time) error {
	if !c.Expiry.IsZero() && !now.Before(c.Expiry.Add(v.leeway)) {
		return errorf(ErrExpired, "expired at %s", c.Expiry.UTC().Format(time.RFC3339))
	}
	if !c.NotBefore.IsZero() && now.Add(v.leeway).Before(c.NotBefore) {
		return errorf(ErrNotYetValid, "not before %s", c.NotBefore.UTC().Format(time.RFC3339))
	}
	if !c.IssuedAt.IsZero() && now.Add(v.leeway).Before(c.IssuedAt) {
		return errorf(ErrNotYetValid, "issued in the future, at %s", c.IssuedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// parseError classifies a go-jose parse failure: a header naming an
// algorithm outside the allow-list (such as "none" or HS256) is
// ErrDisallowedAlgorithm, anything else ErrMalformed.
func (v *Verifier) parseError(token string, err error) error {
	seg, _, _ := strings.Cut(token, ".")
	raw, decErr := base64.RawURLEncoding.DecodeString(seg)
	var h struct {
		Alg string `json:"alg"`
	}
	if decErr == nil && json.Unmarshal(raw, &h) == nil && !slices.Contains(v.algs, h.Alg) {
		return errorf(ErrDisallowedAlgorithm, "alg %q", h.Alg)
	}
	return fmt.Errorf("%w: %s", ErrMalformed, strings.TrimPrefix(err.Error(), "go-jose/go-jose: "))
}

// looksLikeJWT reports whether token has the shape of a compact JWS: three
// dot-separated parts, the first a base64url JSON object. Anything else is
// an opaque token.
func looksLikeJWT(token string) bool {
	if strings.Count(token, ".") != 2 {
		return false
	}
	seg, _, _ := strings.Cut(token, ".")
	if len(seg) < 2 || len(seg) > 4096 {
		return false
	}
	var src [4]byte
	var dst [3]byte
	n := copy(src[:], seg)
	if n < 4 {
		n = 2 // a one-byte header "{" cannot be a JWS header anyway
	}
	if _, err := base64.RawURLEncoding.Decode(dst[:], src[:n]); err != nil {
		return false
	}
	buf := dst
	return buf[0] == '{'
}
