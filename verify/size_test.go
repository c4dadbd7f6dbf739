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
