package emulator_test

import (
	"net/url"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// TestNoStoreOnCredentialResponses checks RFC 6749 section 5.1: responses
// carrying tokens or secrets say Cache-Control: no-store and Pragma:
// no-cache, errors included.
func TestNoStoreOnCredentialResponses(t *testing.T) {
	ts := emulator.NewTestServer(t)
	c := confidential(t, ts)
	tokenURL := ts.URL + "/v2/oauth/token"
	cases := map[string]resp{
		"token 200": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic(c.id, c.secret)...),
		"token 400": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "scope": {"nope"}}, basic(c.id, c.secret)...),
		"token 401": call(t, "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}}, basic(c.id, "wrong")...),
		"client create": call(t, "POST", ts.URL+"/v2/oauth_clients", map[string]any{"name": "svc", "client_type": "confidential",
			"allowed_scopes": []string{"admin"}, "allowed_grant_types": []string{"client_credentials"}}, bearer(ts.APIKey)...),
		"register": call(t, "POST", ts.URL+"/v2/oauth/register", map[string]any{"grant_types": []string{"client_credentials"}}),
	}
	for name, r := range cases {
		if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
			t.Errorf("%s (%d): Cache-Control %q Pragma %q", name, r.status, r.header.Get("Cache-Control"), r.header.Get("Pragma"))
		}
	}
}
