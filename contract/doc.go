// Package contract checks live traffic against openapi.yaml, the document the
// SDK is generated from. Turn it on in CI to learn the moment the API (or the
// emulator, or the SDK) leaves the contract.
//
// [Transport] is an [http.RoundTripper]: every request is validated before it
// is sent (a request outside the contract is never sent) and every response
// is validated before the caller sees it.
//
// With the wrapper, [WrapperOption] turns it on for every call a
// [wrapper.Client] makes:
//
//	check, err := contract.WrapperOption()
//	c, err := wrapper.New(wrapper.WithAPIKey(key), check)
//
// Validation roughly doubles the client-side cost of a call, so it belongs in
// tests and CI rather than production. The package lives apart from the
// generated client so that api/ and the wrapper do not pull in kin-openapi
// unless contract validation is asked for.
//
// # Errors
//
// A violation is a [*spec.Error] that names the operation, the side of the
// exchange and the JSON path, and matches errors.Is(err, [spec.ErrContract]).
// Violations never quote the offending value, so secrets in bodies do not
// leak into logs. A response body larger than [DefaultMaxBody] (or
// [WithMaxBody]) cannot be validated and is an error too. The wrapper never
// retries either.
package contract
