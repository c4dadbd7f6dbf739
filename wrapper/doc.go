// Package wrapper is the Telnyx OAuth API client that applications import.
// It is a façade over the generated package api: requests are built and
// responses parsed by api, while this package adds credentials, typed
// errors, pagination, retries and logging.
//
//	c, err := wrapper.New(wrapper.WithClientCredentials(id, secret))
//	client, err := c.Clients.Get(ctx, "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a")
//
// The [Client] has four services: [Client.Clients] (List, All, Get, Create,
// Update, Delete), [Client.Grants] (List, All, Get, Revoke), [Client.OAuth]
// (Token, Introspect, Register, JWKS, Consent, ApproveConsent, DenyConsent,
// AuthorizeURL, Authorize, NewAuthCodeSession, Refresh) and
// [Client.Discovery] (AuthorizationServer, ProtectedResource). Together they
// cover the 17 operations of openapi.yaml.
//
// # Configuration
//
// One base URL ([WithBaseURL], TELNYX_BASE_URL, default
// https://api.telnyx.com) may be given as the host root or with /v2; the
// client derives the /v2 API base, the host-root base of the well-known
// documents and the token URL from it. [WithHTTPClient] copies the given
// client; redirects are never followed. [WithTransportMiddleware] inserts a
// round-tripper layer below authentication, so it sees every attempt as
// sent; package contract uses it to validate traffic against openapi.yaml.
// Per-call options are [WithTimeout], [WithHeader] and [WithIdempotencyKey];
// like the client's options they validate their input, and an invalid one
// fails the call before anything is sent.
//
// # Authentication
//
// Admin endpoints (clients, grants, consent) need a bearer credential, one of:
//
//   - an API key ([WithAPIKey] or TELNYX_API_KEY), sent as a bearer token;
//   - client credentials ([WithClientCredentials] or TELNYX_CLIENT_ID and
//     TELNYX_CLIENT_SECRET): the client obtains a token with the
//     client_credentials grant, caches it, refreshes it ahead of expiry
//     ([WithRefreshLeeway], default 30s, at most half the token's
//     lifetime; if that refresh fails, the cached token is used until it
//     really expires), makes one token request however many
//     goroutines need it, and on a 401 drops the token and retries once;
//   - any [golang.org/x/oauth2.TokenSource] ([WithTokenSource]).
//
// Precedence: an explicit credential option always wins, and when one is
// given no credential is read from the environment at all, so an API key in
// the environment never shadows explicit client credentials. Two explicit
// credentials conflict and [New] fails; so does an environment holding both
// TELNYX_API_KEY and TELNYX_CLIENT_ID, or only one of TELNYX_CLIENT_ID and
// TELNYX_CLIENT_SECRET. [WithoutEnvironment] stops New from reading any
// TELNYX_* variable. A client with no credential at all is valid (the
// discovery documents, JWKS and public-client token calls need none); an
// admin call on it fails with [ErrNoCredentials] before anything is sent. Client credentials also authenticate
// the client at the token and introspection endpoints, by HTTP Basic or in
// the form body ([WithAuthStyle]). [Client.TokenSource] exposes the client's
// tokens as an oauth2.TokenSource, and a [TokenStore] ([WithTokenStore])
// persists tokens, including rotated refresh tokens.
//
// The authorization-code flow with PKCE runs through an [AuthCodeSession]:
// [OAuthService.NewAuthCodeSession] makes the state and an S256 verifier,
// [AuthCodeSession.AuthorizeURL] builds the URL (nothing is sent),
// [AuthCodeSession.Callback] checks the redirect (state in constant time,
// error, iss per RFC 9207), [AuthCodeSession.Exchange] trades the code, and
// [OAuthService.Refresh] refreshes with rotation.
//
// # Errors
//
// Every non-2xx response becomes an [*APIError] carrying the status, the
// OAuth error and error_description, the gateway errors[] entries, the
// X-Request-Id, Retry-After and a truncated, redacted body. Match classes
// with errors.Is: [ErrNotFound], [ErrUnauthorized], [ErrForbidden],
// [ErrRateLimited], [ErrConflict], [ErrServer], and the RFC 6749 codes
// [ErrInvalidGrant], [ErrInvalidClient], [ErrInvalidRequest],
// [ErrInvalidScope], [ErrUnauthorizedClient], [ErrUnsupportedGrantType].
// A callback that carries an error is a [*CallbackError], which matches the
// same RFC 6749 sentinels and [ErrAccessDenied]; a callback whose state or
// iss is wrong fails with [ErrStateMismatch] or [ErrIssuerMismatch].
// Transport and decoding failures are wrapped with the operation name; a
// body that does not decode names the field. Invalid input (a client or
// grant id that is not a UUID, a page size over 100) fails before anything
// is sent. No error string contains a secret.
//
// # Pagination
//
// List returns one [Page] with its [PageMeta]. All returns an
// iter.Seq2[T, error] over every page: each page is fetched with the
// caller's context, iteration stops on the last page (page_number >=
// total_pages) or an empty page, after Limit items when set, and on a page
// number that does not advance, which is an error. An error is yielded once
// and ends the sequence. [Collect] gathers a sequence into a slice.
//
// # Retries
//
// Connection errors and 408, 409, 429 and 5xx responses are retried up to
// [WithMaxRetries] times (default 2), with exponential backoff and jitter
// ([DefaultBackoff]: from 500ms, doubling up to 8s; replaceable by
// [WithBackoff]) or, when the answer carries one, the server's Retry-After /
// Retry-After-Ms, capped by [WithMaxRetryWait] (default 30s). Waiting ends
// early when the context is done. A request that may have reached the
// server is replayed only when that is safe:
//
//	call                                  retried
//	GET (all reads, discovery, JWKS)      yes
//	PUT /oauth_clients/{id}               yes
//	DELETE client, DELETE grant           yes
//	POST /oauth/introspect                yes
//	POST /oauth/token client_credentials  yes
//	POST /oauth_clients                   only with WithIdempotencyKey
//	POST /oauth/register                  only with WithIdempotencyKey
//	POST /oauth/grants (consent)          only with WithIdempotencyKey
//	POST /oauth/token authorization_code  never (a code is single-use)
//	POST /oauth/token refresh_token       never (rotation makes replay unsafe)
//
// A 401 on a call authenticated by the client-credentials manager is
// different: the token is dropped, a new one fetched, and the request sent
// once more, POSTs included. A 401 means the API refused the credential
// before acting on the request, so the second send cannot apply it twice;
// a second 401 is returned as it is. The token and introspection calls,
// which authenticate the client itself, are never resent on a 401.
//
// A connection error that proves nothing was sent (a failed dial) is
// retried for every call except the last two rows. Only errors of the base
// transport count as connection errors: an error made by a transport
// middleware (a contract violation, say) or by the credential layer ends the
// call at once.
//
// # Logging
//
// [WithLogger] logs each attempt at debug level: method, path, operation,
// attempt, status, latency, request id, headers and request body. The
// Authorization, Proxy-Authorization, Cookie and Set-Cookie headers, the
// consent token in the path and the body fields client_secret, code,
// code_verifier, refresh_token, access_token, token and id_token are
// redacted. Response bodies are read up to [WithMaxBodySize] (default
// 1 MiB); a larger body fails with [ErrBodyTooLarge].
package wrapper
