package emulator_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

func TestFaultInjection(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.WithFault(emulator.Fault{PathPrefix: "/v2/oauth/token", Status: 429, RetryAfter: 2 * time.Second, Count: 2}))
	c := confidential(t, ts)
	form := url.Values{"grant_type": {"client_credentials"}}
	for i := range 2 {
		r := call(t, "POST", ts.URL+"/v2/oauth/token", form, basic(c.id, c.secret)...)
		wantStatus(t, r, 429)
		if r.header.Get("Retry-After") != "2" || r.body["errors"] == nil {
			t.Fatalf("attempt %d: Retry-After %q body %s", i, r.header.Get("Retry-After"), r.raw)
		}
	}
	wantStatus(t, call(t, "POST", ts.URL+"/v2/oauth/token", form, basic(c.id, c.secret)...), 200)

	// Other paths are untouched; a 5xx rule on the admin API fires until cleared.
	if err := ts.InjectFault(emulator.Fault{PathPrefix: "/v2/oauth_clients", Status: 503}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/jwks", nil), 200)
	for range 3 {
		wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer(ts.APIKey)...), 503)
	}
	ts.ClearFaults()
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth_clients", nil, bearer(ts.APIKey)...), 200)

	// A fraction of 1 hits every request; latency-only rules pass through.
	if err := ts.InjectFault(emulator.Fault{PathPrefix: "/v2/oauth/jwks", Status: 500, Fraction: 1}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/jwks", nil), 500)
	ts.ClearFaults()
	if err := ts.InjectFault(emulator.Fault{Latency: time.Millisecond, Count: 1}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, "GET", ts.URL+"/v2/oauth/jwks", nil), 200)
}

func TestFaultValidation(t *testing.T) {
	for _, f := range []emulator.Fault{
		{Status: 404},
		{},
		{Status: 500, Fraction: 2},
		{Status: 500, PathPrefix: "v2"},
		{Latency: -time.Second},
	} {
		if _, err := emulator.New(emulator.WithFault(f)); err == nil {
			t.Errorf("fault %+v accepted", f)
		}
	}
}

func TestOptionValidation(t *testing.T) {
	for name, opt := range map[string]emulator.Option{
		"empty key":      emulator.WithAPIKey(""),
		"relative base":  emulator.WithBaseURL("/x"),
		"base with path": emulator.WithBaseURL("http://127.0.0.1:1/v2"),
		"short ttl":      emulator.WithAccessTokenTTL(time.Millisecond),
		"nil clock":      emulator.WithClock(nil),
		"nil logger":     emulator.WithLogger(nil),
	} {
		if _, err := emulator.New(opt); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	e, err := emulator.New(emulator.WithBaseURL("http://127.0.0.1:1234/"))
	if err != nil {
		t.Fatal(err)
	}
	if e.BaseURL() != "http://127.0.0.1:1234" || e.Issuer() != e.BaseURL() || e.APIKey() == "" {
		t.Fatalf("base %q issuer %q", e.BaseURL(), e.Issuer())
	}
	var _ http.Handler = e
}
