package spectest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

var (
	once      sync.Once
	validator *spec.Validator
	initErr   error
)

// Validator returns a shared validator over the embedded openapi.yaml.
func Validator(t testing.TB) *spec.Validator {
	t.Helper()
	once.Do(func() { validator, initErr = spec.NewValidator() })
	if initErr != nil {
		t.Fatalf("spectest: %v", initErr)
	}
	return validator
}

// NewServer starts an httptest server that serves h and validates every
// exchange. It is closed when the test ends. Paths may carry the /v2 prefix.
func NewServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler(t, h))
	t.Cleanup(srv.Close)
	return srv
}

// Handler wraps h so that each request it receives and each response it
// writes is checked against openapi.yaml; a violation is reported with
// t.Errorf, naming the operation and the JSON path.
func Handler(t testing.TB, h http.Handler) http.Handler {
	v := Validator(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex, err := v.ValidateRequest(r.Context(), r)
		if err != nil {
			t.Errorf("spectest: %v", err)
			if ex == nil {
				http.Error(w, err.Error(), http.StatusNotFound)
				return
			}
		}
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if err := v.ValidateResponse(r.Context(), ex, rec.status, rec.header, rec.body.Bytes()); err != nil {
			t.Errorf("spectest: %v", err)
		}
		for k, vals := range rec.header {
			w.Header()[k] = vals
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}
