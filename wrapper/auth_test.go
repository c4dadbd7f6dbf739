package wrapper

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestAPIKeyBearerAndRequestNotMutated(t *testing.T) {
	var got string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Get("Authorization")
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	c, err := New(WithoutEnvironment(), WithAPIKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	at := &authTransport{c: c, next: base}
	req, _ := http.NewRequest("GET", "http://x/v2/oauth_grants", nil)
	req = req.WithContext(context.WithValue(context.Background(), callKey{}, &call{op: "t", bearer: true}))
	if _, err := at.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer "+testKey {
		t.Errorf("Authorization %q", got)
	}
	if req.Header.Get("Authorization") != "" {
		t.Error("caller's request was mutated")
	}
}

func TestNoCredentialsFailsBeforeSending(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth_grants", func(w http.ResponseWriter, r *http.Request) {
		t.Error("request sent without credentials")
	})
	c := newTestClient(t, f)
	_, err := c.Grants.List(context.Background(), ListGrantsParams{})
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("got %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
