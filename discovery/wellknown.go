package discovery

import (
	"errors"
	"fmt"
	"net/netip"
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
// https URL (http only on loopback) without fragment (RFC 8414 section 2 also forbids a query for
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
	if u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("discovery: %q has no host or has user info", s)
	}
	if !SecureScheme(u) {
		return nil, fmt.Errorf("discovery: %q is not an https URL (http is allowed only on loopback)", s)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("discovery: %q has a query or fragment", s)
	}
	return u, nil
}

// checkEndpoint checks an endpoint URL read from metadata.
func checkEndpoint(name, s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !SecureScheme(u) {
		return fmt.Errorf("%w: %s is not an absolute https URL (http is allowed only on loopback)", ErrInvalidMetadata, name)
	}
	return nil
}

// SecureScheme reports whether u may carry OAuth traffic: https, or http to
// a loopback host (a local emulator or test server). RFC 8414 section 2 and
// RFC 9728 section 2 require https identifiers, and metadata fetched over
// plain http from another host could be rewritten in transit to point an
// agent at an attacker's token endpoint.
//
// Package verify applies the same rule to JWKS and introspection URLs.
func SecureScheme(u *url.URL) bool {
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return isLoopback(u.Hostname())
	}
	return false
}

// isLoopback reports whether host (without port) is "localhost" or a
// loopback IP address, where plain http is acceptable.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
