package emulator_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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

// TestRequestLogHoldsNoConsentToken checks that the request log names the
// consent path without the token it carries.
func TestRequestLogHoldsNoConsentToken(t *testing.T) {
	var logs bytes.Buffer
	ts := emulator.NewTestServer(t, emulator.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	c := confidential(t, ts)
	q := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {"https://app.example.com/cb"}}
	loc, err := url.Parse(call(t, "GET", ts.URL+"/v2/oauth/authorize?"+q.Encode(), nil).header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	token := loc.Query().Get("consent_token")
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/consent/"+token, nil, bearer(ts.APIKey)...), 200)
	if !strings.Contains(logs.String(), "path=/v2/oauth/consent/{consent_token}") {
		t.Errorf("consent request not logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the log holds the consent token:\n%s", logs.String())
	}
}

// TestHugePageNumber asks both lists for pages far past the end, up to the
// largest int64: an empty page, not a panic from an overflowing offset.
func TestHugePageNumber(t *testing.T) {
	ts := emulator.NewTestServer(t)
	confidential(t, ts)
	for _, list := range []string{"/v2/oauth_clients", "/v2/oauth_grants"} {
		for _, q := range []string{"page%5Bnumber%5D=9223372036854775807&page%5Bsize%5D=100", "page%5Bnumber%5D=4611686018427387904&page%5Bsize%5D=2", "page%5Bnumber%5D=3"} {
			r := call(t, "GET", ts.URL+list+"?"+q, nil, bearer(ts.APIKey)...)
			wantStatus(t, r, 200)
			if data, ok := r.body["data"].([]any); !ok || len(data) != 0 {
				t.Errorf("%s?%s: data = %s", list, q, r.raw)
			}
		}
		wantStatus(t, call(t, "GET", ts.URL+list+"?page%5Bnumber%5D=92233720368547758070", nil, bearer(ts.APIKey)...), 400)
	}
}
