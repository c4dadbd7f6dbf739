package wrapper

import (
	"errors"
	"net/url"
	"testing"
)

// TestCallbackRefusesRepeatedParameters checks RFC 6749 section 3.1: a
// callback repeating code, state, error or iss is refused, so a value
// appended to the redirect cannot be the one used.
func TestCallbackRefusesRepeatedParameters(t *testing.T) {
	c, _ := New(WithoutEnvironment(), WithBaseURL("https://auth.example"))
	s, _ := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
	for name, q := range map[string]url.Values{
		"two codes":  {"state": {s.State}, "code": {"c1", "c2"}},
		"two states": {"state": {s.State, "other"}, "code": {"c1"}},
		"two errors": {"state": {s.State}, "error": {"access_denied", "server_error"}},
		"two iss":    {"state": {s.State}, "code": {"c1"}, "iss": {"https://auth.example", "https://evil.example"}},
	} {
		if code, err := s.Callback(q); err == nil || code != "" {
			t.Errorf("%s: got %q, %v; want an error", name, code, err)
		}
	}
	// An iss key without a value (possible with a hand-built url.Values)
	// is a mismatch, not a panic.
	if _, err := s.Callback(url.Values{"state": {s.State}, "code": {"c1"}, "iss": {}}); !errors.Is(err, ErrIssuerMismatch) {
		t.Errorf("empty iss: err = %v, want ErrIssuerMismatch", err)
	}
}
