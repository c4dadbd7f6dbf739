package agent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
)

// wellKnownPrefix is where RFC 9728 protected-resource metadata lives.
const wellKnownPrefix = "/.well-known/" + discovery.ProtectedResourceSuffix

// ConnectFromChallenge runs the chain from a 401 answer: it reads the
// resource_metadata of the answer's Bearer challenge (RFC 9728 section
// 5.1), fetches that document and checks its resource, then continues as
// [Connect]. The expected resource is [WithResource], or the metadata URL
// with the well-known part removed, or the origin of the refused request;
// and it must cover the refused request's URL (same origin, a path prefix),
// or the error matches [ErrResourceMismatch]. Without [WithScope] the
// challenge's scope is used. A challenge without resource_metadata falls
// back to the well-known metadata of the request's origin.
//
// resp must be the answer of a request made through an http.Client, so
// that resp.Request is set; its body is not read.
func ConnectFromChallenge(ctx context.Context, resp *http.Response, opts ...Option) (*Connection, error) {
	if resp == nil {
		return nil, errors.New("agent: nil response")
	}
	cfg, err := newConfigLax(opts)
	if err != nil {
		return nil, err
	}
	ch, err := discovery.ParseBearerChallenge(resp.Header)
	if err != nil {
		return nil, fmt.Errorf("agent: %d answer: %w", resp.StatusCode, err)
	}
	if cfg.scope == "" {
		cfg.scope = strings.Join(ch.Scopes(), " ")
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	var reqURL *url.URL
	if resp.Request != nil && resp.Request.URL != nil {
		reqURL = resp.Request.URL
	}
	metadataURL := ch.ResourceMetadata
	if metadataURL == "" {
		if reqURL == nil {
			return nil, ErrNoResourceMetadata
		}
		metadataURL = origin(reqURL) + wellKnownPrefix
	}
	resource, err := cfg.expectedResource(metadataURL, reqURL)
	if err != nil {
		return nil, err
	}
	if reqURL != nil && !covers(resource, reqURL) {
		return nil, fmt.Errorf("%w: resource %s does not cover the refused URL %s", ErrResourceMismatch, resource, origin(reqURL)+reqURL.EscapedPath())
	}
	dc, err := discovery.New(discovery.WithHTTPClient(cfg.httpClient))
	if err != nil {
		return nil, err
	}
	pr, err := dc.ProtectedResourceAt(ctx, metadataURL, resource)
	if err != nil {
		return nil, fmt.Errorf("agent: protected resource metadata %s: %w", metadataURL, err)
	}
	return cfg.connect(ctx, dc, pr)
}

// expectedResource is the resource identifier the metadata must name.
func (c *config) expectedResource(metadataURL string, reqURL *url.URL) (string, error) {
	if c.resource != "" {
		return c.resource, nil
	}
	u, err := url.Parse(metadataURL)
	if err != nil || !u.IsAbs() {
		return "", fmt.Errorf("agent: resource_metadata %q is not an absolute URL", metadataURL)
	}
	if rest, ok := strings.CutPrefix(u.EscapedPath(), wellKnownPrefix); ok && (rest == "" || rest[0] == '/') && u.RawQuery == "" {
		return origin(u) + rest, nil
	}
	if reqURL == nil {
		return "", errors.New("agent: cannot tell the resource of a non-well-known resource_metadata URL; use WithResource")
	}
	return origin(reqURL), nil
}

// covers reports whether the resource identifier covers u: same scheme and
// host, and u's path is the resource's path or below it.
func covers(resource string, u *url.URL) bool {
	r, err := url.Parse(resource)
	if err != nil || !strings.EqualFold(r.Scheme, u.Scheme) || !strings.EqualFold(r.Host, u.Host) {
		return false
	}
	rp := strings.TrimSuffix(r.EscapedPath(), "/")
	p := u.EscapedPath()
	return rp == "" || p == rp || strings.HasPrefix(p, rp+"/")
}

func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }
