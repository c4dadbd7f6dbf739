package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// Version is the version of this package, sent in the User-Agent header.
const Version = "0.1.0"

// Client is a Telnyx OAuth API client. Its services cover the 17 operations.
// A Client is safe for concurrent use.
type Client struct {
	// Clients manages OAuth clients (/oauth_clients).
	Clients *ClientsService
	// Grants manages OAuth grants (/oauth_grants).
	Grants *GrantsService
	// OAuth holds the protocol endpoints (/oauth/*).
	OAuth *OAuthService
	// Discovery reads the well-known metadata documents.
	Discovery *DiscoveryService

	cfg       config
	apiBase   string // ".../v2/"
	rootBase  string // host root, ending in "/"
	tokenURL  string
	userAgent string
	uaHeader  []string // shared, never mutated: saves an allocation per call
	hc        *http.Client
	routes    routes
	tokens    *tokenManager // nil unless client credentials are configured
	auth      *authTransport
}

// New returns a client configured by opts, with defaults taken from the
// TELNYX_* environment variables for anything the options leave unset
// (see the Authentication section of the package documentation for the
// precedence of credentials).
func New(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.applyEnv(); err != nil {
		return nil, err
	}
	if err := cfg.checkCredentials(); err != nil {
		return nil, err
	}
	if cfg.baseURL == "" {
		cfg.baseURL = DefaultBaseURL
	}
	apiBase, rootBase, err := splitBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, apiBase: apiBase, rootBase: rootBase, tokenURL: apiBase + "oauth/token"}
	if c.routes, err = buildRoutes(apiBase); err != nil {
		return nil, err
	}
	c.userAgent = "telnyx-oauth-go/" + Version
	if cfg.userAgent != "" {
		c.userAgent += " " + cfg.userAgent
	}
	c.uaHeader = []string{c.userAgent}
	c.hc = c.buildHTTPClient()
	if cfg.clientID != nil {
		c.tokens = newTokenManager(c.fetchClientCredentials, cfg.tokenStore, cfg.leeway, cfg.now, cfg.logger)
	}
	c.Clients = &ClientsService{c: c}
	c.Grants = &GrantsService{c: c}
	c.OAuth = &OAuthService{c: c}
	c.Discovery = &DiscoveryService{c: c}
	return c, nil
}

// APIBaseURL returns the /v2 API base URL, ending in "/".
func (c *Client) APIBaseURL() string { return c.apiBase }

// RootURL returns the host-root base URL of the well-known documents,
// ending in "/".
func (c *Client) RootURL() string { return c.rootBase }

// TokenURL returns the token endpoint derived from the base URL.
func (c *Client) TokenURL() string { return c.tokenURL }

// CallOption adjusts a single call. An invalid one fails the call before
// anything is sent.
type CallOption func(*callConfig) error

type callConfig struct {
	timeout time.Duration
	header  http.Header
	idemKey string
}

// WithTimeout bounds one call, retries included. d must be positive.
func WithTimeout(d time.Duration) CallOption {
	return func(cc *callConfig) error {
		if d <= 0 {
			return fmt.Errorf("call timeout must be positive, got %s", d)
		}
		cc.timeout = d
		return nil
	}
}

// WithHeader adds a header to one call. Authorization and User-Agent are
// owned by the client and refused here, as are a name that is not an HTTP
// token and a value holding a control character.
func WithHeader(key, value string) CallOption {
	return func(cc *callConfig) error {
		if !validHeaderName(key) {
			return fmt.Errorf("invalid header name %q", key)
		}
		key = http.CanonicalHeaderKey(key)
		if key == "Authorization" || key == "User-Agent" {
			return fmt.Errorf("header %s is set by the client", key)
		}
		if hasControl(value) {
			return fmt.Errorf("header %s: value holds a control character", key)
		}
		if cc.header == nil {
			cc.header = http.Header{}
		}
		cc.header.Add(key, value)
		return nil
	}
}

// WithIdempotencyKey sends an Idempotency-Key header. A POST that carries one
// (client creation, registration, consent decisions) may be retried; without
// one it never is. Authorization-code and refresh-token exchanges are never
// retried regardless.
//
// The key must be non-empty and free of control characters.
func WithIdempotencyKey(key string) CallOption {
	return func(cc *callConfig) error {
		if key == "" || hasControl(key) {
			return errors.New("idempotency key must be non-empty, without control characters")
		}
		cc.idemKey = key
		return nil
	}
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= 0x20 || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return true
}

// hasControl reports whether s holds a control character other than tab.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f })
}

// retryMode says whether a call may be replayed.
type retryMode uint8

const (
	retryAuto   retryMode = iota // by method: GET/PUT/DELETE, or POST with an idempotency key
	retryAlways                  // safe to replay (client_credentials, introspection)
	retryNever                   // never replay (code exchange, refresh with rotation)
)

