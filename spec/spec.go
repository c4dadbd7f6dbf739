package spec

import (
	"context"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	telnyxoauth "github.com/telnyxoauth/telnyx-oauth-go"
)

var (
	loadOnce sync.Once
	loaded   *openapi3.T
	loadErr  error
)

// Load parses and validates the embedded openapi.yaml. The result is shared:
// treat it as read-only. Use [Parse] for a private copy.
func Load() (*openapi3.T, error) {
	loadOnce.Do(func() { loaded, loadErr = Parse() })
	return loaded, loadErr
}

// Parse parses and validates a fresh copy of the embedded openapi.yaml.
func Parse() (*openapi3.T, error) {
	return ParseDocument(telnyxoauth.OpenAPI)
}

// ParseDocument parses and validates an OpenAPI document.
func ParseDocument(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("spec: parse: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("spec: validate: %w", err)
	}
	return doc, nil
}
