package emulator

import (
	"context"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator/internal/oapi"
)

// handlers implements the generated strict server interface.
type handlers struct{ *Emulator }

var _ oapi.StrictServerInterface = (*handlers)(nil)

func (h *handlers) GetOAuthAuthorizationServerMetadata(ctx context.Context, _ oapi.GetOAuthAuthorizationServerMetadataRequestObject) (oapi.GetOAuthAuthorizationServerMetadataResponseObject, error) {
	base := baseOf(ctx)
	api := base + "/v2"
	return oapi.GetOAuthAuthorizationServerMetadata200JSONResponse{
		Issuer:                            &base,
		AuthorizationEndpoint:             ptr(api + "/oauth/authorize"),
		TokenEndpoint:                     ptr(api + "/oauth/token"),
		JwksUri:                           ptr(api + "/oauth/jwks"),
		RegistrationEndpoint:              ptr(api + "/oauth/register"),
		IntrospectionEndpoint:             ptr(api + "/oauth/introspect"),
		ScopesSupported:                   &[]string{"admin"},
		ResponseTypesSupported:            &[]string{"code"},
		GrantTypesSupported:               &[]string{"authorization_code", "client_credentials", "refresh_token"},
		TokenEndpointAuthMethodsSupported: &[]string{"client_secret_basic", "client_secret_post", "none"},
		CodeChallengeMethodsSupported:     &[]string{"S256", "plain"},
	}, nil
}

func (h *handlers) GetOAuthProtectedResourceMetadata(ctx context.Context, _ oapi.GetOAuthProtectedResourceMetadataRequestObject) (oapi.GetOAuthProtectedResourceMetadataResponseObject, error) {
	base := baseOf(ctx)
	return oapi.GetOAuthProtectedResourceMetadata200JSONResponse{
		Resource:             &base,
		AuthorizationServers: &[]string{base},
	}, nil
}

// GetOAuthJWKS publishes the current and still-needed retired keys with
// their RSA material; the generated JWK type has no room for it, so the
// reply is the go-jose JSON encoding of the set.
func (h *handlers) GetOAuthJWKS(_ context.Context, _ oapi.GetOAuthJWKSRequestObject) (oapi.GetOAuthJWKSResponseObject, error) {
	h.keys.prune(h.cfg.clock.Now(), h.cfg.accessTTL)
	return reply{status: 200, body: map[string]any{"keys": h.keys.public()}}, nil
}

func ptr[T any](v T) *T { return &v }
