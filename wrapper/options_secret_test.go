package wrapper

import (
	"strings"
	"testing"
)

// TestBaseURLErrorHidesCredentials checks that a base URL refused for
// holding user info, a query or a fragment is not quoted whole: those are
// where a password or key would be.
func TestBaseURLErrorHidesCredentials(t *testing.T) {
	const secret = "pw-s3cr3t-9"
	for _, raw := range []string{
		"https://user:" + secret + "@api.example",
		"https://api.example/v2?api_key=" + secret,
		"https://api.example/v2#" + secret,
		"ftp://user:" + secret + "@api.example",
		"https://api.example/%zz" + secret,
	} {
		_, err := New(WithoutEnvironment(), WithBaseURL(raw))
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error quotes the secret: %v", err)
		}
	}
}

// TestUserAgentRefusesControlCharacters checks that a User-Agent that
// net/http would refuse to send (every call failing) is refused by New.
func TestUserAgentRefusesControlCharacters(t *testing.T) {
	for _, ua := range []string{"app/1.0\r\nX-Injected: 1", "app\n", "app\x00", "app\x7f"} {
		if _, err := New(WithoutEnvironment(), WithUserAgent(ua)); err == nil {
			t.Errorf("WithUserAgent(%q) accepted", ua)
		}
	}
	if _, err := New(WithoutEnvironment(), WithUserAgent("app/1.0 (+https://app.example)")); err != nil {
		t.Errorf("plain user agent refused: %v", err)
	}
}
