package verify

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// Introspector asks an authorization server about a token (RFC 7662).
// Implementations must not put the token in errors or logs.
type Introspector interface {
	// Introspect returns the server's answer about token; an inactive
	// token is an answer with Active false, not an error.
	Introspect(ctx context.Context, token string) (*Introspection, error)
}

// IntrospectorFunc adapts a function to [Introspector].
type IntrospectorFunc func(ctx context.Context, token string) (*Introspection, error)

// Introspect calls f.
func (f IntrospectorFunc) Introspect(ctx context.Context, token string) (*Introspection, error) {
	return f(ctx, token)
}

// Introspection is an introspection answer (RFC 7662 section 2.2). Only
// Active is meaningful for an inactive token.
type Introspection struct {
	Active    bool      // active
	Scope     string    // scope, space-separated
	ClientID  string    // client_id
	Subject   string    // sub
	Issuer    string    // iss
	Audience  []string  // aud, a string or an array on the wire
	JWTID     string    // jti
	TokenType string    // token_type
	Expiry    time.Time // exp; zero when absent
	IssuedAt  time.Time // iat; zero when absent
	NotBefore time.Time // nbf; zero when absent
	// Raw holds every member of the answer as decoded from JSON.
	Raw map[string]any
}

// maxIntrospectBytes bounds an introspection answer read from the network.
const maxIntrospectBytes = 1 << 20

// HTTPIntrospector calls an RFC 7662 introspection endpoint, such as
// Telnyx's POST /v2/oauth/introspect, authenticating with HTTP Basic
// (client_secret_basic), with the id and secret form-urlencoded first (RFC
// 6749 section 2.3.1).
type HTTPIntrospector struct {
	endpoint     *url.URL
	clientID     string
	clientSecret string
	client       *http.Client
}

// NewHTTPIntrospector returns an introspector for the endpoint (an absolute
// URL, e.g. the discovered introspection_endpoint) that authenticates as
// clientID with clientSecret. A nil httpClient means [http.DefaultClient].
// The introspector sends through a copy of httpClient that does not follow
// redirects; a redirect is an error.
func NewHTTPIntrospector(endpoint, clientID, clientSecret string, httpClient *http.Client) (*HTTPIntrospector, error) {
	if err := checkURL(endpoint); err != nil {
		return nil, fmt.Errorf("verify: introspection endpoint: %w", err)
	}
	if clientID == "" || clientSecret == "" {
		return nil, errors.New("verify: introspection needs a client id and a client secret")
	}
	u, _ := url.Parse(endpoint)
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	// A copy that never follows redirects: a 307 or 308 would resend the
	// form body, the token itself, to wherever the answer points.
	hc := *httpClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &HTTPIntrospector{endpoint: u, clientID: clientID, clientSecret: clientSecret, client: &hc}, nil
}

// Format implements [fmt.Formatter] so that printing an introspector with
// any verb (%v, %+v, %#v, ...) names its endpoint and client but never the
// client secret.
func (h HTTPIntrospector) Format(f fmt.State, _ rune) {
	var ep string
	if h.endpoint != nil {
		ep = h.endpoint.Redacted()
	}
	fmt.Fprintf(f, "verify.HTTPIntrospector{endpoint: %s, client_id: %s}", ep, h.clientID)
}

