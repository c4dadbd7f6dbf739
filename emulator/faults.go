package emulator

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a rule that disturbs matching requests before the emulator
// handles them: it adds latency, answers with an error status, or both.
//
// A request matches when its path (as sent, e.g. "/v2/oauth/token") starts
// with PathPrefix ("" matches everything). Fraction applies the rule to that
// share of matching requests at random (0: all of them); Count retires the
// rule after it has fired Count times (0: never). Rules are consulted in the
// order they were added: the latencies of all that fire add up, and the
// first that fires with a Status answers. Injected error responses use the
// gateway envelope {"errors":[...]} and are not contract-checked.
type Fault struct {
	PathPrefix string        // requests whose path starts with it ("" for all)
	Status     int           // 429 or 500..599; 0 for latency only
	RetryAfter time.Duration // sent as Retry-After (whole seconds, rounded up) with Status; always with 429
	Latency    time.Duration // added before answering
	Count      int           // how many matching requests it applies to (0: no limit)
	Fraction   float64       // the share of matching requests it applies to (0: all)
}

func (f Fault) validate() error {
	switch {
	case f.Status != 0 && f.Status != http.StatusTooManyRequests && (f.Status < 500 || f.Status > 599):
		return fmt.Errorf("emulator: fault status %d is neither 429 nor 5xx", f.Status)
	case f.Status == 0 && f.Latency == 0:
		return errors.New("emulator: fault has neither status nor latency")
	case f.Latency < 0 || f.RetryAfter < 0 || f.Count < 0:
		return errors.New("emulator: fault has a negative latency, retry-after or count")
	case !(f.Fraction >= 0 && f.Fraction <= 1): // NaN too
		return errors.New("emulator: fault fraction outside 0..1")
	case f.PathPrefix != "" && !strings.HasPrefix(f.PathPrefix, "/"):
		return errors.New("emulator: fault path prefix must start with /")
	}
	return nil
}

type faultRule struct {
	Fault
	left int // remaining uses when Count > 0
}

type faults struct {
	mu    sync.Mutex
	rules []*faultRule
}

func (fs *faults) add(f Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = append(fs.rules, &faultRule{Fault: f, left: f.Count})
}

func (fs *faults) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = nil
}

// pick consumes one use of every rule that fires for path, in the order
// the rules were added: their latencies add up, and the first with a
// Status answers (the rules after it are not consulted). It reports whether
// any rule fired.
func (fs *faults) pick(path string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out Fault
	fired := false
	for i := 0; i < len(fs.rules); i++ {
		r := fs.rules[i]
		if !strings.HasPrefix(path, r.PathPrefix) {
			continue
		}
		if r.Fraction > 0 && rand.Float64() >= r.Fraction {
			continue
		}
		if r.Count > 0 {
			r.left--
			if r.left <= 0 {
				fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
				i--
			}
		}
		fired = true
		out.Latency += r.Latency
		if r.Status != 0 {
			out.Status, out.RetryAfter = r.Status, r.RetryAfter
			break
		}
	}
	return out, fired
}

// apply runs f against the request; it reports whether it wrote a response.
func (f Fault) apply(w http.ResponseWriter, r *http.Request) bool {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if f.Status == 0 {
		return false
	}
	if f.Status == http.StatusTooManyRequests || f.RetryAfter > 0 {
		// A 503 may carry Retry-After too (RFC 9110 section 10.2.3).
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	title := http.StatusText(f.Status)
	code := "10007"
	if f.Status == http.StatusTooManyRequests {
		code = "10011"
	}
	writeJSON(w, f.Status, gatewayBody(code, title, "injected fault"))
	return true
}
