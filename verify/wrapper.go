package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// NewWrapperIntrospector returns an [Introspector] that asks through c,
// calling [wrapper.OAuthService.Introspect] (POST /v2/oauth/introspect): the
// client's base URL, client credentials ([wrapper.WithClientCredentials]),
// auth style, retries and logging apply. c must have client credentials,
// or every call fails.
//
// The adapter lives here rather than in wrapper because [Introspection] is
// this package's type: verify imports wrapper, and wrapper never imports
// verify. Raw holds the members the API declares.
func NewWrapperIntrospector(c *wrapper.Client) (IntrospectorFunc, error) {
	if c == nil {
		return nil, errors.New("verify: nil wrapper client")
	}
	return func(ctx context.Context, token string) (*Introspection, error) {
		r, err := c.OAuth.Introspect(ctx, token)
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("verify: encoding introspection answer: %w", err)
		}
		return decodeIntrospection(body)
	}, nil
}
