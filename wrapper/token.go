package wrapper

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// TokenStore persists tokens between runs. Load returns (nil, nil) when
// nothing is stored. Save is called with every token the client obtains,
// including rotated refresh tokens.
type TokenStore interface {
	// Load returns the stored token, or (nil, nil) when there is none.
	Load(ctx context.Context) (*oauth2.Token, error)
	// Save stores tok, replacing any stored token.
	Save(ctx context.Context, tok *oauth2.Token) error
}

// fetchTimeout bounds one shared token fetch, which runs detached from the
// contexts of the callers waiting for it.
const fetchTimeout = 30 * time.Second

// tokenManager caches one access token and makes sure at most one fetch is
// in flight. No lock is held across network I/O: the first caller to find
// the cache stale starts a fetch in its own goroutine, and every caller
// waits on that fetch or on its own context, whichever ends first.
type tokenManager struct {
	fetch  func(context.Context) (*oauth2.Token, error)
	store  TokenStore
	leeway time.Duration
	now    func() time.Time
	log    *slog.Logger // nil: store failures are not reported

	mu       sync.Mutex
	tok      *oauth2.Token
	loaded   bool
	inflight *flight
}

type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func newTokenManager(fetch func(context.Context) (*oauth2.Token, error), store TokenStore, leeway time.Duration, now func() time.Time, log *slog.Logger) *tokenManager {
	return &tokenManager{fetch: fetch, store: store, leeway: leeway, now: now, log: log}
}

// fresh reports whether tok is usable for at least the leeway. The leeway
// is at most half the token's lifetime: a token issued for less than the
// leeway would otherwise be stale on arrival and every call would fetch a
// new one.
func (m *tokenManager) fresh(tok *oauth2.Token) bool {
	if tok == nil || tok.AccessToken == "" {
		return false
	}
	leeway := m.leeway
	if tok.ExpiresIn > 0 {
		leeway = min(leeway, time.Duration(tok.ExpiresIn)*time.Second/2)
	}
	return tok.Expiry.IsZero() || m.now().Add(leeway).Before(tok.Expiry)
}

// token returns a cached token or waits for the shared fetch.
func (m *tokenManager) token(ctx context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	if m.fresh(m.tok) {
		t := m.tok
		m.mu.Unlock()
		return t, nil
	}
	f := m.inflight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		m.inflight = f
		go m.run(context.WithoutCancel(ctx), f)
	}
	m.mu.Unlock()
	select {
	case <-f.done:
		if f.err != nil {
			// A refresh ahead of expiry failed: the cached token still
			// works until it expires, so keep using it.
			if t := m.unexpired(); t != nil {
				return t, nil
			}
		}
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// unexpired returns the cached token if it has not expired yet, leeway
// aside; a token dropped after a 401 is gone and never comes back here.
func (m *tokenManager) unexpired() *oauth2.Token {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.tok; t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || m.now().Before(t.Expiry)) {
		return t
	}
	return nil
}

func (m *tokenManager) run(ctx context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	tok, err := m.loadOrFetch(ctx)
	m.mu.Lock()
	if err == nil {
		m.tok = tok
	}
	m.inflight = nil
	m.mu.Unlock()
	f.tok, f.err = tok, err
	close(f.done)
}

func (m *tokenManager) loadOrFetch(ctx context.Context) (*oauth2.Token, error) {
	if m.store != nil && !m.loaded {
		m.loaded = true // only the single flight touches this
		if tok, err := m.store.Load(ctx); err == nil && m.fresh(tok) {
			return tok, nil
		}
	}
	tok, err := m.fetch(ctx)
	if err != nil {
		return nil, err
	}
	// A token the store failed to keep is still good for this process, so
	// the caller gets it; the failure is reported, never the token.
	if m.store != nil {
		if err := m.store.Save(ctx, tok); err != nil && m.log != nil {
			m.log.WarnContext(ctx, "wrapper: token store save failed", "error", err)
		}
	}
	return tok, nil
}

// invalidate drops the cached token if it is still the one given.
func (m *tokenManager) invalidate(access string) {
	m.mu.Lock()
	if m.tok != nil && m.tok.AccessToken == access {
		m.tok = nil
	}
	m.mu.Unlock()
}

// TokenSource returns the client's tokens as an [oauth2.TokenSource]: the
// cached client-credentials token, the configured token source, or a static
// token for an API key. It returns nil when the client has no credentials.
func (c *Client) TokenSource() oauth2.TokenSource {
	switch {
	case c.tokens != nil:
		return managerSource{c.tokens}
	case c.cfg.tokenSource != nil:
		return c.cfg.tokenSource
	case c.cfg.apiKey != nil:
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: *c.cfg.apiKey, TokenType: "Bearer"})
	}
	return nil
}

type managerSource struct{ m *tokenManager }

// Token implements oauth2.TokenSource.
func (s managerSource) Token() (*oauth2.Token, error) { return s.m.token(context.Background()) }

// toOAuth2 converts a token response, stamping the expiry with now.
func toOAuth2(access, typ string, expiresIn int, refresh, scope *string, now time.Time) *oauth2.Token {
	t := &oauth2.Token{AccessToken: access, TokenType: typ, ExpiresIn: int64(expiresIn)}
	if expiresIn > 0 {
		t.Expiry = now.Add(time.Duration(expiresIn) * time.Second)
	}
	if refresh != nil {
		t.RefreshToken = *refresh
	}
	if scope != nil {
		t = t.WithExtra(map[string]any{"scope": *scope})
	}
	return t
}
