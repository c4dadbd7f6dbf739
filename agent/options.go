package agent

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// Option configures [Connect] and [ConnectFromChallenge]. Options validate
// their input; the call fails with the first invalid one before anything
// is sent.
type Option func(*config) error

type config struct {
	clientID, clientSecret string
	redirectURI            string
	scope                  string
	clientName             string
	confidential           bool
	httpClient             *http.Client
	store                  RegistrationStore
	issuer                 string
	resource               string
	logger                 *slog.Logger
	wrapperOpts            []wrapper.Option
}

// WithClientID uses an already registered client instead of registering
// one.
func WithClientID(id string) Option {
	return func(c *config) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("agent: empty client id")
		}
		c.clientID = id
		return nil
	}
}

// WithClientSecret gives the secret of the client named by [WithClientID],
// which makes it confidential.
func WithClientSecret(secret string) Option {
	return func(c *config) error {
		if secret == "" {
			return errors.New("agent: empty client secret")
		}
		c.clientSecret = secret
		return nil
	}
}

// WithRedirectURI sets the redirect URI of the authorization-code flow,
// registered with the client. It must be absolute, without a fragment;
// Telnyx accepts https, and http only for loopback hosts (RFC 8252).
// A public client needs one.
func WithRedirectURI(uri string) Option {
	return func(c *config) error {
		u, err := url.Parse(uri)
		if err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" || strings.Contains(uri, "#") {
			return errors.New("agent: redirect URI must be an absolute URL without a fragment")
		}
		c.redirectURI = uri
		return nil
	}
}

// WithScope sets the space-separated scope registered and requested.
// Without it the server's default applies, or the scope of the 401's
// challenge for [ConnectFromChallenge].
func WithScope(scope string) Option {
	return func(c *config) error {
		c.scope = strings.Join(strings.Fields(scope), " ")
		return nil
	}
}

// WithClientName sets the client_name sent at registration, which the
// user sees on the consent page.
func WithClientName(name string) Option {
	return func(c *config) error {
		if strings.TrimSpace(name) == "" {
			return errors.New("agent: empty client name")
		}
		c.clientName = name
		return nil
	}
}

// WithConfidential makes the client confidential: registered with
// client_secret_basic and the client_credentials grant (plus
// authorization_code when [WithRedirectURI] is given), and handed back with
// a client-credentials token source.
func WithConfidential() Option {
	return func(c *config) error {
		c.confidential = true
		return nil
	}
}

// WithHTTPClient sends every request (discovery, registration, tokens)
// through hc. The wrapper client copies it; discovery uses it as given.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("agent: nil HTTP client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRegistrationStore persists the registered client: the chain loads a
// registration for the issuer from s before registering, and saves the one
// it registers.
func WithRegistrationStore(s RegistrationStore) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("agent: nil registration store")
		}
		c.store = s
		return nil
	}
}

// WithAuthorizationServer picks the issuer to use among the protected
// resource's authorization_servers; by default the first is used.
func WithAuthorizationServer(issuer string) Option {
	return func(c *config) error {
		if u, err := url.Parse(issuer); err != nil || !u.IsAbs() {
			return errors.New("agent: authorization server must be an absolute URL")
		}
		c.issuer = issuer
		return nil
	}
}

// WithResource sets the resource identifier [ConnectFromChallenge] expects
// in the protected-resource metadata. By default it is derived from the
// resource_metadata URL (the well-known suffix removed) or, failing that,
// the origin of the request that was refused.
func WithResource(resource string) Option {
	return func(c *config) error {
		if u, err := url.Parse(resource); err != nil || !u.IsAbs() {
			return errors.New("agent: resource must be an absolute URL")
		}
		c.resource = resource
		return nil
	}
}

// WithLogger logs each step of the chain (metadata fetched, issuer chosen,
// client registered or reused) at info level. Lines carry URLs and the
// client id, never a secret. The default discards.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("agent: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithWrapperOptions passes options (retries, backoff, logging, user
// agent) to the wrapper clients the chain builds. The chain sets the base
// URL, the HTTP client and the credentials itself: a base URL or HTTP client
// passed here is overridden, and a credential passed here is not supported
// (where the chain sets one, [wrapper.New] refuses the two as conflicting).
func WithWrapperOptions(opts ...wrapper.Option) Option {
	return func(c *config) error {
		for _, o := range opts {
			if o == nil {
				return errors.New("agent: nil wrapper option")
			}
		}
		c.wrapperOpts = append(c.wrapperOpts, opts...)
		return nil
	}
}

func newConfig(opts []Option) (*config, error) {
	c, err := newConfigLax(opts)
	if err != nil {
		return nil, err
	}
	return c, c.check()
}

// newConfigLax applies opts without checking how they combine.
func newConfigLax(opts []Option) (*config, error) {
	c := &config{httpClient: http.DefaultClient, logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("agent: nil option")
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// check refuses options that do not combine.
func (c *config) check() error {
	switch {
	case c.clientSecret != "" && c.clientID == "":
		return errors.New("agent: WithClientSecret needs WithClientID")
	case c.confidential && c.clientID != "" && c.clientSecret == "":
		return errors.New("agent: a confidential client given by WithClientID needs WithClientSecret")
	case !c.confidential && c.clientSecret == "" && c.redirectURI == "":
		return errors.New("agent: a public client needs WithRedirectURI for the authorization-code flow")
	}
	if c.clientSecret != "" {
		c.confidential = true
	}
	return nil
}

// wantsCode reports whether the chain hands back an authorization-code
// session.
func (c *config) wantsCode() bool { return c.redirectURI != "" }
