package verify

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
)

// Option configures a [Verifier] built by [New].
type Option interface {
	applyVerifier(*verifierConfig) error
}

// KeySetOption configures a [KeySet] built by [NewKeySet]. Every
// KeySetOption is also an [Option]: given to [New] together with
// [WithJWKSURL], it configures the key set the verifier builds.
type KeySetOption interface {
	Option
	applyKeySet(*keySetConfig) error
}

type verifierOption func(*verifierConfig) error

func (f verifierOption) applyVerifier(c *verifierConfig) error { return f(c) }

type keySetOption func(*keySetConfig) error

func (f keySetOption) applyKeySet(c *keySetConfig) error { return f(c) }

func (f keySetOption) applyVerifier(c *verifierConfig) error {
	c.keySetOpts++
	return f(&c.keySet)
}

// Defaults for the key set cache and the verifier.
const (
	DefaultMinCacheTTL     = time.Minute
	DefaultMaxCacheTTL     = 24 * time.Hour
	DefaultCacheTTL        = 15 * time.Minute
	DefaultRefetchInterval = time.Minute
	DefaultFetchTimeout    = 10 * time.Second
	DefaultLeeway          = 30 * time.Second
	DefaultIntrospectTTL   = 10 * time.Second
	DefaultIntrospectMax   = 1024
)

type keySetConfig struct {
	client          *http.Client
	now             func() time.Time
	minTTL, maxTTL  time.Duration
	defaultTTL      time.Duration
	refetchInterval time.Duration
	fetchTimeout    time.Duration
	logger          *slog.Logger
}

func defaultKeySetConfig() keySetConfig {
	return keySetConfig{
		client:          http.DefaultClient,
		now:             time.Now,
		minTTL:          DefaultMinCacheTTL,
		maxTTL:          DefaultMaxCacheTTL,
		defaultTTL:      DefaultCacheTTL,
		refetchInterval: DefaultRefetchInterval,
		fetchTimeout:    DefaultFetchTimeout,
		logger:          slog.New(slog.DiscardHandler),
	}
}

func (c *keySetConfig) check() error {
	if c.minTTL > c.maxTTL {
		return fmt.Errorf("verify: minimum cache lifetime %v exceeds maximum %v", c.minTTL, c.maxTTL)
	}
	return nil
}

// WithHTTPClient sets the client used to fetch the JWKS. The client is used
// as given and never modified. The default is [http.DefaultClient].
func WithHTTPClient(c *http.Client) KeySetOption {
	return keySetOption(func(cfg *keySetConfig) error {
		if c == nil {
			return errors.New("verify: nil HTTP client")
		}
		cfg.client = c
		return nil
	})
}

// WithClock sets the source of the current time, for tests. It governs the
// key set cache, the claim checks and the introspection cache.
func WithClock(now func() time.Time) KeySetOption {
	return keySetOption(func(cfg *keySetConfig) error {
		if now == nil {
			return errors.New("verify: nil clock")
		}
		cfg.now = now
		return nil
	})
}

// WithCacheTTL sets the bounds for how long a fetched JWKS is used before it
// is fetched again: the Cache-Control max-age of the response, or def when
// the response has none, clamped to [min, max]. The defaults are
// [DefaultMinCacheTTL], [DefaultCacheTTL] and [DefaultMaxCacheTTL].
func WithCacheTTL(minTTL, def, maxTTL time.Duration) KeySetOption {
	return keySetOption(func(cfg *keySetConfig) error {
		if minTTL < 0 || def < 0 || maxTTL <= 0 {
			return errors.New("verify: cache lifetimes must not be negative and the maximum must be positive")
		}
		if minTTL > maxTTL {
			return fmt.Errorf("verify: minimum cache lifetime %v exceeds maximum %v", minTTL, maxTTL)
		}
		cfg.minTTL, cfg.defaultTTL, cfg.maxTTL = minTTL, def, maxTTL
		return nil
	})
}

// WithRefetchInterval sets how often, at most, a token with an unknown key
// id may trigger a refetch of the JWKS. A fetch that fails also waits this
// long before the next try while the last good keys keep serving. The
// default is [DefaultRefetchInterval].
func WithRefetchInterval(d time.Duration) KeySetOption {
	return keySetOption(func(cfg *keySetConfig) error {
		if d <= 0 {
			return errors.New("verify: refetch interval must be positive")
		}
		cfg.refetchInterval = d
		return nil
	})
}

// WithFetchTimeout bounds one JWKS fetch. The fetch runs apart from any
// caller's context, so that a caller giving up does not fail the others
// waiting for it. The default is [DefaultFetchTimeout].
func WithFetchTimeout(d time.Duration) KeySetOption {
	return keySetOption(func(cfg *keySetConfig) error {
		if d <= 0 {
			return errors.New("verify: fetch timeout must be positive")
		}
		cfg.fetchTimeout = d
		return nil
	})
}

// WithLogger sets the logger for key set refreshes and failures. Log lines
// carry URLs and key ids, never tokens. The default discards.
func WithLogger(l *slog.Logger) KeySetOption {
	return keySetOption(func(cfg *keySetConfig) error {
		if l == nil {
			return errors.New("verify: nil logger")
		}
		cfg.logger = l
		return nil
	})
}

