package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestIntrospectionAudienceArray checks RFC 7662 section 2.2: aud may be an
// array. A generic RFC 7662 endpoint (not Telnyx's, whose contract has a
// single string, hence plain httptest) answering with one must verify, and
// the audience must still be checked.
func TestIntrospectionAudienceArray(t *testing.T) {
	exp := time.Now().Add(time.Hour).Unix()
	answer := `{"active":true,"iss":"https://as.example","aud":["https://other.example","https://rs.example"],"exp":` + strconv.FormatInt(exp, 10) + `}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer))
	}))
	defer srv.Close()
	in, err := NewHTTPIntrospector(srv.URL+"/introspect", "id", "secret", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		aud  string
		want error
	}{{"https://rs.example", nil}, {"https://third.example", ErrWrongAudience}} {
		v, err := New(WithIssuer("https://as.example"), WithAudience(tc.aud), WithIntrospection(in, IntrospectOpaque))
		if err != nil {
			t.Fatal(err)
		}
		c, err := v.Verify(context.Background(), "opaque-token")
		if !errors.Is(err, tc.want) || (tc.want != nil) != (err != nil) {
			t.Fatalf("aud %s: err = %v, want %v", tc.aud, err, tc.want)
		}
		if err == nil && !slices.Equal(c.Audience, []string{"https://other.example", "https://rs.example"}) {
			t.Errorf("Audience = %q", c.Audience)
		}
	}
}

func TestHTTPIntrospectorPrintsNoSecret(t *testing.T) {
	in, err := NewHTTPIntrospector("https://as.example/v2/oauth/introspect", introClientID, introClientSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	hexSecret := fmt.Sprintf("%x", introClientSecret)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		for _, v := range []any{in, *in} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, introClientSecret) || strings.Contains(got, hexSecret) {
				t.Errorf("%s of %T leaks the secret: %s", verb, v, got)
			}
		}
	}
	if got := fmt.Sprint(in); !strings.Contains(got, introClientID) || !strings.Contains(got, "as.example") {
		t.Errorf("%%v = %s, want the endpoint and client id", got)
	}
}

// TestHTTPIntrospectorDoesNotFollowRedirects checks that a redirect from the
// introspection endpoint is an error and that the token never reaches the
// redirect's target (a 307 would resend the form body).
func TestHTTPIntrospectorDoesNotFollowRedirects(t *testing.T) {
	var leaked atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"active":true}`))
	}))
	defer target.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	hc := redirector.Client()
	in, err := NewHTTPIntrospector(redirector.URL+"/introspect", "id", "secret", hc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Introspect(context.Background(), "opaque-token"); err == nil || !strings.Contains(err.Error(), "307") {
		t.Errorf("err = %v, want an error naming the 307", err)
	}
	if n := leaked.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests carrying the token", n)
	}
	if hc.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
}
