package emulator

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Option configures an [Emulator]. Options validate their arguments; [New]
// returns the first error.
type Option func(*config) error

type config struct {
	apiKey      string
	baseURL     string
	clock       Clock
	validate    bool
	onViolation func(error)
	logger      *slog.Logger
	accessTTL   time.Duration
	refreshTTL  time.Duration
	codeTTL     time.Duration
	consentTTL  time.Duration
	faults      []Fault
}

func defaultConfig() config {
	return config{
		clock:      systemClock{},
		validate:   true,
		accessTTL:  time.Hour,
		refreshTTL: 30 * 24 * time.Hour,
		codeTTL:    5 * time.Minute,
		consentTTL: 10 * time.Minute,
	}
}

// WithAPIKey sets the admin API key, accepted as "Authorization: Bearer KEY"
// on the admin endpoints. Without it [New] generates a random key (see
// [Emulator.APIKey]).
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if key == "" {
			return errors.New("emulator: empty API key")
		}
		c.apiKey = key
		return nil
	}
}

// WithBaseURL sets the host-root URL the emulator is reached at, such as
// "http://127.0.0.1:8080". It becomes the token issuer and audience and the
// prefix of every URL in the metadata documents. Without it the emulator
// derives the URL from each request's Host header.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		norm, err := normalizeBaseURL(u)
		if err != nil {
			return err
		}
		c.baseURL = norm
		return nil
	}
}

// WithClock replaces the wall clock, typically with a [ManualClock] so that
// a test can expire tokens by advancing it.
func WithClock(clock Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return errors.New("emulator: nil clock")
		}
		c.clock = clock
		return nil
	}
}

// WithValidation turns contract validation of requests and responses on
// (the default) or off. Off is for benchmarks; with it off the emulator
// still applies its own business rules but no longer refuses unknown fields
// or malformed parameters that the handlers tolerate.
func WithValidation(on bool) Option {
	return func(c *config) error {
		c.validate = on
		return nil
	}
}

// WithViolationHandler sets the function told about every response the
// emulator writes that does not match openapi.yaml. The default logs the
// violation at error level. [NewTestServer] reports it with t.Errorf.
func WithViolationHandler(f func(error)) Option {
	return func(c *config) error {
		if f == nil {
			return errors.New("emulator: nil violation handler")
		}
		c.onViolation = f
		return nil
	}
}

// WithLogger logs one line per request (method, path, operation, status,
// duration) to l. Headers, query strings and bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("emulator: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithAccessTokenTTL sets the lifetime of access tokens (default 1h).
func WithAccessTokenTTL(d time.Duration) Option {
	return ttl("access token", d, func(c *config) *time.Duration { return &c.accessTTL })
}

// WithRefreshTokenTTL sets the lifetime of refresh tokens (default 30 days).
func WithRefreshTokenTTL(d time.Duration) Option {
	return ttl("refresh token", d, func(c *config) *time.Duration { return &c.refreshTTL })
}

// WithCodeTTL sets the lifetime of authorization codes (default 5m).
func WithCodeTTL(d time.Duration) Option {
	return ttl("authorization code", d, func(c *config) *time.Duration { return &c.codeTTL })
}

// WithConsentTTL sets the lifetime of consent tokens (default 10m).
func WithConsentTTL(d time.Duration) Option {
	return ttl("consent token", d, func(c *config) *time.Duration { return &c.consentTTL })
}

func ttl(what string, d time.Duration, field func(*config) *time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			return fmt.Errorf("emulator: %s lifetime %v is below one second", what, d)
		}
		*field(c) = d
		return nil
	}
}

// WithFault installs a fault rule from the start; see [Emulator.InjectFault].
func WithFault(f Fault) Option {
	return func(c *config) error {
		if err := f.validate(); err != nil {
			return err
		}
		c.faults = append(c.faults, f)
		return nil
	}
}
