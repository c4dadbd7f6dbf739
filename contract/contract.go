package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

// DefaultMaxBody is the largest response body the transport reads to
// validate (8 MiB); a larger one is an error.
const DefaultMaxBody = 8 << 20

// Transport validates each exchange against openapi.yaml.
// It is safe for concurrent use.
type Transport struct {
	base    http.RoundTripper
	v       *spec.Validator
	maxBody int64
}

// Option configures a [Transport].
type Option func(*Transport) error

// WithMaxBody sets the largest response body the transport will read.
func WithMaxBody(n int64) Option {
	return func(t *Transport) error {
		if n <= 0 {
			return fmt.Errorf("contract: max body must be positive, got %d", n)
		}
		t.maxBody = n
		return nil
	}
}

// NewTransport wraps base (http.DefaultTransport when nil) with validation
// against the embedded openapi.yaml.
func NewTransport(base http.RoundTripper, opts ...Option) (*Transport, error) {
	if base == nil {
		base = http.DefaultTransport
	}
	v, err := spec.NewValidator()
	if err != nil {
		return nil, err
	}
	t := &Transport{base: base, v: v, maxBody: DefaultMaxBody}
	for _, opt := range opts {
		if err := opt(t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Middleware returns a function that wraps a round-tripper with t's checks,
// for clients that compose transports (for example the wrapper's
// WithTransportMiddleware option).
func (t *Transport) Middleware() func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &Transport{base: next, v: t.v, maxBody: t.maxBody}
	}
}

// RoundTrip validates req, sends it, and validates the response. The caller's
// request is not modified.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("contract: read request body: %w", err)
		}
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	ex, err := t.v.ValidateRequest(req.Context(), out)
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, t.maxBody+1))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("contract: %s: read response body: %w", ex.Operation, err)
	}
	if int64(len(body)) > t.maxBody {
		return nil, fmt.Errorf("contract: %s: response body exceeds %d bytes", ex.Operation, t.maxBody)
	}
	if err := t.v.ValidateResponse(req.Context(), ex, resp.StatusCode, resp.Header, body); err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
