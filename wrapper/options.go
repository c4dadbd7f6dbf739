package wrapper

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultBaseURL is the Telnyx API host used when neither [WithBaseURL] nor
// TELNYX_BASE_URL is set.
const DefaultBaseURL = "https://api.telnyx.com"

// Environment variables read by [New] when the matching option is absent.
const (
	EnvAPIKey       = "TELNYX_API_KEY"
	EnvBaseURL      = "TELNYX_BASE_URL"
	EnvClientID     = "TELNYX_CLIENT_ID"
	EnvClientSecret = "TELNYX_CLIENT_SECRET"
)

// DefaultMaxBodySize is the default cap on a response body read by the client.
const DefaultMaxBodySize = 1 << 20

// Option configures a [Client]. Options validate their input; [New] reports
// the first invalid one.
type Option func(*config) error

// AuthStyle says how the client authenticates itself to the token and
// introspection endpoints.
type AuthStyle int

const (
	// AuthStyleBasic sends client_id and client_secret in an HTTP Basic
	// Authorization header (client_secret_basic). It is the default.
	AuthStyleBasic AuthStyle = iota
	// AuthStyleInBody sends client_id and client_secret as form fields
	// (client_secret_post).
	AuthStyleInBody
)

type config struct {
	baseURL      string
	baseSet      bool
	apiKey       *string
	clientID     *string
	clientSecret string
	tokenSource  oauth2.TokenSource
	tokenStore   TokenStore
	scope        string
	authStyle    AuthStyle
	httpClient   *http.Client
	logger       *slog.Logger
	userAgent    string
	maxRetries   int
	backoff      func(attempt int) time.Duration
	maxWait      time.Duration
	maxBody      int64
	leeway       time.Duration
	now          func() time.Time
	noEnv        bool
	middleware   []func(http.RoundTripper) http.RoundTripper
}

func defaultConfig() config {
	return config{
		maxRetries: 2,
		backoff:    DefaultBackoff,
		maxWait:    30 * time.Second,
		maxBody:    DefaultMaxBodySize,
		leeway:     30 * time.Second,
		now:        time.Now,
	}
}

// WithBaseURL sets the API location. Either the host root
// ("https://api.telnyx.com") or the versioned base ("https://api.telnyx.com/v2")
// is accepted; the client derives the /v2 API base, the host-root base of the
// well-known documents and the token URL from it.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		if _, _, err := splitBaseURL(raw); err != nil {
			return err
		}
		c.baseURL, c.baseSet = raw, true
		return nil
	}
}

// WithAPIKey authenticates API calls with a Telnyx API key sent as a bearer
// token. The key must not be empty.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if strings.TrimSpace(key) == "" {
			return errors.New("wrapper: empty API key")
		}
		c.apiKey = &key
		return nil
	}
}

// WithClientCredentials authenticates API calls with an access token obtained
// by the client_credentials grant, and authenticates the client to the token
// and introspection endpoints. Both values must be non-empty.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		if clientID == "" || clientSecret == "" {
			return errors.New("wrapper: client credentials need both a client id and a secret")
		}
		c.clientID, c.clientSecret = &clientID, clientSecret
		return nil
	}
}

// WithTokenSource authenticates API calls with tokens from ts, for example an
// [oauth2.Config] token source from the authorization-code flow.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("wrapper: nil token source")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithScope sets the scope requested by the client_credentials grant.
func WithScope(scope string) Option {
	return func(c *config) error { c.scope = scope; return nil }
}

// WithAuthStyle chooses how client credentials reach the token and
// introspection endpoints ([AuthStyleBasic] by default).
func WithAuthStyle(s AuthStyle) Option {
	return func(c *config) error {
		if s != AuthStyleBasic && s != AuthStyleInBody {
			return fmt.Errorf("wrapper: unknown auth style %d", s)
		}
		c.authStyle = s
		return nil
	}
}

// WithTokenStore persists tokens: the client-credentials manager loads a
// cached token at its first use and saves each new one, and
// [OAuthService.Refresh] saves rotated refresh tokens.
func WithTokenStore(s TokenStore) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("wrapper: nil token store")
		}
		c.tokenStore = s
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc. The caller's client is
// never modified; its Transport becomes the base of the client's round-tripper
// chain and redirects are never followed.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("wrapper: nil http client")
		}
		cp := *hc
		c.httpClient = &cp
		return nil
	}
}

// WithLogger enables debug logging of every attempt through l, with secrets
// redacted. Logging is off by default, and WithLogger(nil) leaves it off.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithUserAgent appends product to the User-Agent header. A product with a
// control character (which could split the header) is refused.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if hasControl(product) {
			return errors.New("wrapper: user agent holds a control character")
		}
		c.userAgent = product
		return nil
	}
}

