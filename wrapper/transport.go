package wrapper

import (
	"errors"
	"net/http"
)

// buildHTTPClient assembles the round-tripper chain
//
//	retry → log/redact (each attempt) → auth → [middleware] → netErr → base
//
// where netErr marks the base transport's errors as network errors, the only
// errors the retry layer may retry.
// on a copy of the configured http.Client. Redirects are never followed, so
// the authorize endpoint's 302 comes back to the caller.
func (c *Client) buildHTTPClient() *http.Client {
	hc := &http.Client{}
	if c.cfg.httpClient != nil {
		*hc = *c.cfg.httpClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	base = &netErrTransport{next: base}
	for i := len(c.cfg.middleware) - 1; i >= 0; i-- {
		if rt := c.cfg.middleware[i](base); rt != nil {
			base = rt
		}
	}
	c.auth = &authTransport{c: c, next: base}
	if c.cfg.apiKey != nil {
		c.auth.keyHeader = []string{"Bearer " + *c.cfg.apiKey}
	}
	var rt http.RoundTripper = c.auth
	if c.cfg.logger != nil {
		rt = &logTransport{log: c.cfg.logger, next: rt}
	}
	rt = newRetryTransport(rt, c.cfg.maxRetries, c.cfg.backoff, c.cfg.maxWait)
	hc.Transport = rt
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return hc
}

// cloneWithBody returns a shallow copy of req with a fresh body, for sending
// the same request again.
func cloneWithBody(req *http.Request) (*http.Request, bool) {
	r := *req
	if req.Body == nil || req.Body == http.NoBody {
		return &r, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	b, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r.Body = b
	return &r, true
}

// drain discards the rest of a body so the connection can be reused.
func drain(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	var buf [512]byte
	for i := 0; i < 8; i++ {
		if _, err := resp.Body.Read(buf[:]); err != nil {
			break
		}
	}
	resp.Body.Close()
}

// netErrTransport marks every error of the base transport as a
// [*networkError]. Errors that reach the retry layer without the mark were
// made above the network (by a transport middleware, say) and are final.
type netErrTransport struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t *netErrTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, &networkError{err}
	}
	return resp, nil
}

// networkError is an error of the base transport: a failed dial, a reset
// connection, a timeout. Its message is the cause's.
type networkError struct{ err error }

// Error implements error.
func (e *networkError) Error() string { return e.err.Error() }

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *networkError) Unwrap() error { return e.err }

// Timeout reports whether the cause was a timeout, as net.Error does.
func (e *networkError) Timeout() bool {
	var ne interface{ Timeout() bool }
	return errors.As(e.err, &ne) && ne.Timeout()
}
