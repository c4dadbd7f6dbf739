package emulator

import (
	"net/http/httptest"
	"testing"
)

// TestServer is an emulator listening on a loopback port for one test.
type TestServer struct {
	*Emulator
	// URL is the host root, such as "http://127.0.0.1:41234"; the API is
	// at URL+"/v2" and the discovery documents at URL+"/.well-known/...".
	URL string
	// APIKey is the admin API key ("Authorization: Bearer " + APIKey).
	APIKey string
}

// NewTestServer starts an emulator on a loopback port, in the spirit of
// [httptest.NewServer], and closes it when the test ends. Every response
// the emulator writes that does not match openapi.yaml fails the test with
// t.Errorf (unless the options turn validation off or install their own
// violation handler).
func NewTestServer(t testing.TB, opts ...Option) *TestServer {
	t.Helper()
	report := WithViolationHandler(func(err error) {
		t.Errorf("emulator: %v", err)
	})
	e, err := New(append([]Option{report}, opts...)...)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	if err := e.SetBaseURL(srv.URL); err != nil {
		t.Fatalf("emulator: %v", err)
	}
	return &TestServer{Emulator: e, URL: srv.URL, APIKey: e.APIKey()}
}