// WithMaxRetries sets how many times a retryable request is retried
// (default 2; 0 disables retries).
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 || n > 10 {
			return fmt.Errorf("wrapper: max retries %d out of range 0..10", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithBackoff replaces the delay before retry number attempt (1-based) when
// the server sent no Retry-After. Tests pass a function returning 0.
func WithBackoff(f func(attempt int) time.Duration) Option {
	return func(c *config) error {
		if f == nil {
			return errors.New("wrapper: nil backoff")
		}
		c.backoff = f
		return nil
	}
}

// WithMaxRetryWait caps the delay taken from Retry-After or Retry-After-Ms
// (default 30s).
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("wrapper: negative max retry wait")
		}
		c.maxWait = d
		return nil
	}
}

// WithMaxBodySize caps the size of a response body (default 1 MiB). A larger
// body fails the call with [ErrBodyTooLarge].
func WithMaxBodySize(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("wrapper: max body size must be positive")
		}
		c.maxBody = n
		return nil
	}
}

// WithRefreshLeeway sets how long before expiry a cached token is refreshed
// (default 30s).
func WithRefreshLeeway(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("wrapper: negative refresh leeway")
		}
		c.leeway = d
		return nil
	}
}

// WithClock replaces time.Now for token expiry decisions (for tests).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("wrapper: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithoutEnvironment stops [New] from reading TELNYX_* variables.
func WithoutEnvironment() Option {
	return func(c *config) error { c.noEnv = true; return nil }
}

// applyEnv fills what the options left unset. Precedence: any explicit
// credential option disables every credential from the environment, so an
// API key in the environment never shadows explicit client credentials (or
// the reverse). An environment holding both an API key and client
// credentials is ambiguous and refused.
func (c *config) applyEnv() error {
	if c.noEnv {
		return nil
	}
	if !c.baseSet {
		if v := os.Getenv(EnvBaseURL); v != "" {
			if _, _, err := splitBaseURL(v); err != nil {
				return fmt.Errorf("%w (from %s)", err, EnvBaseURL)
			}
			c.baseURL = v
		}
	}
	if c.apiKey != nil || c.clientID != nil || c.tokenSource != nil {
		return nil
	}
	key := os.Getenv(EnvAPIKey)
	id, secret := os.Getenv(EnvClientID), os.Getenv(EnvClientSecret)
	if (id == "") != (secret == "") {
		return fmt.Errorf("wrapper: %s and %s must be set together", EnvClientID, EnvClientSecret)
	}
	switch {
	case key != "" && id != "":
		return fmt.Errorf("wrapper: conflicting credentials: both %s and %s are set; pass one explicitly", EnvAPIKey, EnvClientID)
	case key != "":
		c.apiKey = &key
	case id != "":
		c.clientID, c.clientSecret = &id, secret
	}
	return nil
}

func (c *config) checkCredentials() error {
	n := 0
	for _, set := range []bool{c.apiKey != nil, c.clientID != nil, c.tokenSource != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("wrapper: conflicting credentials: choose one of an API key, client credentials or a token source")
	}
	return nil
}

// splitBaseURL turns a configured base URL into the /v2 API base and the
// host-root base, both ending in "/".
func splitBaseURL(raw string) (apiBase, rootBase string, err error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("wrapper: invalid base URL %q: want http(s)://host[/prefix][/v2]", shownURL(u, err))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", "", fmt.Errorf("wrapper: invalid base URL %q: no query, fragment or user info allowed", shownURL(u, err))
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/v2")
	u.Path, u.RawPath = p+"/", ""
	rootBase = u.String()
	return rootBase + "v2/", rootBase, nil
}

// shownURL is a base URL as an error may quote it: without user info,
// query or fragment, any of which may hold a credential.
func shownURL(u *url.URL, err error) string {
	if err != nil {
		return "(unparsable)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// WithTransportMiddleware inserts mw at the base of the client's
// round-tripper chain,
//
//	retry → log → auth → mw → base
//
// so it sees every attempt, with the Authorization header already set, just
// before it goes out. Several middlewares apply in the order given, the first
// outermost. An error returned by the middleware itself (rather than by the
// base transport below it) is never retried: it is a verdict, not a network
// failure. contract.WrapperOption uses this to validate traffic against
// openapi.yaml. mw must not be nil; a nil round-tripper returned by mw
// leaves that layer out.
func WithTransportMiddleware(mw func(http.RoundTripper) http.RoundTripper) Option {
	return func(c *config) error {
		if mw == nil {
			return errors.New("wrapper: nil transport middleware")
		}
		c.middleware = append(c.middleware, mw)
		return nil
	}
}
