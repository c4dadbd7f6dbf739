// Package emulator is an in-memory Telnyx OAuth API for tests and local
// development. It serves all 17 operations of openapi.yaml with the real
// service's semantics, from its own server code generated from that
// document (internal/oapi), so a client and the emulator meet only on the
// wire.
//
// # In your tests
//
// [NewTestServer] starts an emulator on a loopback port for one test and
// closes it when the test ends:
//
//	ts := emulator.NewTestServer(t)
//	// ts.URL is the host root (issuer, audience, discovery documents);
//	// the API is at ts.URL + "/v2"; ts.APIKey is the admin API key.
//
// Any response the emulator writes that does not match openapi.yaml fails
// the test, so a client tested against it cannot come to depend on a shape
// the real API would never send.
//
// Outside a test, [Start] serves an emulator on an address in the
// background and returns a [*Server] with its URL and API key (close it
// with [Server.Close]); [New] returns the bare [http.Handler] to mount
// yourself; and the command
// "telnyx-oauth emulator --addr 127.0.0.1:8080 --api-key KEY" serves one
// from a shell.
//
// # Authentication
//
// The admin endpoints (clients, grants, consent) want
// "Authorization: Bearer <API key>", or an access token this emulator
// issued whose scope includes admin. The token and introspection endpoints
// authenticate clients by HTTP Basic or by client_id and client_secret in
// a form or JSON body; public clients send client_id alone. A Bearer
// header on the token call is ignored, as the official SDKs send one.
//
// # Behaviour
//
// Client ids are UUIDs; confidential clients get a secret, kept hashed
// and shown only in the create (or register) response. Access tokens are
// RS256 JWTs (iss and aud are the host root; sub, exp, iat, nbf, jti,
// scope, client_id) signed by a key published at /v2/oauth/jwks;
// [Emulator.RotateKey] keeps the old key published until its tokens
// expire. Authorization codes are single-use and bound to the client, the
// redirect URI and the PKCE challenge (S256 or plain); a reused code
// revokes the grant it produced. Refresh tokens rotate, and presenting a
// rotated one revokes the grant. Revoking a grant makes its tokens
// inactive at introspection.
//
// The authorize endpoint redirects the browser to the emulator's own
// consent page at /oauth/consent-page, a small HTML form with Allow and
// Deny; tests usually skip it and approve with POST /v2/oauth/grants.
// /v2/oauth/clients... and /v2/oauth/grants/{id} are answered as aliases
// of /v2/oauth_clients... and /v2/oauth_grants/{id}, and the discovery
// documents are served both at the host root and under /v2.
//
// # Errors
//
// Every request is validated against openapi.yaml. A violation is answered
// with the error the operation declares (400 invalid_request naming the
// parameter or field, or 422/404 where the operation declares no 400);
// OAuth endpoints answer RFC 6749 error codes, the rest the shape the
// document gives, with the gateway envelope {"errors":[...]} as default.
// [WithValidation](false) turns validation off, for benchmarks.
//
// Every 401 carries a WWW-Authenticate challenge (Basic at the token and
// introspection endpoints, Bearer with resource_metadata elsewhere). Token,
// client-create and registration responses say Cache-Control: no-store. At
// the token and introspection endpoints a repeated parameter, or one sent
// in the URL, is invalid_request; an unknown grant_type is
// unsupported_grant_type. A body longer than [MaxBodyBytes] is answered
// with 413 without being read further.
//
// # Time and faults
//
// [WithClock] with a [ManualClock] lets a test expire tokens, codes and
// consents by advancing the clock; the lifetimes are options too.
// [Fault] rules, set by [WithFault] or [Emulator.InjectFault], answer 429
// with Retry-After or a 5xx, or add latency, for the next N requests or a
// fraction of them under a path prefix. Expired records are pruned as the
// emulator is written to, so memory stays bounded under load.
package emulator
