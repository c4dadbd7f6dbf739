package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
	"github.com/telnyxoauth/telnyx-oauth-go/discovery"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// Registration is the OAuth client the chain acts as: registered by it,
// loaded from a [RegistrationStore], or configured with [WithClientID].
type Registration struct {
	// Issuer is the authorization server the client belongs to.
	Issuer string
	// ClientID and ClientSecret are the client's credentials; ClientSecret
	// is empty for a public client. Keep the secret out of logs: String
	// and LogValue leave it out.
	ClientID     string
	ClientSecret string
	// AuthMethod is the token_endpoint_auth_method: "none" or
	// "client_secret_basic".
	AuthMethod   string
	RedirectURIs []string // redirect_uris registered
	GrantTypes   []string // grant_types registered
	Scope        string   // scope registered, space-separated
	// IssuedAt is client_id_issued_at; zero for a configured client.
	IssuedAt time.Time
}

// Public reports whether the client has no secret.
func (r *Registration) Public() bool { return r.ClientSecret == "" }

// String describes the registration without its secret.
func (r Registration) String() string {
	kind := "public"
	if !r.Public() {
		kind = "confidential"
	}
	return fmt.Sprintf("%s client %s at %s", kind, r.ClientID, r.Issuer)
}

// Format implements [fmt.Formatter]: every verb (%v, %+v, %#v, %s, %x,
// ...) prints [Registration.String], so that printing a registration by
// accident never shows its secret.
func (r Registration) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue implements [slog.LogValuer] without the secret.
func (r Registration) LogValue() slog.Value {
	return slog.GroupValue(slog.String("issuer", r.Issuer), slog.String("client_id", r.ClientID),
		slog.String("auth_method", r.AuthMethod), slog.Bool("public", r.Public()))
}

// RegistrationStore persists dynamically registered clients between runs,
// so that an agent registers once per authorization server.
type RegistrationStore interface {
	// Load returns the stored registration for issuer, or (nil, nil).
	Load(ctx context.Context, issuer string) (*Registration, error)
	// Save stores r, replacing any registration for r.Issuer.
	Save(ctx context.Context, r *Registration) error
}

// resolveClient returns the configured, stored or newly registered client
// and whether it was registered now.
func (c *config) resolveClient(ctx context.Context, base *wrapper.Client, as *discovery.AuthorizationServer) (*Registration, bool, error) {
	if c.clientID != "" {
		r := &Registration{Issuer: as.Issuer, ClientID: c.clientID, ClientSecret: c.clientSecret, Scope: c.scope, AuthMethod: "none"}
		if c.redirectURI != "" {
			r.RedirectURIs = []string{c.redirectURI}
		}
		if c.clientSecret != "" {
			r.AuthMethod = "client_secret_basic"
		}
		return r, false, nil
	}
	if c.store != nil {
		r, err := c.store.Load(ctx, as.Issuer)
		if err != nil {
			return nil, false, fmt.Errorf("agent: load registration: %w", err)
		}
		if r != nil && c.fits(r, as.Issuer) {
			c.logger.InfoContext(ctx, "agent: reusing stored registration", "registration", r)
			return r, false, nil
		}
	}
	r, err := c.register(ctx, base, as)
	if err != nil {
		return nil, false, err
	}
	if c.store != nil {
		if err := c.store.Save(ctx, r); err != nil {
			return r, true, fmt.Errorf("agent: save registration %s: %w", r.ClientID, err)
		}
	}
	return r, true, nil
}

// fits reports whether a stored registration serves this configuration.
func (c *config) fits(r *Registration, issuer string) bool {
	if r.Issuer != issuer || r.ClientID == "" || r.Public() == c.confidential {
		return false
	}
	if c.redirectURI != "" && !slices.Contains(r.RedirectURIs, c.redirectURI) {
		return false
	}
	return c.scope == "" || r.Scope == "" || subset(strings.Fields(c.scope), strings.Fields(r.Scope))
}

func subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

// register performs RFC 7591 dynamic registration.
func (c *config) register(ctx context.Context, base *wrapper.Client, as *discovery.AuthorizationServer) (*Registration, error) {
	if !as.SupportsRegistration() {
		return nil, fmt.Errorf("%w: %s (register the client beforehand and use WithClientID)", ErrNoRegistrationEndpoint, as.Issuer)
	}
	if err := sameEndpoint("registration_endpoint", as.RegistrationEndpoint, base.APIBaseURL()+"oauth/register"); err != nil {
		return nil, err
	}
	method := api.None
	if c.confidential {
		method = api.ClientSecretBasic
	}
	if !as.SupportsAuthMethod(string(method)) {
		return nil, fmt.Errorf("%w: token endpoint auth method %s", ErrNotSupported, method)
	}
	var grants []wrapper.GrantType
	if c.wantsCode() {
		grants = append(grants, wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken)
	}
	if c.confidential {
		grants = append(grants, wrapper.GrantClientCredentials)
	}
	req := wrapper.RegistrationRequest{GrantTypes: &grants, TokenEndpointAuthMethod: &method}
	if c.wantsCode() {
		req.RedirectUris = &[]string{c.redirectURI}
		req.ResponseTypes = &[]string{"code"}
	}
	if c.scope != "" {
		req.Scope = &c.scope
	}
	if c.clientName != "" {
		req.ClientName = &c.clientName
	}
	resp, err := base.OAuth.Register(ctx, req)
	if err != nil {
		return nil, registrationError(err)
	}
	r := &Registration{
		Issuer: as.Issuer, ClientID: resp.ClientID, AuthMethod: string(method),
		IssuedAt: time.Unix(int64(resp.ClientIDIssuedAt), 0).UTC(),
	}
	if resp.ClientSecret != nil {
		r.ClientSecret = *resp.ClientSecret
	}
	if c.confidential && r.ClientSecret == "" {
		return nil, errors.New("agent: register: the server issued no client secret for a confidential client")
	}
	if resp.RedirectUris != nil {
		r.RedirectURIs = *resp.RedirectUris
	}
	if resp.GrantTypes != nil {
		r.GrantTypes = *resp.GrantTypes
	}
	if resp.Scope != nil {
		r.Scope = *resp.Scope
	}
	c.logger.InfoContext(ctx, "agent: registered client", "registration", r)
	return r, nil
}