// Introspect sends POST {endpoint} with the form body token=... and
// decodes the answer.
func (h *HTTPIntrospector) Introspect(ctx context.Context, token string) (*Introspection, error) {
	// The generated builder encodes the body; the URL is the configured
	// endpoint, which need not end in /oauth/introspect.
	req, err := api.NewIntrospectOAuthTokenRequestWithFormdataBody(h.endpoint.String(), api.IntrospectRequest{Token: token})
	if err != nil {
		return nil, errors.New("verify: building introspection request")
	}
	req = req.WithContext(ctx)
	req.URL = new(url.URL)
	*req.URL = *h.endpoint
	req.Host = h.endpoint.Host
	// RFC 6749 section 2.3.1: both are form-urlencoded before Basic.
	req.SetBasicAuth(url.QueryEscape(h.clientID), url.QueryEscape(h.clientSecret))
	req.Header.Set("Accept", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("verify: introspection request to %s: %w", h.endpoint.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxIntrospectBytes))
	if err != nil {
		return nil, fmt.Errorf("verify: reading introspection answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var oe struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &oe)
		return nil, fmt.Errorf("verify: introspection endpoint answered %d %s", resp.StatusCode, oe.Error)
	}
	return decodeIntrospection(body)
}

func decodeIntrospection(body []byte) (*Introspection, error) {
	// aud is one string or an array of strings (RFC 7662 section 2.2);
	// the outer field shadows the generated single-string one.
	var r struct {
		api.IntrospectResponse
		Aud any `json:"aud"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("verify: decoding introspection answer: %w", err)
	}
	in := &Introspection{Active: r.Active}
	if err := json.Unmarshal(body, &in.Raw); err != nil {
		return nil, fmt.Errorf("verify: decoding introspection answer: %w", err)
	}
	if !r.Active {
		return in, nil
	}
	in.Scope, in.ClientID, in.Subject = deref(r.Scope), deref(r.ClientID), deref(r.Sub)
	in.Issuer, in.JWTID, in.TokenType = deref(r.Iss), deref(r.Jti), deref(r.TokenType)
	aud, ok := audienceClaim(r.Aud)
	if !ok {
		return nil, errors.New("verify: decoding introspection answer: aud is not a string or an array of strings")
	}
	in.Audience = aud
	in.Expiry, in.IssuedAt, in.NotBefore = unixTime(r.Exp), unixTime(r.Iat), unixTime(r.Nbf)
	return in, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func unixTime(n *int) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(int64(*n), 0)
}

// introspect asks the introspector about token, through the positive
// cache, and checks the answer like a JWT's claims: iss and aud when the
// answer has them, exp, nbf and iat.
func (v *Verifier) introspect(ctx context.Context, token string) (*Claims, error) {
	key := sha256.Sum256([]byte(token))
	now := v.now()
	if c, ok := v.cache.get(key, now); ok {
		return c, nil
	}
	in, err := v.intro.Introspect(ctx, token)
	if err != nil {
		return nil, fmt.Errorf("verify: introspection: %w", err)
	}
	if in == nil {
		return nil, errors.New("verify: introspection: no answer")
	}
	if !in.Active {
		return nil, errorf(ErrInactive, "introspection says inactive")
	}
	c := &Claims{
		Issuer: in.Issuer, Subject: in.Subject, Audience: in.Audience,
		Expiry: in.Expiry, NotBefore: in.NotBefore, IssuedAt: in.IssuedAt,
		JWTID: in.JWTID, ClientID: in.ClientID, Scope: in.Scope,
		Introspected: true, Raw: in.Raw,
	}
	if v.issuer != "" && c.Issuer != "" && c.Issuer != v.issuer {
		return nil, errorf(ErrWrongIssuer, "iss %q", c.Issuer)
	}
	if len(v.audiences) > 0 && len(c.Audience) > 0 &&
		!slices.ContainsFunc(c.Audience, func(a string) bool { return slices.Contains(v.audiences, a) }) {
		return nil, errorf(ErrWrongAudience, "aud %q", c.Audience)
	}
	if err := v.checkTimes(c, now); err != nil {
		return nil, err
	}
	v.cache.put(key, c, now)
	return c, nil
}

// introCache is a bounded cache of positive introspection answers, keyed
// by the SHA-256 of the token so that no token is held in memory. Entries
// live for ttl, never past the token's exp, and the oldest is evicted when
// the cache is full. A nil *introCache caches nothing.
type introCache struct {
	ttl time.Duration
	max int

	mu    sync.Mutex
	byKey map[[32]byte]*list.Element
	order *list.List // of *introEntry, oldest first
}

type introEntry struct {
	key     [32]byte
	claims  *Claims
	expires time.Time
}

func newIntroCache(ttl time.Duration, maxEntries int) *introCache {
	return &introCache{ttl: ttl, max: maxEntries, byKey: map[[32]byte]*list.Element{}, order: list.New()}
}

func (c *introCache) get(key [32]byte, now time.Time) (*Claims, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*introEntry)
	if !now.Before(e.expires) {
		c.order.Remove(el)
		delete(c.byKey, key)
		return nil, false
	}
	cp := *e.claims
	return &cp, true
}

func (c *introCache) put(key [32]byte, claims *Claims, now time.Time) {
	if c == nil {
		return
	}
	expires := now.Add(c.ttl)
	if !claims.Expiry.IsZero() && claims.Expiry.Before(expires) {
		expires = claims.Expiry
	}
	cp := *claims
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.Remove(el)
		delete(c.byKey, key)
	}
	for c.order.Len() >= c.max {
		old := c.order.Front()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*introEntry).key)
	}
	c.byKey[key] = c.order.PushBack(&introEntry{key: key, claims: &cp, expires: expires})
}

// len reports the number of entries, for tests.
func (c *introCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
