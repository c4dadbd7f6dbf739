package wrapper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestNetworkErrorsHideURLSecrets checks the paths where a URL holds a
// secret (the consent token in the path, state and challenge in the
// authorize query): a dropped connection and a timeout must not put the
// URL into the error string or the debug log.
func TestNetworkErrorsHideURLSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	capt, logger := newCapture()
	c, err := New(WithoutEnvironment(), WithBaseURL(srv.URL), WithAPIKey(testKey), WithLogger(logger), WithBackoff(zeroBackoff))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sess, err := c.OAuth.NewAuthCodeSession(AuthCodeConfig{ClientID: testID, RedirectURI: "https://app.example/cb"})
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, call := range []func() error{
		func() error { _, err := c.OAuth.Consent(ctx, secretConsent); return err },
		func() error { _, err := c.OAuth.Consent(ctx, secretConsent, WithTimeout(time.Nanosecond)); return err },
		func() error { _, err := c.OAuth.Authorize(ctx, sess.AuthorizeParams()); return err },
	} {
		err := call()
		if err == nil {
			t.Fatal("call through a dropped connection succeeded")
		}
		text += err.Error() + "\n"
	}
	checkNoSecrets(t, text+capt.String(), sess.State, sess.Challenge)
}
