package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// maxJWKSBytes bounds the JWKS document read from the network.
const maxJWKSBytes = 1 << 20

// errRateLimited is returned internally when an unknown key id may not
// trigger a refetch yet.
var errRateLimited = errors.New("verify: JWKS refetch rate-limited")

// KeySet is a cache of the public keys published at a JWKS URL.
//
// A fetched set is kept for the response's Cache-Control max-age, clamped
// to the configured minimum and maximum ([WithCacheTTL]). A key id that is
// not in the set triggers a refetch, at most once per [WithRefetchInterval].
// When a refetch fails the last good set keeps serving (stale-if-error) and
// the next try waits for the refetch interval. Fetches are single-flight:
// callers that need keys while a fetch runs wait for that fetch, and a
// caller whose context ends stops waiting without cancelling the fetch.
//
// A KeySet is safe for concurrent use and may be shared by verifiers.
type KeySet struct {
	url string
	cfg keySetConfig

	snap atomic.Pointer[snapshot]

	mu         sync.Mutex
	inflight   *fetchCall
	lastForced time.Time // last refetch caused by an unknown key id
	retryAt    time.Time // after a failed fetch, no scheduled retry before
	lastErr    error
}

type snapshot struct {
	byKID   map[string]*publicKey
	all     []*publicKey
	expires time.Time
}

// publicKey is one parsed JWK, kept in the form go-jose verifies with.
type publicKey struct {
	kid, alg, use string
	key           any
}

type fetchCall struct {
	done chan struct{}
	snap *snapshot
	err  error
}

