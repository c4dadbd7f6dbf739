package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// endless is a body of n bytes that exist only as they are read; read
// counts how many were.
type endless struct{ n, read int64 }

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.n {
		return 0, http.ErrBodyReadAfterClose
	}
	k := min(int64(len(p)), e.n-e.read)
	for i := range p[:k] {
		p[i] = 'a'
	}
	e.read += k
	return int(k), nil
}

// TestHugeBodyIsRefusedUnread sends 100 MB, with and without a declared
// length, to the token, introspection, admin and consent-page endpoints:
// each gets 413 after at most MaxBodyBytes+1 bytes were read.
func TestHugeBodyIsRefusedUnread(t *testing.T) {
	e, err := emulator.New(emulator.WithBaseURL("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	const size = 100 << 20
	for _, path := range []string{"/v2/oauth/token", "/v2/oauth/introspect", "/v2/oauth_clients", "/oauth/consent-page"} {
		for _, declared := range []bool{false, true} {
			body := &endless{n: size}
			req := httptest.NewRequest("POST", path, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+e.APIKey())
			req.ContentLength = -1
			if declared {
				req.ContentLength = size
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("%s (declared %v): status %d, body %.200s", path, declared, rec.Code, rec.Body)
			}
			if body.read > emulator.MaxBodyBytes+1 {
				t.Errorf("%s (declared %v): read %d bytes of the body", path, declared, body.read)
			}
		}
	}
}
