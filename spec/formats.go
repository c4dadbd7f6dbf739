package spec

import (
	"errors"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
)

// kin-openapi checks only the formats it is told about, in a process-wide
// table. The document relies on two more: uuid (client and grant ids) and uri
// (redirect URIs, metadata endpoints). They are registered once, at program
// start, before any validation can run concurrently.
func init() {
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
	openapi3.DefineStringFormatValidator("uri", openapi3.NewCallbackValidator(validateURI))
}

var errNotAbsoluteURI = errors.New("not an absolute URI")

// validateURI accepts an absolute URI (RFC 3986 section 4.3): a scheme and a
// parseable remainder. It never quotes the value in its error.
func validateURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return errNotAbsoluteURI
	}
	return nil
}
