package discovery

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Well-known URI suffixes (RFC 8414 section 3, RFC 9728 section 3).
const (
	AuthorizationServerSuffix = "oauth-authorization-server"
	ProtectedResourceSuffix   = "oauth-protected-resource"
)

// AuthorizationServerMetadataURL returns where the metadata of issuer lives
// (RFC 8414 section 3.1): /.well-known/oauth-authorization-server inserted
// between the host and any path, so "https://as.example/tenant" gives
// "https://as.example/.well-known/oauth-authorization-server/tenant".
func AuthorizationServerMetadataURL(issuer string) (string, error) {
	return wellKnownURL(issuer, AuthorizationServerSuffix)
}

// ProtectedResourceMetadataURL returns where the metadata of resource lives
// (RFC 9728 section 3.1): /.well-known/oauth-protected-resource inserted
// between the host and any path, a trailing slash removed first.
func ProtectedResourceMetadataURL(resource string) (string, error) {
	return wellKnownURL(resource, ProtectedResourceSuffix)
}

func wellKnownURL(identifier, suffix string) (string, error) {
	u, err := parseIdentifier(identifier)
	if err != nil {
		return "", err
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	out := url.URL{Scheme: u.Scheme, Host: u.Host}
	return out.String() + "/.well-known/" + suffix + path, nil
}

// parseIdentifier checks an issuer or resource identifier: an absolute
// http(s) URL without fragment (RFC 8414 section 2 also forbids a query for
// issuers; RFC 9728 allows one for resources but discourages it, and it has
// no place in the well-known URL, so both are refused here).
func parseIdentifier(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("discovery: empty identifier")
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("discovery: %q is not a URL", s)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("discovery: %q is not an http or https URL", s)
	}
	if u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("discovery: %q has no host or has user info", s)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("discovery: %q has a query or fragment", s)
	}
	return u, nil
}

// checkEndpoint checks an endpoint URL read from metadata.
func checkEndpoint(name, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: %s is not an absolute http(s) URL", ErrInvalidMetadata, name)
	}
	return nil
}
