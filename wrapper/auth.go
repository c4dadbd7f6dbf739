package wrapper

import (
	"fmt"
	"net/http"
	"strings"
)

// authTransport sets the bearer credentials on calls that need them. It
// clones the request before touching a header. With the client-credentials
// manager, a 401 drops the token that was used, fetches a new one and sends
// the request once more.
type authTransport struct {
	c    *Client
	next http.RoundTripper
	// keyHeader is the precomputed Authorization value of an API key.
	keyHeader []string
}

// RoundTrip implements http.RoundTripper.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	m := callFrom(req.Context())
	if m != nil && !m.bearer {
		return t.next.RoundTrip(req)
	}
	if t.keyHeader != nil {
		return t.next.RoundTrip(withAuthorization(req, t.keyHeader))
	}
	tok, err := t.bearer(req)
	if err != nil {
		return nil, &credentialError{err}
	}
	resp, err := t.next.RoundTrip(withBearer(req, tok))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || t.c.tokens == nil {
		return resp, err
	}
	t.c.tokens.invalidate(tok)
	again, ok := cloneWithBody(req)
	if !ok {
		return resp, nil
	}
	tok2, err := t.bearer(req)
	if err != nil {
		return resp, nil
	}
	drain(resp)
	return t.next.RoundTrip(withBearer(again, tok2))
}

func (t *authTransport) bearer(req *http.Request) (string, error) {
	cfg := &t.c.cfg
	switch {
	case cfg.apiKey != nil:
		return *cfg.apiKey, nil
	case t.c.tokens != nil:
		tok, err := t.c.tokens.token(req.Context())
		if err != nil {
			return "", fmt.Errorf("get access token: %w", err)
		}
		return tok.AccessToken, nil
	case cfg.tokenSource != nil:
		tok, err := cfg.tokenSource.Token()
		if err != nil {
			return "", fmt.Errorf("token source: %w", err)
		}
		return tok.AccessToken, nil
	}
	return "", ErrNoCredentials
}

// withBearer clones req (headers included) and sets the Authorization header.
func withBearer(req *http.Request, tok string) *http.Request {
	return withAuthorization(req, []string{"Bearer " + tok})
}

// withAuthorization clones req with a fresh header map holding value as its
// Authorization header; the caller's request is left untouched.
func withAuthorization(req *http.Request, value []string) *http.Request {
	r := *req
	h := make(http.Header, len(req.Header)+1)
	for k, v := range req.Header {
		h[k] = v
	}
	h["Authorization"] = value
	r.Header = h
	return &r
}

// credentialError is a failure to obtain credentials. The retry layer does
// not retry it: the token fetch has its own retries, and a missing
// credential does not appear by waiting.
type credentialError struct{ err error }

// Error drops the inner package prefixes so the message reads as one line.
func (e *credentialError) Error() string { return strings.ReplaceAll(e.err.Error(), "wrapper: ", "") }

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *credentialError) Unwrap() error { return e.err }
