package wrapper

import (
	"net/http"
)

// buildHTTPClient assembles the round-tripper chain
//
//	retry → log/redact (each attempt) → auth → base
//
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
