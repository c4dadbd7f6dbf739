package emulator_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// FuzzServeHTTP sends odd requests (bad encodings, wrong JSON types,
// malformed Authorization headers, repeated parameters, NUL and invalid
// UTF-8) to every route, with validation on and off: the emulator must
// neither panic nor answer 5xx, nor write a response outside openapi.yaml.
// "go test" runs the seeds; "go test -fuzz FuzzServeHTTP" explores further.
func FuzzServeHTTP(f *testing.F) {
	paths := []string{"/v2/oauth/token", "/v2/oauth/introspect", "/v2/oauth/register", "/v2/oauth/grants", "/v2/oauth_clients",
		"/v2/oauth_clients/0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a", "/v2/oauth/consent/x",
		"/v2/oauth/authorize?client_id=%ff&response_type=code&redirect_uri=x",
		"/v2/oauth/authorize?client_id=x&client_id=y&response_type=code&redirect_uri=https://a/b",
		"/oauth/consent-page?consent_token=%00", "/v2/oauth_grants?page%5Bsize%5D=-1", "/v2/oauth_clients?filter%5Bverified%5D=maybe",
		"/v2/oauth_clients/%00", "/.well-known/oauth-authorization-server", "/v2/oauth/jwks", "/v2/oauth/clients/x/y"}
	bodies := []string{"", "{", "null", "[]", `{"grant_type":["a"]}`, "grant_type=%zz", "grant_type=client_credentials&client_id=%ff",
		"\xff\xfe", `{"name":null,"client_type":1}`, `{"allowed":true,"consent_token":""}`, `{"token":{}}`, "token=\u00e9\u0000&token=x"}
	ctypes := []string{"application/json", "application/x-www-form-urlencoded", "text/plain"}
	auths := []string{"", "Basic", "Basic !!!", "Basic Og==", "Bearer ", "basic YTo="}
	methods := []string{"GET", "POST", "PUT", "DELETE"}
	i := 0
	for _, p := range paths {
		for _, b := range bodies {
			f.Add(methods[i%len(methods)], p, ctypes[i%len(ctypes)], auths[i%len(auths)], b)
			i++
		}
	}
	var emus []*emulator.Emulator
	for _, validate := range []bool{true, false} {
		e, err := emulator.New(emulator.WithValidation(validate), emulator.WithBaseURL("http://emu.test"),
			emulator.WithViolationHandler(func(err error) { f.Errorf("response outside the contract: %v", err) }))
		if err != nil {
			f.Fatal(err)
		}
		emus = append(emus, e)
	}
	f.Fuzz(func(t *testing.T, method, path, ctype, auth, body string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		for _, e := range emus {
			req := httptest.NewRequest("GET", "http://emu.test/", strings.NewReader(body))
			req.Method = method
			var err error
			if req.URL, err = req.URL.Parse(path); err != nil {
				return
			}
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Authorization", auth)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Errorf("%s %s (content type %q): status %d", method, path, ctype, rec.Code)
			}
		}
	})
}
