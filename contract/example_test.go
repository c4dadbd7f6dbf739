package contract_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/telnyxoauth/telnyx-oauth-go/contract"
	"github.com/telnyxoauth/telnyx-oauth-go/spec"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// A server that answers outside the contract (here "scopes" is a string, not
// an array) makes the call fail with a *spec.Error naming the operation and
// the JSON path, but not the value.
func ExampleWrapperOption() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":{"id":"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f","record_type":"oauth_grant",`+
			`"client_id":"c","scopes":"admin","created_at":"2026-01-01T00:00:00Z"}}`)
	}))
	defer srv.Close()

	check, err := contract.WrapperOption()
	if err != nil {
		panic(err)
	}
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey("KEY"), check)
	if err != nil {
		panic(err)
	}
	_, err = c.Grants.Get(context.Background(), "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")
	var ce *spec.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Operation, ce.Where, ce.Path)
	}
	fmt.Println(errors.Is(err, spec.ErrContract))
	fmt.Println(err)
	// Output:
	// GetOAuthGrant response 200 /data/scopes
	// true
	// wrapper: GetOAuthGrant: contract: GetOAuthGrant response 200 at /data/scopes: value must be an array
}
