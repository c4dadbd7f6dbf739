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
