package agent

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// Errors of the chain, for errors.Is. Discovery failures keep their own
// errors (a *[discovery.StatusError], [discovery.ErrInvalidMetadata]) in the
// chain as well.
var (
	// ErrIssuerMismatch reports authorization-server metadata whose issuer
	// is not the issuer the protected resource named (RFC 8414 section
	// 3.3). It is [discovery.ErrIssuerMismatch].
	ErrIssuerMismatch = discovery.ErrIssuerMismatch
	// ErrResourceMismatch reports protected-resource metadata whose
	// resource is not the resource asked for, or does not cover the URL
	// that answered 401 (RFC 9728 section 3.3). It is
	// [discovery.ErrResourceMismatch].
	ErrResourceMismatch = discovery.ErrResourceMismatch
	// ErrNoAuthorizationServer reports protected-resource metadata that
	// names no authorization server, or not the one [WithAuthorizationServer]
	// asked for.
	ErrNoAuthorizationServer = errors.New("agent: no usable authorization server")
	// ErrNoPKCE reports an authorization server that does not publish S256
	// in code_challenge_methods_supported; the chain never falls back to
	// plain or to no PKCE.
	ErrNoPKCE = errors.New("agent: authorization server does not support PKCE S256")
	// ErrNoRegistrationEndpoint reports that a client must be registered
	// but the authorization server publishes no registration_endpoint.
	ErrNoRegistrationEndpoint = errors.New("agent: authorization server has no registration endpoint")
	// ErrNotSupported reports an authorization server that lacks a grant
	// type or client authentication method the chain needs, or whose
	// endpoints are not where a Telnyx client derives them from its issuer.
	ErrNotSupported = errors.New("agent: authorization server does not support what the client needs")
	// ErrRegistrationRefused reports a 400 answer to dynamic registration
	// (RFC 7591 section 3.2.2); the error is a *[RegistrationError].
	ErrRegistrationRefused = errors.New("agent: registration refused")
	// ErrNoResourceMetadata reports a 401 answer whose challenge carries no
	// resource_metadata and whose request is unknown.
	ErrNoResourceMetadata = errors.New("agent: no resource_metadata in the challenge")
)

// RegistrationError is a refused dynamic registration: the RFC 7591 error
// code (such as invalid_redirect_uri or invalid_client_metadata), its
// description and the fields the server named. It matches
// [ErrRegistrationRefused] and unwraps to the *[wrapper.APIError].
type RegistrationError struct {
	Code          string              // the RFC 7591 error code
	Description   string              // its error_description
	InvalidFields map[string][]string // field name → reasons, as the server named them
	Err           *wrapper.APIError   // the 400 answer
}

// Error implements error: the code, the description and every invalid
// field with its reasons, in field order.
func (e *RegistrationError) Error() string {
	var b strings.Builder
	b.WriteString("agent: registration refused: " + e.Code)
	if e.Description != "" {
		b.WriteString(" (" + e.Description + ")")
	}
	names := make([]string, 0, len(e.InvalidFields))
	for k := range e.InvalidFields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(&b, "; %s: %s", k, strings.Join(e.InvalidFields[k], ", "))
	}
	return b.String()
}

// Is matches [ErrRegistrationRefused].
func (e *RegistrationError) Is(target error) bool { return target == ErrRegistrationRefused }

// Unwrap returns the API error.
func (e *RegistrationError) Unwrap() error { return e.Err }

// registrationError turns a refused registration into a
// *RegistrationError, and passes other failures through.
func registrationError(err error) error {
	var ae *wrapper.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 {
		return fmt.Errorf("agent: register: %w", err)
	}
	return &RegistrationError{Code: ae.Code, Description: ae.Description, InvalidFields: ae.InvalidFields, Err: ae}
}
