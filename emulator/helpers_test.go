package emulator_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// noRedirect is an HTTP client that hands redirects back to the test.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r resp) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

func (r resp) data() map[string]any {
	d, _ := r.body["data"].(map[string]any)
	return d
}

// call sends one request; body is JSON-encoded unless it is url.Values
// (form) or a string (sent as is, JSON content type).
func call(t testing.TB, method, u string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ct = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := resp{status: res.StatusCode, header: res.Header, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, u, raw, err)
		}
	}
	return out
}

func bearer(key string) []string { return []string{"Authorization", "Bearer " + key} }

func basic(id, secret string) []string {
	return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))}
}

func wantStatus(t testing.TB, r resp, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
}

func wantOAuthError(t testing.TB, r resp, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	if got := r.str("error"); got != code {
		t.Fatalf("error = %q, want %q; body %s", got, code, r.raw)
	}
}

type client struct{ id, secret string }

func createClient(t testing.TB, ts *emulator.TestServer, body map[string]any) client {
	t.Helper()
	r := call(t, "POST", ts.URL+"/v2/oauth_clients", body, bearer(ts.APIKey)...)
	wantStatus(t, r, 201)
	d := r.data()
	sec, _ := d["client_secret"].(string)
	return client{id: d["client_id"].(string), secret: sec}
}

func confidential(t testing.TB, ts *emulator.TestServer) client {
	t.Helper()
	return createClient(t, ts, map[string]any{
		"name": "svc", "client_type": "confidential", "allowed_scopes": []string{"admin"},
		"allowed_grant_types": []string{"client_credentials", "authorization_code", "refresh_token"},
		"redirect_uris":       []string{"https://app.example.com/cb"},
	})
}

func ccToken(t testing.TB, ts *emulator.TestServer, c client) string {
	t.Helper()
	r := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"client_credentials"}}, basic(c.id, c.secret)...)
	wantStatus(t, r, 200)
	return r.str("access_token")
}

func introspect(t testing.TB, ts *emulator.TestServer, c client, token string) resp {
	t.Helper()
	r := call(t, "POST", ts.URL+"/v2/oauth/introspect", url.Values{"token": {token}}, basic(c.id, c.secret)...)
	wantStatus(t, r, 200)
	return r
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more"

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize runs authorize → consent → grant and returns the code.
func authorize(t testing.TB, ts *emulator.TestServer, c client, redirect string, extra url.Values) (code string, state string) {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {redirect}, "state": {"st-123"},
		"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}}
	for k, v := range extra {
		q[k] = v
	}
	r := call(t, "GET", ts.URL+"/v2/oauth/authorize?"+q.Encode(), nil)
	wantStatus(t, r, 302)
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	consent := loc.Query().Get("consent_token")
	if consent == "" {
		t.Fatalf("no consent_token in %s", loc)
	}
	g := call(t, "POST", ts.URL+"/v2/oauth/grants", map[string]any{"allowed": true, "consent_token": consent}, bearer(ts.APIKey)...)
	wantStatus(t, g, 200)
	back, err := url.Parse(g.str("redirect_uri"))
	if err != nil {
		t.Fatal(err)
	}
	return back.Query().Get("code"), back.Query().Get("state")
}

func exchangeCode(t testing.TB, ts *emulator.TestServer, c client, code, redirect, ver string) resp {
	t.Helper()
	return call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {ver},
	}, basic(c.id, c.secret)...)
}
