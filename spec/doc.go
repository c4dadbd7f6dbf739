// Package spec parses openapi.yaml, the document the SDK is generated from,
// and validates HTTP exchanges against it with kin-openapi.
//
// It is a separate package so that the generated client in api/ and the
// wrapper stay free of kin-openapi; only code that asks for contract
// validation (the emulator, tests, and package contract) pays for it.
//
// [Load] and [Parse] read the embedded document; [NewValidator] builds a
// [Validator] whose [Validator.ValidateRequest] matches a request to its
// operation (an [Exchange]) and whose [Validator.ValidateResponse] checks the
// answer to it.
//
// Paths are matched relative to the API root: "/oauth_clients" for
// https://api.telnyx.com/v2/oauth_clients and "/.well-known/..." for the
// host-root discovery documents. [Validator.Route] strips a "/v2" prefix
// itself, so callers can pass request paths as they arrive.
//
// # Errors
//
// A violation is an [*Error]: the operation, the side of the exchange
// ("request", "response 200", "route"), the JSON pointer or parameter name,
// and the reason, never the offending value. Every *Error matches
// errors.Is(err, [ErrContract]).
package spec
