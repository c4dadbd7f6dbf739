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

// TestCallbackRequireIssuer checks RFC 9207 section 2.4: with RequireIssuer
// a callback without iss is refused; without it, iss is optional.
func TestCallbackRequireIssuer(t *testing.T) {
	c, _ := New(WithoutEnvironment(), WithBaseURL("https://auth.example"))
	for _, tc := range []struct {
		require bool
		q       func(state string) url.Values
		wantErr error
	}{
		{true, func(s string) url.Values { return url.Values{"state": {s}, "code": {"c1"}} }, ErrIssuerMismatch},
		{true, func(s string) url.Values { return url.Values{"state": {s}, "error": {"access_denied"}} }, ErrIssuerMismatch},
		{true, func(s string) url.Values {
			return url.Values{"state": {s}, "code": {"c1"}, "iss": {"https://auth.example"}}
		}, nil},
		{false, func(s string) url.Values { return url.Values{"state": {s}, "code": {"c1"}} }, nil},
	} {
		s, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb", RequireIssuer: tc.require})
		if err != nil {
			t.Fatal(err)
		}
		q := tc.q(s.State)
		_, err = s.Callback(q)
		if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
			t.Errorf("require=%v %v: err = %v, want %v", tc.require, q, err, tc.wantErr)
		}
	}
}
