package discovery

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
)

func TestParseWWWAuthenticate(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []Challenge
	}{
		{"bare bearer", []string{"Bearer"}, []Challenge{{Scheme: "Bearer", Params: map[string]string{}}}},
		{"RFC 9728 example", []string{`Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"`},
			[]Challenge{{Scheme: "Bearer", Params: map[string]string{
				"resource_metadata": "https://resource.example.com/.well-known/oauth-protected-resource"}}}},
		{"several params, escapes, token value", []string{`Bearer realm="a \"quoted\" realm\\", Error=invalid_token ,  error_description = "bad, very bad", scope="x y"`},
			[]Challenge{{Scheme: "Bearer", Params: map[string]string{
				"realm": `a "quoted" realm\`, "error": "invalid_token", "error_description": "bad, very bad", "scope": "x y"}}}},
		{"several challenges", []string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`},
			[]Challenge{
				{Scheme: "Newauth", Params: map[string]string{"realm": "apps", "type": "1", "title": `Login to "apps"`}},
				{Scheme: "Basic", Params: map[string]string{"realm": "simple"}}}},
		{"token68 then bearer", []string{`Negotiate abc+/d==, Bearer error="insufficient_scope"`},
			[]Challenge{
				{Scheme: "Negotiate", Token68: "abc+/d==", Params: map[string]string{}},
				{Scheme: "Bearer", Params: map[string]string{"error": "insufficient_scope"}}}},
		{"two fields", []string{`Basic realm="x"`, `Bearer realm="y"`},
			[]Challenge{
				{Scheme: "Basic", Params: map[string]string{"realm": "x"}},
				{Scheme: "Bearer", Params: map[string]string{"realm": "y"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWWWAuthenticate(tt.in...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{`Bearer realm="open`, `Bearer x=1, y=`, `Bearer realm="a" x`, `=x`, `Bearer a=1, a=2`, `Bearer realm="a\`} {
		if got, err := ParseWWWAuthenticate(bad); !errors.Is(err, ErrMalformedChallenge) {
			t.Errorf("%q: %#v, %v; want ErrMalformedChallenge", bad, got, err)
		}
	}
}

func TestParseBearerChallenge(t *testing.T) {
	h := http.Header{}
	h.Add("WWW-Authenticate", `Basic realm="x"`)
	h.Add("WWW-Authenticate", `bearer realm="telnyx", error="insufficient_scope", error_description="needs \"calls\"", scope="admin calls:write", resource_metadata="https://api.telnyx.com/.well-known/oauth-protected-resource"`)
	b, err := ParseBearerChallenge(h)
	if err != nil {
		t.Fatal(err)
	}
	want := BearerChallenge{Realm: "telnyx", Error: "insufficient_scope", ErrorDescription: `needs "calls"`,
		Scope: "admin calls:write", ResourceMetadata: "https://api.telnyx.com/.well-known/oauth-protected-resource"}
	b.Params = nil
	if !reflect.DeepEqual(*b, want) {
		t.Errorf("got %+v\nwant %+v", *b, want)
	}
	if s := want.Scopes(); len(s) != 2 || s[1] != "calls:write" {
		t.Errorf("Scopes() = %q", s)
	}
	if _, err := ParseBearerChallenge(http.Header{"Www-Authenticate": {`Basic realm="x"`}}); !errors.Is(err, ErrNoBearerChallenge) {
		t.Errorf("err = %v, want ErrNoBearerChallenge", err)
	}
}
