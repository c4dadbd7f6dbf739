package emulator_test

import (
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// goroutineTB lets the helpers run off the test goroutine: a fatal failure
// is reported with Errorf and ends only the calling goroutine.
type goroutineTB struct{ testing.TB }

func (g goroutineTB) Fatal(args ...any) {
	g.TB.Helper()
	g.TB.Error(args...)
	runtime.Goexit()
}

func (g goroutineTB) Fatalf(format string, args ...any) {
	g.TB.Helper()
	g.TB.Errorf(format, args...)
	runtime.Goexit()
}

// TestConcurrentClients runs many goroutines through every kind of write
// and read at once; run it with -race.
func TestConcurrentClients(t *testing.T) {
	ts := emulator.NewTestServer(t)
	const workers, rounds = 16, 6
	const cb = "https://app.example.com/cb"
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := goroutineTB{t}
			c := confidential(t, ts)
			for i := range rounds {
				tok := ccToken(t, ts, c)
				if in := introspect(t, ts, c, tok); in.body["active"] != true {
					errs <- fmt.Errorf("worker %d round %d: token inactive", w, i)
				}
				code, _ := authorize(t, ts, c, cb, nil)
				r := exchangeCode(t, ts, c, code, cb, verifier)
				if r.status != 200 {
					errs <- fmt.Errorf("worker %d: exchange %d", w, r.status)
					continue
				}
				rr := call(t, "POST", ts.URL+"/v2/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r.str("refresh_token")}}, basic(c.id, c.secret)...)
				if rr.status != 200 {
					errs <- fmt.Errorf("worker %d: refresh %d", w, rr.status)
				}
				call(t, "GET", ts.URL+"/v2/oauth_clients?page%5Bsize%5D=5", nil, bearer(ts.APIKey)...)
				call(t, "GET", ts.URL+"/v2/oauth_grants", nil, bearer(ts.APIKey)...)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r := call(t, "GET", ts.URL+"/v2/oauth_grants?page%5Bsize%5D=100", nil, bearer(ts.APIKey)...)
	if got := r.body["meta"].(map[string]any)["total_results"].(float64); got != workers*rounds {
		t.Fatalf("grants = %v, want %d", got, workers*rounds)
	}
}
