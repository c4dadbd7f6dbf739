package discovery

import (
	"errors"
	"fmt"
)

var (
	// ErrIssuerMismatch reports authorization-server metadata whose issuer
	// is not the issuer asked for (RFC 8414 section 3.3).
	ErrIssuerMismatch = errors.New("discovery: issuer mismatch")
	// ErrResourceMismatch reports protected-resource metadata whose
	// resource is not the resource asked for (RFC 9728 section 3.3).
	ErrResourceMismatch = errors.New("discovery: resource mismatch")
	// ErrInvalidMetadata reports a metadata document that cannot be decoded
	// or holds an unusable value.
	ErrInvalidMetadata = errors.New("discovery: invalid metadata")
	// ErrNoBearerChallenge reports a WWW-Authenticate header without a
	// Bearer challenge.
	ErrNoBearerChallenge = errors.New("discovery: no Bearer challenge")
	// ErrMalformedChallenge reports a WWW-Authenticate header that does not
	// follow RFC 9110 section 11.6.1.
	ErrMalformedChallenge = errors.New("discovery: malformed WWW-Authenticate")
)

// StatusError reports a metadata fetch answered with a status other than
// 200.
type StatusError struct {
	// URL is the metadata URL fetched.
	URL string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the OAuth error code of the body, when it has one.
	Code string
}

// Error implements error.
func (e *StatusError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("discovery: GET %s: status %d (%s)", e.URL, e.StatusCode, e.Code)
	}
	return fmt.Sprintf("discovery: GET %s: status %d", e.URL, e.StatusCode)
}
