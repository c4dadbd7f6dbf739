package verify

import (
	"errors"
	"fmt"
)

// Sentinel errors returned (wrapped) by [Verifier.Verify]. Test for them with
// [errors.Is]; the wrapping error adds detail but never the token itself.
var (
	// ErrMalformed reports a token that is not a well-formed compact JWS or
	// whose claims cannot be decoded.
	ErrMalformed = errors.New("verify: malformed token")
	// ErrDisallowedAlgorithm reports a token whose "alg" header is not in the
	// allow-list (including "none" and every HMAC algorithm).
	ErrDisallowedAlgorithm = errors.New("verify: disallowed signing algorithm")
	// ErrUnknownKey reports a token whose key is not in the key set, even
	// after a refetch, or whose key may not be used for this token.
	ErrUnknownKey = errors.New("verify: unknown signing key")
	// ErrBadSignature reports a signature that does not verify with the key.
	ErrBadSignature = errors.New("verify: bad signature")
	// ErrExpired reports a token past its "exp" (plus leeway).
	ErrExpired = errors.New("verify: token expired")
	// ErrNotYetValid reports a token before its "nbf", or issued ("iat") in
	// the future, beyond the leeway.
	ErrNotYetValid = errors.New("verify: token not yet valid")
	// ErrWrongIssuer reports an "iss" other than the configured issuer.
	ErrWrongIssuer = errors.New("verify: wrong issuer")
	// ErrWrongAudience reports an "aud" without any configured audience.
	ErrWrongAudience = errors.New("verify: wrong audience")
	// ErrInactive reports a token the introspection endpoint calls inactive
	// (revoked, expired or unknown to the authorization server).
	ErrInactive = errors.New("verify: token inactive")
	// ErrInsufficientScope reports a valid token that lacks a scope the
	// guarded handler requires.
	ErrInsufficientScope = errors.New("verify: insufficient scope")
)

// tokenErrors are the sentinels that describe the token (answered with 401)
// rather than the verifier's ability to check it (answered with 503).
var tokenErrors = []struct {
	err  error
	desc string
}{
	{ErrMalformed, "the token is malformed"},
	{ErrDisallowedAlgorithm, "the token is signed with a disallowed algorithm"},
	{ErrUnknownKey, "the token is signed with an unknown key"},
	{ErrBadSignature, "the token signature is invalid"},
	{ErrExpired, "the token has expired"},
	{ErrNotYetValid, "the token is not yet valid"},
	{ErrWrongIssuer, "the token has the wrong issuer"},
	{ErrWrongAudience, "the token is not for this resource"},
	{ErrInactive, "the token is not active"},
}

// describe returns a fixed, token-free description of err when it is a
// token error, and false otherwise.
func describe(err error) (string, bool) {
	for _, te := range tokenErrors {
		if errors.Is(err, te.err) {
			return te.desc, true
		}
	}
	return "", false
}

// errorf wraps a sentinel with detail. The detail must never hold the token.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
