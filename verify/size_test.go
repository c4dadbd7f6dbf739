package verify

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// TestOversizedTokenRefusedBeforeWork checks that a token past (16<<10)
// is refused as malformed without being parsed, its keys looked up or its
// text sent for introspection.
func TestOversizedTokenRefusedBeforeWork(t *testing.T) {
	var calls atomic.Int64
	intro := IntrospectorFunc(func(context.Context, string) (*Introspection, error) {
		calls.Add(1)
		return &Introspection{Active: true}, nil
	})
	v, err := New(WithIntrospection(intro, IntrospectOpaque))
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("a", (16<<10)+1)
	if _, err := v.Verify(context.Background(), huge); !errors.Is(err, ErrMalformed) {
		t.Errorf("Verify(huge opaque) = %v, want ErrMalformed", err)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("introspector called %d times for an oversized token", n)
	}
	if _, err := v.Verify(context.Background(), strings.Repeat("a", (16<<10))); err != nil {
		t.Errorf("Verify(token of exactly (16<<10)) = %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("introspector called %d times for a token at the limit, want 1", n)
	}
}

// TestPlainHTTPOnlyOnLoopback checks that the JWKS, introspection and
// resource-metadata URLs refuse plain http to any host but a loopback one.
func TestPlainHTTPOnlyOnLoopback(t *testing.T) {
	for _, tc := range []struct {
		u  string
		ok bool
	}{
		{"https://as.example/jwks", true},
		{"http://127.0.0.1:8080/jwks", true},
		{"http://localhost/jwks", true},
		{"http://[::1]:9/jwks", true},
		{"http://as.example/jwks", false},
		{"http://10.1.2.3/jwks", false},
	} {
		_, err := New(WithIssuer("https://as.example"), WithAudience("https://rs.example"), WithJWKSURL(tc.u))
		if (err == nil) != tc.ok {
			t.Errorf("WithJWKSURL(%q) err = %v, want ok=%v", tc.u, err, tc.ok)
		}
		_, err = NewHTTPIntrospector(tc.u, "id", "secret", nil)
		if (err == nil) != tc.ok {
			t.Errorf("NewHTTPIntrospector(%q) err = %v, want ok=%v", tc.u, err, tc.ok)
		}
	}
}
