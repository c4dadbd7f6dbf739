package emulator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

// TestResponseViolationIsReported swaps the operation handler for one that
// answers off-contract and checks the hook hears about it.
func TestResponseViolationIsReported(t *testing.T) {
	var mu sync.Mutex
	var got []error
	e, err := New(WithViolationHandler(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, err)
	}))
	if err != nil {
		t.Fatal(err)
	}
	e.mux = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"keys": "not an array"})
	})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest("GET", "/v2/oauth/jwks", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !errors.Is(got[0], spec.ErrContract) {
		t.Fatalf("violations = %v", got)
	}
}

// TestPruning checks that expired records leave the store.
func TestPruning(t *testing.T) {
	clock := NewManualClock(time.Now())
	e, err := New(WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	s := e.store
	s.mu.Lock()
	now := clock.Now()
	for i := range 10 {
		s.tokens[string(rune('a'+i))] = &tokenRecord{expires: now.Add(time.Minute)}
		s.codes[digest(string(rune('a'+i)))] = &codeRecord{expires: now.Add(time.Minute)}
		s.consents[digest(string(rune('a'+i)))] = &consentRecord{expires: now.Add(time.Minute)}
		s.refresh[digest(string(rune('a'+i)))] = &refreshRecord{expires: now.Add(time.Hour)}
	}
	for range pruneEvery {
		s.wrote(now.Add(2 * time.Minute))
	}
	if len(s.tokens)+len(s.codes)+len(s.consents) != 0 || len(s.refresh) != 10 {
		t.Errorf("after sweep: %d tokens %d codes %d consents %d refresh", len(s.tokens), len(s.codes), len(s.consents), len(s.refresh))
	}
	s.mu.Unlock()
}
