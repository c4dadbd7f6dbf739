package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// runDemo runs "telnyx-oauth demo" in-process.
func runDemo(t *testing.T) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), []string{"demo"}, &out, &errb)
	return code, out.String(), errb.String()
}

// assertInOrder checks that every want appears in s, in order.
func assertInOrder(t *testing.T, s string, want ...string) {
	t.Helper()
	rest := s
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q (or it is out of order):\n%s", w, s)
		}
		rest = rest[i+len(w):]
	}
}

// fullSecret matches a token or secret printed beyond its masked prefix.
var fullSecret = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{12,}|(sk|rt|ac|ct)_[A-Za-z0-9_-]{12,}|KEY_[A-Za-z0-9_-]{12,}`)

func TestDemoOnTheEmulator(t *testing.T) {
	t.Setenv(wrapper.EnvAPIKey, "")
	code, out, stderr := runDemo(t)
	if code != exitOK {
		t.Fatalf("exit code %d, stderr %s\n%s", code, stderr, out)
	}
	assertInOrder(t, out,
		"in-process emulator",
		"1. Start the emulator",
		"2. Create a confidential client", "client_secret sk_",
		"3. Create a public client", "PKCE required: true",
		"4. Client-credentials token", "access_token  eyJ",
		"5. List clients across pages", "page 1 of 3, 5 clients in total", "All walked 3 pages and yielded 5 clients",
		"6. Authorization code with PKCE and consent", "code_challenge_method=S256", "302 to /oauth/consent-page",
		"ApproveConsent  back to https://demo.example/callback", "Exchange        access_token eyJ",
		"7. Refresh with rotation", "rotated", "old refresh_token refused: 400 invalid_grant",
		"8. Sign in again (a fresh grant)", "Grant ",
		"9. Verify the access token against the JWKS", "signature valid (RS256)", "tampered signature is refused",
		"10. Introspect the access token", "active: true",
		"11. Revoke the grant", "active: false", "404 not found",
		"12. Dynamic client registration (RFC 7591)", "demo-agent",
		"13. Discover the authorization server (RFC 8414)", "jwks_uri",
		"14. Discover the protected resource (RFC 9728)", "auth servers",
		"Done: all 14 steps passed.",
	)
	if m := fullSecret.FindString(out); m != "" {
		t.Errorf("output shows a secret beyond its prefix: %q", m)
	}
	if strings.Contains(out, "FAILED") {
		t.Error("a step reported FAILED")
	}
}

func TestDemoReadOnlyWithAPIKey(t *testing.T) {
	ts := emulator.NewTestServer(t)
	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(ts.URL), wrapper.WithAPIKey(ts.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.Clients.Create(context.Background(), wrapper.CreateClientRequest{
		Name: "existing", ClientType: wrapper.ClientConfidential,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials}, AllowedScopes: []string{"admin"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(wrapper.EnvAPIKey, ts.APIKey)
	t.Setenv(wrapper.EnvBaseURL, ts.URL)
	code, out, stderr := runDemo(t)
	if code != exitOK {
		t.Fatalf("exit code %d, stderr %s\n%s", code, stderr, out)
	}
	assertInOrder(t, out,
		"TELNYX_API_KEY is set: running the read-only steps against "+ts.URL,
		"1. List OAuth clients", "1 clients in total", "existing",
		"2. List grants", "0 grants in total",
		"3. Read the JWKS", "1 signing key(s)",
		"4. Discover the authorization server (RFC 8414)", "issuer          "+ts.URL,
		"5. Discover the protected resource (RFC 9728)",
		"Done: 5 read-only steps passed.",
	)
	page, err := admin.Clients.List(context.Background(), wrapper.ListClientsParams{})
	if err != nil || page.Meta.TotalResults != 1 {
		t.Fatalf("the read-only demo changed the account: %d clients, %v", page.Meta.TotalResults, err)
	}
}

func TestDemoFailureNamesTheStep(t *testing.T) {
	ts := emulator.NewTestServer(t)
	const wrong = "KEY_wrong_and_secret_123456"
	t.Setenv(wrapper.EnvAPIKey, wrong)
	t.Setenv(wrapper.EnvBaseURL, ts.URL)
	code, out, stderr := runDemo(t)
	if code != exitAPI {
		t.Fatalf("exit code %d, want %d (an API error)", code, exitAPI)
	}
	assertInOrder(t, out, "1. List OAuth clients", "FAILED:")
	// stdout names the step that failed; stderr carries the CLI's one-line
	// API error with the OAuth code and the status.
	if !strings.Contains(stderr, "invalid_token") || !strings.Contains(stderr, "401") {
		t.Errorf("stderr %q does not give the OAuth code and the status", stderr)
	}
	if strings.Contains(out+stderr, wrong) {
		t.Error("the API key was printed")
	}
}
