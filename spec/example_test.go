package spec_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

// ValidateRequest matches a request to its operation and checks it; a
// violation names the operation and the parameter, never the value.
func ExampleValidator_ValidateRequest() {
	v, err := spec.NewValidator()
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	ok, _ := http.NewRequest("GET", "https://api.telnyx.com/v2/oauth_clients?page[size]=20", nil)
	ok.Header.Set("Authorization", "Bearer KEY")
	ex, err := v.ValidateRequest(ctx, ok)
	fmt.Println(ex.Operation, err)

	bad, _ := http.NewRequest("GET", "https://api.telnyx.com/v2/oauth_clients?page[size]=500", nil)
	bad.Header.Set("Authorization", "Bearer KEY")
	_, err = v.ValidateRequest(ctx, bad)
	var ce *spec.Error
	fmt.Println(errors.Is(err, spec.ErrContract), errors.As(err, &ce) && ce.Operation == "ListOAuthClients", ce.Path)
	// Output:
	// ListOAuthClients <nil>
	// true true query parameter page[size]
}