// IntrospectionMode says when the verifier asks the introspection endpoint.
type IntrospectionMode int

const (
	// IntrospectOpaque introspects only tokens that are not JWTs.
	IntrospectOpaque IntrospectionMode = iota + 1
	// IntrospectAlways introspects every token, JWTs after their local
	// checks pass, so that a revoked grant is refused.
	IntrospectAlways
)

type verifierConfig struct {
	issuer     string
	audiences  []string
	jwksURL    string
	keys       *KeySet
	algs       []string
	leeway     time.Duration
	intro      Introspector
	introMode  IntrospectionMode
	introTTL   time.Duration
	introMax   int
	keySet     keySetConfig
	keySetOpts int
}

// WithIssuer sets the expected "iss" claim, compared exactly. Required when
// JWTs are verified.
func WithIssuer(iss string) Option {
	return verifierOption(func(c *verifierConfig) error {
		if iss == "" {
			return errors.New("verify: empty issuer")
		}
		c.issuer = iss
		return nil
	})
}

// WithAudience sets the accepted audiences: a token's "aud" (a string or an
// array) must hold at least one of them. Required when JWTs are verified.
func WithAudience(aud ...string) Option {
	return verifierOption(func(c *verifierConfig) error {
		if len(aud) == 0 || slices.Contains(aud, "") {
			return errors.New("verify: empty audience")
		}
		c.audiences = append(c.audiences, aud...)
		return nil
	})
}

// WithJWKSURL makes the verifier fetch and cache its keys from the JWKS at
// u (an absolute https URL; http only on loopback), configured by any [KeySetOption]
// given to [New].
func WithJWKSURL(u string) Option {
	return verifierOption(func(c *verifierConfig) error {
		if err := checkURL(u); err != nil {
			return fmt.Errorf("verify: JWKS URL: %w", err)
		}
		c.jwksURL = u
		return nil
	})
}

// WithKeySet makes the verifier use ks, which may be shared between
// verifiers.
func WithKeySet(ks *KeySet) Option {
	return verifierOption(func(c *verifierConfig) error {
		if ks == nil {
			return errors.New("verify: nil key set")
		}
		c.keys = ks
		return nil
	})
}

// WithAlgorithms sets the allowed signing algorithms (default RS256 only).
// Only asymmetric JWS algorithms are accepted: "none" and the HMAC
// algorithms HS256, HS384 and HS512 are refused, since a verifier holding
// public keys must never treat one as a shared secret.
func WithAlgorithms(algs ...string) Option {
	return verifierOption(func(c *verifierConfig) error {
		if len(algs) == 0 {
			return errors.New("verify: empty algorithm list")
		}
		for _, a := range algs {
			if !slices.Contains(asymmetricAlgs, a) {
				return fmt.Errorf("verify: algorithm %q not allowed (only asymmetric JWS algorithms)", a)
			}
		}
		c.algs = slices.Clone(algs)
		return nil
	})
}

// WithLeeway sets the clock skew tolerated on exp, nbf and iat (default
// [DefaultLeeway]).
func WithLeeway(d time.Duration) Option {
	return verifierOption(func(c *verifierConfig) error {
		if d < 0 || d > time.Hour {
			return fmt.Errorf("verify: leeway %v outside [0, 1h]", d)
		}
		c.leeway = d
		return nil
	})
}

// WithIntrospection makes the verifier ask in about opaque tokens
// ([IntrospectOpaque]) or about every token ([IntrospectAlways]).
func WithIntrospection(in Introspector, mode IntrospectionMode) Option {
	return verifierOption(func(c *verifierConfig) error {
		if in == nil {
			return errors.New("verify: nil introspector")
		}
		if mode != IntrospectOpaque && mode != IntrospectAlways {
			return fmt.Errorf("verify: unknown introspection mode %d", mode)
		}
		c.intro, c.introMode = in, mode
		return nil
	})
}

// WithIntrospectionCache bounds the cache of positive introspection
// answers: each is kept for at most ttl (and never past the token's exp),
// and at most maxEntries are kept. A ttl of zero turns the cache off.
// Inactive answers are never cached. The defaults are
// [DefaultIntrospectTTL] and [DefaultIntrospectMax].
func WithIntrospectionCache(ttl time.Duration, maxEntries int) Option {
	return verifierOption(func(c *verifierConfig) error {
		if ttl < 0 || ttl > 10*time.Minute {
			return fmt.Errorf("verify: introspection cache lifetime %v outside [0, 10m]", ttl)
		}
		if maxEntries < 1 {
			return errors.New("verify: introspection cache needs at least one entry")
		}
		c.introTTL, c.introMax = ttl, maxEntries
		return nil
	})
}

var asymmetricAlgs = []string{
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA",
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if u.Host == "" || strings.ContainsAny(u.Host, " \t") {
		return errors.New("no host")
	}
	// Keys fetched, or tokens and the client secret sent, over plain http
	// could be swapped or read in transit; http is for local servers only.
	if !discovery.SecureScheme(u) {
		return fmt.Errorf("plain http to %s: use https (http is allowed only on loopback)", u.Hostname())
	}
	return nil
}
