// Package discovery finds an OAuth 2.0 authorization server and what it
// supports, from its issuer identifier or from a protected resource.
//
// # Metadata
//
// [Client.AuthorizationServer] fetches RFC 8414 metadata from
// /.well-known/oauth-authorization-server (inserted before any path of the
// issuer, RFC 8414 section 3.1) and refuses a document whose issuer is not
// exactly the issuer asked for. The result, an [AuthorizationServer], holds
// the endpoints (authorization, token, JWKS, registration, introspection)
// and answers SupportsPKCE, SupportsGrantType and SupportsAuthMethod with
// the RFC 8414 defaults for absent lists.
//
// [Client.ProtectedResource] fetches RFC 9728 metadata from
// /.well-known/oauth-protected-resource and refuses a document whose
// resource is not exactly the resource asked for.
// [Client.ProtectedResourceAt] does the same from an explicit metadata URL,
// such as the resource_metadata of a 401 answer.
//
// For Telnyx, the issuer and the resource are the host root,
// https://api.telnyx.com; both documents live there, not under /v2.
//
// # Caching
//
// Validated documents are reused for [WithTTL] (default [DefaultTTL]).
// Failures are not cached. [Client.Forget] empties the cache.
//
// # Challenges
//
// [ParseWWWAuthenticate] parses WWW-Authenticate fields (RFC 9110 section
// 11.6.1: several challenges, token68 or parameters, quoted strings with
// escapes); [ParseBearerChallenge] picks the Bearer challenge and its
// realm, error, error_description, scope and resource_metadata.
//
// # Errors
//
// Mismatches are [ErrIssuerMismatch] and [ErrResourceMismatch]; unusable
// documents [ErrInvalidMetadata]; a non-200 answer a [*StatusError]; a bad
// header [ErrMalformedChallenge] or [ErrNoBearerChallenge]. Use
// [errors.Is] and [errors.As].
package discovery
