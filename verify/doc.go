// Package verify decides whether to trust an OAuth 2.0 access token: a JWT
// checked against the authorization server's JWKS, or an opaque token
// checked at its introspection endpoint. It also guards net/http handlers.
//
// # Verifying
//
// A [Verifier] built by [New] checks, for a JWT: the "alg" header against
// an allow-list (RS256 by default; "none" and HMAC algorithms can never be
// allowed) before any key is looked up; the key named by "kid", its "use"
// (sig) and "alg" when present; the signature, with go-jose; then "iss",
// "aud" (a string or an array), "exp" (required), "nbf" and "iat", with a
// leeway ([WithLeeway]). [Verifier.Verify] returns the [Claims]: Subject,
// ClientID, Scope with Scopes and HasScope, JWTID, the times and Raw.
//
// # Keys
//
// A [KeySet] caches the JWKS: for the Cache-Control max-age of the answer,
// clamped to [WithCacheTTL]'s bounds; an unknown kid triggers a refetch at
// most once per [WithRefetchInterval]; a failing endpoint leaves the last
// good keys in use; fetches are single-flight. Build one with [NewKeySet]
// to share it, or let [New] build one from [WithJWKSURL].
//
// # Introspection
//
// [WithIntrospection] sends opaque tokens ([IntrospectOpaque]) or every
// token ([IntrospectAlways], which sees revocation) to an [Introspector],
// such as [NewHTTPIntrospector] for Telnyx's POST /v2/oauth/introspect,
// or [NewWrapperIntrospector], which asks through a [wrapper.Client] with
// client credentials (its retries, auth style and logging apply).
// Active answers are cached briefly ([WithIntrospectionCache]) under the
// SHA-256 of the token, never the token; inactive answers are not cached.
//
// # Discovery
//
// The verifier is built from discovered metadata like this:
//
//	md, err := dc.AuthorizationServer(ctx, "https://api.telnyx.com")
//	// ...
//	v, err := verify.New(
//		verify.WithIssuer(md.Issuer),
//		verify.WithAudience("https://api.telnyx.com"), // this resource
//		verify.WithJWKSURL(md.JWKSURI),
//	)
//
// where dc is a [discovery.Client]. Add WithIntrospection with an
// introspector for md.IntrospectionEndpoint to accept opaque tokens.
//
// # Middleware
//
// [Verifier.Middleware] (or [NewGuard]) wraps a handler: no bearer token
// gives 401 with "WWW-Authenticate: Bearer" carrying realm and
// resource_metadata (RFC 9728 section 5.1) but no error code; a malformed
// Authorization header 400 error="invalid_request"; a refused token 401
// error="invalid_token"; a missing scope 403 error="insufficient_scope" with
// scope; a token that cannot be checked (keys or introspection unreachable)
// 503 with Retry-After. Verified claims reach the handler through
// [ClaimsFromContext].
//
// # Errors
//
// Refusals wrap [ErrMalformed], [ErrDisallowedAlgorithm], [ErrUnknownKey],
// [ErrBadSignature], [ErrExpired], [ErrNotYetValid], [ErrWrongIssuer],
// [ErrWrongAudience] or [ErrInactive]; test them with [errors.Is]. Other
// errors mean the token could not be checked (keys or introspection
// unreachable). No error string or log line holds a token.
package verify
