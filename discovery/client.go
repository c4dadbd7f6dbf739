package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// DefaultTTL is how long fetched metadata is reused by default.
const DefaultTTL = 15 * time.Minute

// maxMetadataBytes bounds a metadata document read from the network.
const maxMetadataBytes = 1 << 20

// Client fetches, validates and caches authorization-server and
// protected-resource metadata. It is safe for concurrent use.
type Client struct {
	http *http.Client
	ttl  time.Duration
	now  func() time.Time

	mu    sync.Mutex
	cache map[string]cacheEntry
}

type cacheEntry struct {
	as      *AuthorizationServer
	pr      *ProtectedResource
	expires time.Time
}

// Option configures a [Client].
type Option func(*Client) error

// WithHTTPClient sets the HTTP client (default [http.DefaultClient]); it is
// used as given and never modified.
func WithHTTPClient(c *http.Client) Option {
	return func(cl *Client) error {
		if c == nil {
			return errors.New("discovery: nil HTTP client")
		}
		cl.http = c
		return nil
	}
}

// WithTTL sets how long validated metadata is reused (default
// [DefaultTTL]); zero turns caching off. Failures are never cached.
func WithTTL(d time.Duration) Option {
	return func(cl *Client) error {
		if d < 0 {
			return errors.New("discovery: negative TTL")
		}
		cl.ttl = d
		return nil
	}
}

// WithClock sets the source of the current time, for tests.
func WithClock(now func() time.Time) Option {
	return func(cl *Client) error {
		if now == nil {
			return errors.New("discovery: nil clock")
		}
		cl.now = now
		return nil
	}
}

// New returns a discovery client.
func New(opts ...Option) (*Client, error) {
	c := &Client{http: http.DefaultClient, ttl: DefaultTTL, now: time.Now, cache: map[string]cacheEntry{}}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("discovery: nil option")
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// AuthorizationServer fetches GET {host}/.well-known/oauth-authorization-server{path}
// for issuer (RFC 8414 section 3) and checks that its issuer is exactly
// issuer ([ErrIssuerMismatch] otherwise).
func (c *Client) AuthorizationServer(ctx context.Context, issuer string) (*AuthorizationServer, error) {
	u, err := AuthorizationServerMetadataURL(issuer)
	if err != nil {
		return nil, err
	}
	key := "as\x00" + issuer
	if e, ok := c.cached(key); ok {
		return e.as.clone(), nil
	}
	var md api.AuthorizationServerMetadata
	if err := c.get(ctx, u, &md); err != nil {
		return nil, err
	}
	as, err := newAuthorizationServer(issuer, md)
	if err != nil {
		return nil, err
	}
	c.store(key, cacheEntry{as: as})
	return as.clone(), nil
}

// ProtectedResource fetches GET {host}/.well-known/oauth-protected-resource{path}
// for resource (RFC 9728 section 3) and checks that its resource is exactly
// resource ([ErrResourceMismatch] otherwise).
func (c *Client) ProtectedResource(ctx context.Context, resource string) (*ProtectedResource, error) {
	u, err := ProtectedResourceMetadataURL(resource)
	if err != nil {
		return nil, err
	}
	return c.ProtectedResourceAt(ctx, u, resource)
}

// ProtectedResourceAt fetches protected-resource metadata from metadataURL,
// such as the resource_metadata of a 401's WWW-Authenticate header, and
// checks that its resource is exactly resource, the resource the caller
// was accessing (RFC 9728 section 3.3), [ErrResourceMismatch] otherwise.
func (c *Client) ProtectedResourceAt(ctx context.Context, metadataURL, resource string) (*ProtectedResource, error) {
	if _, err := parseIdentifier(resource); err != nil {
		return nil, err
	}
	if err := checkEndpoint("metadata URL", metadataURL); err != nil {
		return nil, err
	}
	key := "pr\x00" + metadataURL + "\x00" + resource
	if e, ok := c.cached(key); ok {
		return e.pr.clone(), nil
	}
	var md api.ResourceMetadata
	if err := c.get(ctx, metadataURL, &md); err != nil {
		return nil, err
	}
	pr, err := newProtectedResource(resource, md)
	if err != nil {
		return nil, err
	}
	c.store(key, cacheEntry{pr: pr})
	return pr.clone(), nil
}

// Forget drops every cached document.
func (c *Client) Forget() {
	c.mu.Lock()
	clear(c.cache)
	c.mu.Unlock()
}

func (c *Client) cached(key string) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cache[key]
	if !ok {
		return e, false
	}
	if !c.now().Before(e.expires) {
		delete(c.cache, key)
		return e, false
	}
	return e, true
}

func (c *Client) store(key string, e cacheEntry) {
	if c.ttl == 0 {
		return
	}
	e.expires = c.now().Add(c.ttl)
	c.mu.Lock()
	c.cache[key] = e
	c.mu.Unlock()
}

func (c *Client) get(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBytes+1))
	if err != nil {
		return fmt.Errorf("discovery: reading %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		se := &StatusError{URL: u, StatusCode: resp.StatusCode}
		var oe struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &oe) == nil {
			se.Code = oe.Error
		}
		return se
	}
	if len(body) > maxMetadataBytes {
		return fmt.Errorf("%w: %s is larger than %d bytes", ErrInvalidMetadata, u, maxMetadataBytes)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalidMetadata, u, err)
	}
	return nil
}
