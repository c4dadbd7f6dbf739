package wrapper

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// printVerbs are the ways a user may print a value by accident.
var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"}

func TestClientPrintsNoCredentials(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opt    Option
		secret string
	}{
		{"api key", WithAPIKey(testKey), testKey},
		{"client credentials", WithClientCredentials(testID, testSecret), testSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(WithoutEnvironment(), WithBaseURL("https://auth.example"), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			hexSecret := fmt.Sprintf("%x", tc.secret)
			for _, verb := range printVerbs {
				for _, v := range []any{c, *c} {
					got := fmt.Sprintf(verb, v)
					if strings.Contains(got, tc.secret) || strings.Contains(got, hexSecret) {
						t.Errorf("%s of %T leaks the secret: %s", verb, v, got)
					}
				}
			}
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("client", "client", c)
			if strings.Contains(buf.String(), tc.secret) {
				t.Errorf("slog leaks the secret: %s", buf.String())
			}
			if !strings.Contains(buf.String(), "auth.example") {
				t.Errorf("slog line does not name the base URL: %s", buf.String())
			}
		})
	}
}

func TestAuthCodeSessionPrintsNoVerifier(t *testing.T) {
	c, err := New(WithoutEnvironment(), WithBaseURL("https://auth.example"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
	if err != nil {
		t.Fatal(err)
	}
	hexVerifier := fmt.Sprintf("%x", s.Verifier)
	for _, verb := range printVerbs {
		for _, v := range []any{s, *s} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, s.Verifier) || strings.Contains(got, hexVerifier) {
				t.Errorf("%s of %T leaks the verifier: %s", verb, v, got)
			}
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("session", "session", s)
	if strings.Contains(buf.String(), s.Verifier) || !strings.Contains(buf.String(), s.Challenge) {
		t.Errorf("slog line: %s", buf.String())
	}
}
