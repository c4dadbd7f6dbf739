// Package wiretest holds wire tests of the generated client in api/: for
// each of the 17 operations they check, against a contract-validating test
// server (spec/spectest), what the client puts on the wire — method, escaped
// path, query string, content type, body encoding, auth header — and that
// every response documented in openapi.yaml, served from the document's own
// examples, decodes into the right typed field.
//
// The package has no code besides its tests.
package wiretest
