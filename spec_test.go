package telnyxoauth_test

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	telnyxoauth "github.com/telnyxoauth/telnyx-oauth-go"
)

func TestOpenAPIDocumentValidates(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(telnyxoauth.OpenAPI)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("validate openapi.yaml: %v", err)
	}
	ops := 0
	for _, item := range doc.Paths.Map() {
		ops += len(item.Operations())
	}
	if ops != 17 {
		t.Fatalf("operations = %d, want 17", ops)
	}
}
