package telnyxoauth

import _ "embed"

// OpenAPI is openapi.yaml, the document the client, the emulator and
// contract validation are built from. It is plain bytes so that importing
// this package costs nothing; parse it with the spec package.
//
//go:embed openapi.yaml
var OpenAPI []byte