// call describes one operation on its way through the transport chain.
type call struct {
	op      string
	retry   retryMode
	bearer  bool // needs the client's bearer credentials
	attempt int  // set by the retry layer, read by the log layer
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	m, _ := ctx.Value(callKey{}).(*call)
	return m
}

// send runs req through the chain and returns a 2xx (or allowed) response
// whose body is capped; any other status becomes an *APIError here.
func (c *Client) send(ctx context.Context, m *call, req *http.Request, opts []CallOption, ok func(int) bool) (*http.Response, context.CancelFunc, error) {
	var cc callConfig
	for _, o := range opts {
		if err := o(&cc); err != nil {
			return nil, nil, fmt.Errorf("wrapper: %s: %w", m.op, err)
		}
	}
	cancel := context.CancelFunc(func() {})
	if cc.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, cc.timeout)
	}
	for k, vs := range cc.header {
		req.Header[k] = vs
	}
	if cc.idemKey != "" {
		req.Header.Set("Idempotency-Key", cc.idemKey)
	}
	req.Header["User-Agent"] = c.uaHeader
	req = req.WithContext(context.WithValue(ctx, callKey{}, m)) // also bounds the call by ctx
	resp, err := c.hc.Do(req)
	if err != nil {
		cancel()
		return nil, nil, transportError(m.op, err)
	}
	if ok == nil {
		ok = is2xx
	}
	if !ok(resp.StatusCode) {
		defer cancel()
		body, rerr := readCapped(resp.Body, c.cfg.maxBody)
		resp.Body.Close()
		if rerr != nil && !errors.Is(rerr, ErrBodyTooLarge) {
			return nil, nil, transportError(m.op, rerr)
		}
		return nil, nil, newAPIError(m.op, resp, body)
	}
	resp.Body = &cappedBody{rc: resp.Body, left: c.cfg.maxBody}
	return resp, cancel, nil
}

func is2xx(s int) bool { return s >= 200 && s < 300 }

// transportError wraps a failure to get a response, dropping the URL (which
// may carry a consent token) but keeping the cause for errors.Is.
func transportError(op string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("wrapper: %s: %w", op, err)
}

// cappedBody fails with ErrBodyTooLarge once more than left bytes are read.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

// Read implements io.Reader.
func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrBodyTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, ErrBodyTooLarge
	}
	return n, err
}

// Close implements io.Closer.
func (b *cappedBody) Close() error { return b.rc.Close() }

func readCapped(r io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(body)) > max {
		return body[:max], ErrBodyTooLarge
	}
	return body, err
}

// parse hands a response to a generated api.Parse function and wraps its
// failures with the operation name.
func parse[R any](op string, resp *http.Response, cancel context.CancelFunc, p func(*http.Response) (R, error)) (R, error) {
	defer cancel()
	r, err := p(resp)
	if err != nil {
		var zero R
		if errors.Is(err, ErrBodyTooLarge) {
			return zero, fmt.Errorf("wrapper: %s: %w", op, err)
		}
		return zero, decodeError(op, err)
	}
	return r, nil
}

// missing is the error for a 2xx response without the expected JSON field.
func missing(op, field string, resp *http.Response) error {
	return fmt.Errorf("wrapper: %s: decode response: missing %q (status %d, content type %q)",
		op, field, resp.StatusCode, resp.Header.Get("Content-Type"))
}

// idRoute is a body-less operation on /…/{uuid}, derived once from the
// generated api builder so that a call does not re-parse the base URL,
// resolve the path and reflect over the parameter on every request. The
// method and path still come from package api; only the id is spliced in.
type idRoute struct {
	method         string
	prefix, suffix string
}

func newIDRoute(base string, build func(string, uuid.UUID) (*http.Request, error)) (idRoute, error) {
	req, err := build(base, uuid.Nil)
	if err != nil {
		return idRoute{}, err
	}
	u := req.URL.String()
	i := strings.Index(u, uuid.Nil.String())
	if i < 0 {
		return idRoute{}, fmt.Errorf("wrapper: no id in %s", u)
	}
	return idRoute{method: req.Method, prefix: u[:i], suffix: u[i+len(uuid.Nil.String()):]}, nil
}

func (r idRoute) request(ctx context.Context, id uuid.UUID) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, r.method, r.prefix+id.String()+r.suffix, nil)
}

// routes holds the idRoutes of the client.
type routes struct {
	getClient, deleteClient, getGrant, revokeGrant idRoute
}

func buildRoutes(base string) (routes, error) {
	var rs routes
	for _, x := range []struct {
		dst   *idRoute
		build func(string, uuid.UUID) (*http.Request, error)
	}{
		{&rs.getClient, api.NewGetOAuthClientRequest},
		{&rs.deleteClient, api.NewDeleteOAuthClientRequest},
		{&rs.getGrant, api.NewGetOAuthGrantRequest},
		{&rs.revokeGrant, api.NewRevokeOAuthGrantRequest},
	} {
		r, err := newIDRoute(base, x.build)
		if err != nil {
			return rs, err
		}
		*x.dst = r
	}
	return rs, nil
}
