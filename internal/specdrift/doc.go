// Package specdrift compares openapi.yaml, the document this SDK is generated
// from, with a document Telnyx publishes, and reports every difference that
// would break the generated client or the emulator.
//
// Both documents are loaded with kin-openapi and compared structurally, after
// $refs are resolved: operations are matched by method and path (path
// parameter names do not matter), then parameters, request bodies, responses,
// schemas, servers and security are compared field by field. OpenAPI 3.0
// `nullable: true` and 3.1 `type: [T, "null"]` compare equal.
//
// kin-openapi (v0.153) loads OpenAPI 3.1 documents, type arrays included, as
// they are; no pre-normalisation is needed. Telnyx's whole published document
// (about 121k lines) loads in about half a second, so it is loaded whole
// rather than cut down to its OAuth paths first.
//
// Additions on our side that cannot break anything are not differences: an
// extra optional property, an extra response status (such as `default`), an
// extra response header, descriptions and examples. An extra required
// property or parameter is a difference.
//
// Each [Difference] prints as one line,
//
//	Operation: where[: /json/pointer]: change
//
// where a change reads "upstream -> ours" (for example
// "ExchangeOAuthToken: response 200 application/json: /expires_in: type integer -> string").
// Differences that are deliberate are listed, with a reason, in a
// deviations file (spec/deviations.yaml); see [Deviations].
package specdrift
