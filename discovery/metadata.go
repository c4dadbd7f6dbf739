package discovery

import (
	"fmt"
	"slices"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// AuthorizationServer is validated RFC 8414 authorization-server metadata,
// with the endpoints and supported methods read out of the document.
type AuthorizationServer struct {
	// Issuer is the issuer identifier, equal to the one asked for.
	Issuer string
	// AuthorizationEndpoint, TokenEndpoint, JWKSURI, RegistrationEndpoint
	// and IntrospectionEndpoint are the endpoints; "" when not published.
	AuthorizationEndpoint string
	TokenEndpoint         string
	JWKSURI               string
	RegistrationEndpoint  string
	IntrospectionEndpoint string
	// ScopesSupported, ResponseTypesSupported, GrantTypesSupported,
	// TokenEndpointAuthMethodsSupported and CodeChallengeMethodsSupported
	// are the lists as published (nil when absent; see the Supports
	// methods for the RFC 8414 defaults).
	ScopesSupported                   []string
	ResponseTypesSupported            []string
	GrantTypesSupported               []string
	TokenEndpointAuthMethodsSupported []string
	CodeChallengeMethodsSupported     []string
	// Metadata is the document as decoded.
	Metadata api.AuthorizationServerMetadata
}

// SupportsPKCE reports whether the server publishes the PKCE code
// challenge method (e.g. "S256"). Without code_challenge_methods_supported
// the server is taken not to support PKCE (RFC 8414 section 2).
func (a *AuthorizationServer) SupportsPKCE(method string) bool {
	return slices.Contains(a.CodeChallengeMethodsSupported, method)
}

// SupportsGrantType reports whether the server supports the grant type; an
// absent list means "authorization_code" and "implicit" (RFC 8414).
func (a *AuthorizationServer) SupportsGrantType(grantType string) bool {
	if a.GrantTypesSupported == nil {
		return grantType == "authorization_code" || grantType == "implicit"
	}
	return slices.Contains(a.GrantTypesSupported, grantType)
}

// SupportsAuthMethod reports whether the token endpoint accepts the client
// authentication method (e.g. "client_secret_basic", "none"); an absent
// list means "client_secret_basic" (RFC 8414).
func (a *AuthorizationServer) SupportsAuthMethod(method string) bool {
	if a.TokenEndpointAuthMethodsSupported == nil {
		return method == "client_secret_basic"
	}
	return slices.Contains(a.TokenEndpointAuthMethodsSupported, method)
}

// SupportsResponseType reports whether the server lists the response type.
func (a *AuthorizationServer) SupportsResponseType(responseType string) bool {
	return slices.Contains(a.ResponseTypesSupported, responseType)
}

// SupportsRegistration reports whether the server publishes a dynamic
// client registration endpoint (RFC 7591).
func (a *AuthorizationServer) SupportsRegistration() bool { return a.RegistrationEndpoint != "" }

// clone returns a deep copy, so that callers cannot change the cache.
func (a *AuthorizationServer) clone() *AuthorizationServer {
	cp := *a
	cp.ScopesSupported = slices.Clone(a.ScopesSupported)
	cp.ResponseTypesSupported = slices.Clone(a.ResponseTypesSupported)
	cp.GrantTypesSupported = slices.Clone(a.GrantTypesSupported)
	cp.TokenEndpointAuthMethodsSupported = slices.Clone(a.TokenEndpointAuthMethodsSupported)
	cp.CodeChallengeMethodsSupported = slices.Clone(a.CodeChallengeMethodsSupported)
	return &cp
}

func newAuthorizationServer(issuer string, md api.AuthorizationServerMetadata) (*AuthorizationServer, error) {
	got := deref(md.Issuer)
	if got != issuer {
		return nil, fmt.Errorf("%w: asked for %q, document says %q", ErrIssuerMismatch, issuer, got)
	}
	a := &AuthorizationServer{
		Issuer:                            got,
		AuthorizationEndpoint:             deref(md.AuthorizationEndpoint),
		TokenEndpoint:                     deref(md.TokenEndpoint),
		JWKSURI:                           deref(md.JwksURI),
		RegistrationEndpoint:              deref(md.RegistrationEndpoint),
		IntrospectionEndpoint:             deref(md.IntrospectionEndpoint),
		ScopesSupported:                   derefs(md.ScopesSupported),
		ResponseTypesSupported:            derefs(md.ResponseTypesSupported),
		GrantTypesSupported:               derefs(md.GrantTypesSupported),
		TokenEndpointAuthMethodsSupported: derefs(md.TokenEndpointAuthMethodsSupported),
		CodeChallengeMethodsSupported:     derefs(md.CodeChallengeMethodsSupported),
		Metadata:                          md,
	}
	for _, e := range []struct{ name, val string }{
		{"authorization_endpoint", a.AuthorizationEndpoint},
		{"token_endpoint", a.TokenEndpoint},
		{"jwks_uri", a.JWKSURI},
		{"registration_endpoint", a.RegistrationEndpoint},
		{"introspection_endpoint", a.IntrospectionEndpoint},
	} {
		if e.val == "" {
			continue
		}
		if err := checkEndpoint(e.name, e.val); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// ProtectedResource is validated RFC 9728 protected-resource metadata.
type ProtectedResource struct {
	// Resource is the resource identifier, equal to the one asked for.
	Resource string
	// AuthorizationServers are the issuers that can grant access to it.
	AuthorizationServers []string
	// Metadata is the document as decoded.
	Metadata api.ResourceMetadata
}

func (p *ProtectedResource) clone() *ProtectedResource {
	cp := *p
	cp.AuthorizationServers = slices.Clone(p.AuthorizationServers)
	return &cp
}

func newProtectedResource(resource string, md api.ResourceMetadata) (*ProtectedResource, error) {
	got := deref(md.Resource)
	if got != resource {
		return nil, fmt.Errorf("%w: asked for %q, document says %q", ErrResourceMismatch, resource, got)
	}
	p := &ProtectedResource{Resource: got, AuthorizationServers: derefs(md.AuthorizationServers), Metadata: md}
	for _, as := range p.AuthorizationServers {
		if _, err := parseIdentifier(as); err != nil {
			return nil, fmt.Errorf("%w: authorization_servers: %v", ErrInvalidMetadata, err)
		}
	}
	return p, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefs(s *[]string) []string {
	if s == nil {
		return nil
	}
	return slices.Clone(*s)
}