// NewKeySet returns a key set that fetches jwksURL (an absolute http or
// https URL) on first use.
func NewKeySet(jwksURL string, opts ...KeySetOption) (*KeySet, error) {
	if err := checkURL(jwksURL); err != nil {
		return nil, fmt.Errorf("verify: JWKS URL: %w", err)
	}
	cfg := defaultKeySetConfig()
	for _, o := range opts {
		if err := o.applyKeySet(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &KeySet{url: jwksURL, cfg: cfg}, nil
}

// NewStaticKeySet returns a key set holding the keys of a JWKS document
// (for pinned keys and tests). It never fetches and never expires.
func NewStaticKeySet(jwks []byte) (*KeySet, error) {
	s, err := parseJWKS(jwks, nil)
	if err != nil {
		return nil, err
	}
	s.expires = time.Unix(1<<40, 0)
	ks := &KeySet{cfg: defaultKeySetConfig()}
	ks.snap.Store(s)
	return ks, nil
}

// URL returns the JWKS URL, or "" for a static key set.
func (ks *KeySet) URL() string { return ks.url }

// Refresh fetches the JWKS now (joining a fetch already running) and
// reports whether that succeeded. The last good keys stay in use on error.
func (ks *KeySet) Refresh(ctx context.Context) error {
	if ks.url == "" {
		return nil
	}
	ks.mu.Lock()
	_, err := ks.startOrJoinLocked(ctx)
	return err
}

// lookup returns the keys that may have signed a token with key id kid: the
// one key with that id, or every key when kid is empty.
func (ks *KeySet) lookup(ctx context.Context, kid string) ([]*publicKey, error) {
	snap := ks.snap.Load()
	fetched := false
	if snap == nil || !ks.cfg.now().Before(snap.expires) {
		s, err := ks.refresh(ctx, false)
		switch {
		case err == nil:
			snap, fetched = s, true
		case snap == nil:
			return nil, err
		}
	}
	if kid == "" {
		return snap.all, nil
	}
	if k, ok := snap.byKID[kid]; ok {
		return []*publicKey{k}, nil
	}
	if !fetched && ks.url != "" {
		s, err := ks.refresh(ctx, true)
		if err == nil {
			if k, ok := s.byKID[kid]; ok {
				return []*publicKey{k}, nil
			}
		}
	}
	return nil, errorf(ErrUnknownKey, "no key with id %q", kid)
}

// refresh fetches (or joins a fetch of) the key set. forced marks a refetch
// caused by an unknown key id, which is rate-limited; a scheduled refresh
// returns a set another caller already refreshed, and after a failure
// waits out the refetch interval.
func (ks *KeySet) refresh(ctx context.Context, forced bool) (*snapshot, error) {
	if ks.url == "" {
		return nil, errors.New("verify: static key set")
	}
	ks.mu.Lock()
	if ks.inflight == nil {
		now := ks.cfg.now()
		if forced {
			if !ks.lastForced.IsZero() && now.Sub(ks.lastForced) < ks.cfg.refetchInterval {
				ks.mu.Unlock()
				return nil, errRateLimited
			}
			ks.lastForced = now
		} else {
			if s := ks.snap.Load(); s != nil && now.Before(s.expires) {
				ks.mu.Unlock()
				return s, nil
			}
			if now.Before(ks.retryAt) {
				err := ks.lastErr
				ks.mu.Unlock()
				return nil, err
			}
		}
	}
	return ks.startOrJoinLocked(ctx)
}

// startOrJoinLocked is called with ks.mu held and releases it. It starts a
// fetch unless one is running, then waits for it or for ctx.
func (ks *KeySet) startOrJoinLocked(ctx context.Context) (*snapshot, error) {
	c := ks.inflight
	if c == nil {
		c = &fetchCall{done: make(chan struct{})}
		ks.inflight = c
		go ks.run(context.WithoutCancel(ctx), c)
	}
	ks.mu.Unlock()
	select {
	case <-c.done:
		return c.snap, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (ks *KeySet) run(ctx context.Context, c *fetchCall) {
	ctx, cancel := context.WithTimeout(ctx, ks.cfg.fetchTimeout)
	defer cancel()
	c.snap, c.err = ks.fetch(ctx)
	ks.mu.Lock()
	if c.err != nil {
		ks.retryAt = ks.cfg.now().Add(ks.cfg.refetchInterval)
		ks.lastErr = c.err
		ks.cfg.logger.LogAttrs(ctx, slogWarn, "verify: JWKS fetch failed; the last good keys stay in use",
			attrURL(ks.url), attrErr(c.err))
	} else {
		ks.snap.Store(c.snap)
		ks.retryAt, ks.lastErr = time.Time{}, nil
	}
	ks.inflight = nil
	ks.mu.Unlock()
	close(c.done)
}

func (ks *KeySet) fetch(ctx context.Context) (*snapshot, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ks.url, nil)
	if err != nil {
		return nil, fmt.Errorf("verify: JWKS request: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := ks.cfg.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("verify: fetching JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJWKSBytes))
		return nil, fmt.Errorf("verify: fetching JWKS %s: status %d", ks.url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("verify: reading JWKS: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("verify: JWKS larger than %d bytes", maxJWKSBytes)
	}
	s, err := parseJWKS(body, ks)
	if err != nil {
		return nil, err
	}
	ttl := ks.ttl(resp.Header)
	s.expires = ks.cfg.now().Add(ttl)
	ks.cfg.logger.LogAttrs(ctx, slogDebug, "verify: fetched JWKS", attrURL(ks.url),
		attrInt("keys", len(s.all)), attrDur("ttl", ttl))
	return s, nil
}

// ttl is the response's max-age (zero for no-store or no-cache, the default
// when absent) clamped to the configured bounds.
func (ks *KeySet) ttl(h http.Header) time.Duration {
	ttl, ok := maxAge(h.Values("Cache-Control"))
	if !ok {
		ttl = ks.cfg.defaultTTL
	}
	return min(max(ttl, ks.cfg.minTTL), ks.cfg.maxTTL)
}

func maxAge(values []string) (time.Duration, bool) {
	var age time.Duration
	found := false
	for _, v := range values {
		for d := range strings.SplitSeq(v, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "no-store", "no-cache":
				return 0, true
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64)
				if err == nil && n >= 0 && !found {
					age, found = time.Duration(min(n, 1<<32))*time.Second, true
				}
			}
		}
	}
	return age, found
}

// parseJWKS decodes a JWKS, skipping keys go-jose cannot parse, symmetric
// keys and repeated key ids. ks, when not nil, receives log lines.
func parseJWKS(body []byte, ks *KeySet) (*snapshot, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("verify: decoding JWKS: %w", err)
	}
	if doc.Keys == nil {
		return nil, errors.New("verify: JWKS has no keys member")
	}
	s := &snapshot{byKID: make(map[string]*publicKey, len(doc.Keys))}
	for i, raw := range doc.Keys {
		k, err := parseKey(raw)
		if err != nil {
			if ks != nil {
				ks.cfg.logger.LogAttrs(context.Background(), slogWarn, "verify: skipping JWK",
					attrURL(ks.url), attrInt("index", i), attrErr(err))
			}
			continue
		}
		if k.kid != "" {
			if _, dup := s.byKID[k.kid]; dup {
				continue
			}
			s.byKID[k.kid] = k
		}
		s.all = append(s.all, k)
	}
	return s, nil
}

func parseKey(raw json.RawMessage) (*publicKey, error) {
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	if !jwk.Valid() {
		return nil, errors.New("invalid key")
	}
	if !jwk.IsPublic() {
		pub := jwk.Public()
		if pub.Key == nil {
			return nil, errors.New("symmetric key")
		}
		jwk = pub
	}
	return &publicKey{kid: jwk.KeyID, alg: jwk.Algorithm, use: jwk.Use, key: jwk.Key}, nil
}
