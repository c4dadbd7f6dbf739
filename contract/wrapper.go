package contract

import (
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// WrapperOption returns a [wrapper.Option] that validates every attempt the
// wrapper makes, with its credentials set, against openapi.yaml:
//
//	check, err := contract.WrapperOption()
//	// handle err (the embedded document failed to load)
//	c, err := wrapper.New(wrapper.WithAPIKey(key), check)
//
// A request outside the contract is never sent and a response outside it
// never reaches the caller; either way the call fails at once (the wrapper
// does not retry a contract violation) with an error wrapping a
// [*spec.Error] that names the operation and the JSON path:
//
//	var ce *spec.Error
//	if errors.As(err, &ce) { ... ce.Operation, ce.Path ... }
//
// opts configure the underlying [Transport].
func WrapperOption(opts ...Option) (wrapper.Option, error) {
	t, err := NewTransport(nil, opts...)
	if err != nil {
		return nil, err
	}
	return wrapper.WithTransportMiddleware(t.Middleware()), nil
}
