package emulator_test

import (
	"math"
	"net/http"
	"net/http/httptest"
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
		{Status: 500, Fraction: math.NaN()},
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

// TestFaultRulesCombine checks that a latency-only rule does not hide a
// status rule added after it, and that both spend their Count.
func TestFaultRulesCombine(t *testing.T) {
	ts := emulator.NewTestServer(t)
	for _, f := range []emulator.Fault{
		{Latency: time.Millisecond, Count: 2},
		{PathPrefix: "/v2/oauth/jwks", Status: 503, Count: 1},
		{PathPrefix: "/v2/oauth/jwks", Status: 500, Count: 1},
	} {
		if err := ts.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	jwks := ts.URL + "/v2/oauth/jwks"
	wantStatus(t, call(t, "GET", jwks, nil), 503)
	wantStatus(t, call(t, "GET", jwks, nil), 500)
	wantStatus(t, call(t, "GET", jwks, nil), 200)
}

// TestFaultFraction checks that Fraction fires on about that share of
// requests and that Count then retires the rule. The bounds are more than
// nine standard deviations wide.
func TestFaultFraction(t *testing.T) {
	e, err := emulator.New(emulator.WithValidation(false),
		emulator.WithFault(emulator.Fault{PathPrefix: "/v2/oauth/jwks", Status: 503, Fraction: 0.5}))
	if err != nil {
		t.Fatal(err)
	}
	status := func() int {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", "/v2/oauth/jwks", nil))
		return rec.Code
	}
	const n = 2000
	hit := 0
	for range n {
		if status() == 503 {
			hit++
		}
	}
	if hit < 800 || hit > 1200 {
		t.Fatalf("fraction 0.5 fired %d times in %d", hit, n)
	}
	e.ClearFaults()
	if err := e.InjectFault(emulator.Fault{Status: 503, Fraction: 0.5, Count: 3}); err != nil {
		t.Fatal(err)
	}
	hit = 0
	for range n {
		if status() == 503 {
			hit++
		}
	}
	if hit != 3 {
		t.Fatalf("count 3 with fraction 0.5 fired %d times", hit)
	}
}

// TestFaultRetryAfterOn5xx checks that a 503 rule with RetryAfter sends it.
func TestFaultRetryAfterOn5xx(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.WithFault(emulator.Fault{Status: 503, RetryAfter: 1500 * time.Millisecond, Count: 1}))
	r := call(t, "GET", ts.URL+"/v2/oauth/jwks", nil)
	wantStatus(t, r, 503)
	if got := r.header.Get("Retry-After"); got != "2" {
		t.Fatalf("Retry-After = %q, want 2", got)
	}
}
