// Package telnyxoauth is the root of the Telnyx OAuth SDK module. The
// low-level client lives in [api] (generated from openapi.yaml), the façade
// users import in wrapper.
package telnyxoauth

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml openapi.yaml
