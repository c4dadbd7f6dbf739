// Package spectest holds test helpers that check HTTP traffic against
// openapi.yaml. A test server built with [NewServer] fails the test on any
// request or response outside the contract, so a test cannot pass on a
// response shape the real API would never send:
//
//	srv := spectest.NewServer(t, handler) // closed when the test ends
//	c, err := wrapper.New(wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey("k"))
//
// [Handler] adds the same checks to a handler served some other way, and
// [Validator] returns the shared [spec.Validator] behind them.
//
// # Errors
//
// A violation is reported with t.Errorf as a [spec.Error]: the operation,
// the side of the exchange and the JSON path, never the offending value.
// Deliberately hostile servers (an HTML page from a proxy, truncated JSON)
// should use plain httptest instead.
package spectest
