package specdrift

import (
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
)

// LoadFile reads and parses an OpenAPI 3.0 or 3.1 document. Internal $refs
// are resolved; external ones are refused. The document is not validated:
// the comparison needs its structure, not its conformance.
func LoadFile(path string) (*openapi3.T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("specdrift: %w", err)
	}
	doc, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("specdrift: %s: %w", path, err)
	}
	return doc, nil
}

// Load parses an OpenAPI 3.0 or 3.1 document held in memory.
func Load(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if doc.Paths == nil {
		return nil, fmt.Errorf("load: document has no paths")
	}
	return doc, nil
}
