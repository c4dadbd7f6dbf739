package wiretest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
	"github.com/telnyxoauth/telnyx-oauth-go/spec/spectest"
)

// Test credentials; they only ever travel to the local test server.
const (
	apiKey       = "KEY_test_0123456789"
	clientID     = "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a"
	clientSecret = "sk_test_secret"
	clientUUID   = "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a"
	grantUUID    = "7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b"
)

// seen is one request as the server received it.
type seen struct {
	method      string
	path        string // decoded
	escapedPath string
	rawQuery    string
	header      http.Header
	body        []byte
}

// reply is what the test server answers.
type reply struct {
	status      int
	contentType string
	header      map[string]string
	body        []byte
}

// recordingServer starts a contract-validating server that records the
// requests it gets and answers each with rep.
func recordingServer(t *testing.T, rep reply) (*httptest.Server, func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var got []seen
	srv := spectest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read request body: %v", err)
		}
		mu.Lock()
		got = append(got, seen{
			method: r.Method, path: r.URL.Path, escapedPath: r.URL.EscapedPath(),
			rawQuery: r.URL.RawQuery, header: r.Header.Clone(), body: body,
		})
		mu.Unlock()
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		if rep.contentType != "" {
			w.Header().Set("Content-Type", rep.contentType)
		}
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body)
	}))
	return srv, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), got...)
	}
}

// clients holds a client for the /v2 API and one for the host root, where
// the /.well-known documents live (oapi-codegen ignores path-level servers).
type clients struct {
	api, root *api.ClientWithResponses
}

// noRedirects keeps the client from following /oauth/authorize's 302.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func newClients(t *testing.T, srv *httptest.Server) clients {
	t.Helper()
	c, err := api.NewClientWithResponses(srv.URL+"/v2", api.WithHTTPClient(noRedirects))
	if err != nil {
		t.Fatal(err)
	}
	root, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(noRedirects))
	if err != nil {
		t.Fatal(err)
	}
	return clients{api: c, root: root}
}

// bearer and basic are the request editors an SDK would install.
func bearer(_ context.Context, r *http.Request) error {
	r.Header.Set("Authorization", "Bearer "+apiKey)
	return nil
}

func basic(_ context.Context, r *http.Request) error {
	r.SetBasicAuth(clientID, clientSecret)
	return nil
}

func ptr[T any](v T) *T { return &v }
