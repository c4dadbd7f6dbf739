package wrapper

import (
	"context"
	"fmt"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

type (
	// AuthorizationServerMetadata is the RFC 8414 metadata document.
	AuthorizationServerMetadata = api.AuthorizationServerMetadata
	// ResourceMetadata is the RFC 9728 protected-resource metadata document.
	ResourceMetadata = api.ResourceMetadata
)

// DiscoveryService reads the well-known documents, which live at the host
// root rather than under /v2.
type DiscoveryService struct{ c *Client }

// AuthorizationServer calls GET /.well-known/oauth-authorization-server.
func (s *DiscoveryService) AuthorizationServer(ctx context.Context, opts ...CallOption) (*AuthorizationServerMetadata, error) {
	const op = "GetOAuthAuthorizationServerMetadata"
	hr, err := api.NewGetOAuthAuthorizationServerMetadataRequest(s.c.rootBase)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseGetOAuthAuthorizationServerMetadataResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "(document)", resp)
	}
	return r.JSON200, nil
}

// ProtectedResource calls GET /.well-known/oauth-protected-resource.
func (s *DiscoveryService) ProtectedResource(ctx context.Context, opts ...CallOption) (*ResourceMetadata, error) {
	const op = "GetOAuthProtectedResourceMetadata"
	hr, err := api.NewGetOAuthProtectedResourceMetadataRequest(s.c.rootBase)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseGetOAuthProtectedResourceMetadataResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "(document)", resp)
	}
	return r.JSON200, nil
}
