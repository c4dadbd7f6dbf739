package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

// TestResponseViolationIsReported swaps the operation handler for one that
// answers off-contract and checks the hook hears about it.
func TestResponseViolationIsReported(t *testing.T) {
	var mu sync.Mutex
	var got []error
	e, err := New(WithViolationHandler(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, err)
	}))
	if err != nil {
		t.Fatal(err)
	}
	e.mux = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"keys": "not an array"})
	})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest("GET", "/v2/oauth/jwks", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !errors.Is(got[0], spec.ErrContract) {
		t.Fatalf("violations = %v", got)
	}
}

// TestPruning checks that expired records leave the store.
func TestPruning(t *testing.T) {
	clock := NewManualClock(time.Now())
	e, err := New(WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	s := e.store
	s.mu.Lock()
	now := clock.Now()
	for i := range 10 {
		s.tokens[string(rune('a'+i))] = &tokenRecord{expires: now.Add(time.Minute)}
		s.codes[digest(string(rune('a'+i)))] = &codeRecord{expires: now.Add(time.Minute)}
		s.consents[digest(string(rune('a'+i)))] = &consentRecord{expires: now.Add(time.Minute)}
		s.refresh[digest(string(rune('a'+i)))] = &refreshRecord{expires: now.Add(time.Hour)}
	}
	for range pruneEvery {
		s.wrote(now.Add(2 * time.Minute))
	}
	if len(s.tokens)+len(s.codes)+len(s.consents) != 0 || len(s.refresh) != 10 {
		t.Errorf("after sweep: %d tokens %d codes %d consents %d refresh", len(s.tokens), len(s.codes), len(s.consents), len(s.refresh))
	}
	s.mu.Unlock()
}

// TestPruningThroughTheAPI fills the store over HTTP (pending consents,
// unexchanged and used codes, access tokens, rotated and live refresh
// tokens, a revoked grant), advances the clock past every lifetime, and
// checks that the next sweep empties all of it.
func TestPruningThroughTheAPI(t *testing.T) {
	clock := NewManualClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	e, err := New(WithClock(clock), WithBaseURL("http://emu.test"))
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, ctype, body string, hdr ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 400 {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		return rec
	}
	admin := []string{"Authorization", "Bearer " + e.APIKey()}
	const cb = "https://app.example.com/cb"
	var created struct {
		Data struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		} `json:"data"`
	}
	rec := do("POST", "/v2/oauth_clients", "application/json", `{"name":"svc","client_type":"confidential","allowed_scopes":["admin"],`+
		`"allowed_grant_types":["client_credentials","authorization_code","refresh_token"],"redirect_uris":["`+cb+`"]}`, admin...)
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	auth := []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(created.Data.ClientID+":"+created.Data.ClientSecret))}
	form := "application/x-www-form-urlencoded"
	consent := func() string {
		q := url.Values{"response_type": {"code"}, "client_id": {created.Data.ClientID}, "redirect_uri": {cb}}
		loc, err := url.Parse(do("GET", "/v2/oauth/authorize?"+q.Encode(), "", "").Header().Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		return loc.Query().Get("consent_token")
	}
	code := func() string {
		var out struct {
			RedirectURI string `json:"redirect_uri"`
		}
		rec := do("POST", "/v2/oauth/grants", "application/json", `{"allowed":true,"consent_token":"`+consent()+`"}`, admin...)
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(out.RedirectURI)
		return u.Query().Get("code")
	}
	token := func(v url.Values) map[string]any {
		var out map[string]any
		if err := json.Unmarshal(do("POST", "/v2/oauth/token", form, v.Encode(), auth...).Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	const n = 20
	for range n {
		consent()
		code()
		token(url.Values{"grant_type": {"client_credentials"}})
		tok := token(url.Values{"grant_type": {"authorization_code"}, "code": {code()}, "redirect_uri": {cb}})
		token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}})
	}
	size := func() (consents, codes, tokens, refresh int) {
		e.store.mu.Lock()
		defer e.store.mu.Unlock()
		return len(e.store.consents), len(e.store.codes), len(e.store.tokens), len(e.store.refresh)
	}
	if c, k, tk, r := size(); c < n || k < 2*n || tk < 3*n || r < 2*n {
		t.Fatalf("before: %d consents %d codes %d tokens %d refresh", c, k, tk, r)
	}
	clock.Advance(31 * 24 * time.Hour) // past every default lifetime
	for range pruneEvery {
		consent() // writes, which trigger the sweep
	}
	clock.Advance(time.Hour)
	for range pruneEvery {
		token(url.Values{"grant_type": {"client_credentials"}})
	}
	// What is left was written after the last sweep, or is still alive:
	// the sweep removed everything from before the first advance.
	if c, k, tk, r := size(); c != 0 || k != 0 || tk > pruneEvery || r != 0 {
		t.Fatalf("after: %d consents %d codes %d tokens %d refresh", c, k, tk, r)
	}
}
