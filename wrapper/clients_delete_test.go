package wrapper

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
)

// TestDeleteRetryAfterDeletionSucceeds checks that a DELETE whose first
// attempt deleted the client but answered 503 does not report the 404 of
// the retry as a failure, while a 404 on the first attempt still is one.
func TestDeleteRetryAfterDeletionSucceeds(t *testing.T) {
	f := newFake(t)
	var deleted atomic.Bool
	f.handle("DELETE /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != clientUUID || deleted.Load() {
			f.fail(w, r, http.StatusNotFound)
			return
		}
		deleted.Store(true) // deleted, but the answer is lost
		f.fail(w, r, http.StatusServiceUnavailable)
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	if err := c.Clients.Delete(context.Background(), clientUUID); err != nil {
		t.Errorf("Delete after a lost success: %v, want nil", err)
	}
	if got := f.count("DELETE /v2/oauth_clients/{id}"); got != 2 {
		t.Errorf("DELETE requests = %d, want 2", got)
	}
	if err := c.Clients.Delete(context.Background(), clientUUID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete of a missing client: %v, want ErrNotFound", err)
	}
}
