package wiretest

import (
	"context"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// invokers call each of the 17 operations with valid arguments and return
// the typed *api.XxxResponse.
var invokers = map[string]func(ctx context.Context, c clients) (any, error){
	"GetOAuthAuthorizationServerMetadata": func(ctx context.Context, c clients) (any, error) {
		return c.root.GetOAuthAuthorizationServerMetadataWithResponse(ctx)
	},
	"GetOAuthProtectedResourceMetadata": func(ctx context.Context, c clients) (any, error) {
		return c.root.GetOAuthProtectedResourceMetadataWithResponse(ctx)
	},
	"AuthorizeOAuth": func(ctx context.Context, c clients) (any, error) {
		return c.api.AuthorizeOAuthWithResponse(ctx, &api.AuthorizeOAuthParams{
			ResponseType: api.AuthorizeOAuthParamsResponseType("code"),
			ClientID:     clientID,
			RedirectURI:  "https://app.example.com/callback",
		})
	},
	"GetOAuthConsentToken": func(ctx context.Context, c clients) (any, error) {
		return c.api.GetOAuthConsentTokenWithResponse(ctx, "ct_4f1c2b7e9d0a", bearer)
	},
	"CreateOAuthGrant": func(ctx context.Context, c clients) (any, error) {
		return c.api.CreateOAuthGrantWithResponse(ctx, api.CreateOAuthGrantRequest{Allowed: true, ConsentToken: "ct_4f1c2b7e9d0a"}, bearer)
	},
	"IntrospectOAuthToken": func(ctx context.Context, c clients) (any, error) {
		return c.api.IntrospectOAuthTokenWithFormdataBodyWithResponse(ctx, api.IntrospectRequest{Token: "at_x"}, basic)
	},
	"GetOAuthJWKS": func(ctx context.Context, c clients) (any, error) {
		return c.api.GetOAuthJWKSWithResponse(ctx)
	},
	"RegisterOAuthClient": func(ctx context.Context, c clients) (any, error) {
		return c.api.RegisterOAuthClientWithResponse(ctx, api.OAuthDynamicRegistrationRequest{ClientName: ptr("agent")})
	},
	"ExchangeOAuthToken": func(ctx context.Context, c clients) (any, error) {
		return c.api.ExchangeOAuthTokenWithFormdataBodyWithResponse(ctx, api.TokenRequest{GrantType: api.ClientCredentials}, basic)
	},
	"ListOAuthClients": func(ctx context.Context, c clients) (any, error) {
		return c.api.ListOAuthClientsWithResponse(ctx, &api.ListOAuthClientsParams{}, bearer)
	},
	"CreateOAuthClient": func(ctx context.Context, c clients) (any, error) {
		return c.api.CreateOAuthClientWithResponse(ctx, api.OAuthClientCreateRequest{
			Name: "Billing service", AllowedScopes: []string{"admin"}, ClientType: api.Confidential,
			AllowedGrantTypes: []api.GrantType{api.ClientCredentials},
		}, bearer)
	},
	"GetOAuthClient": func(ctx context.Context, c clients) (any, error) {
		return c.api.GetOAuthClientWithResponse(ctx, uuid(clientUUID), bearer)
	},
	"UpdateOAuthClient": func(ctx context.Context, c clients) (any, error) {
		return c.api.UpdateOAuthClientWithResponse(ctx, uuid(clientUUID), api.OAuthClientUpdateRequest{Name: ptr("v2")}, bearer)
	},
	"DeleteOAuthClient": func(ctx context.Context, c clients) (any, error) {
		return c.api.DeleteOAuthClientWithResponse(ctx, uuid(clientUUID), bearer)
	},
	"ListOAuthGrants": func(ctx context.Context, c clients) (any, error) {
		return c.api.ListOAuthGrantsWithResponse(ctx, &api.ListOAuthGrantsParams{}, bearer)
	},
	"GetOAuthGrant": func(ctx context.Context, c clients) (any, error) {
		return c.api.GetOAuthGrantWithResponse(ctx, uuid(grantUUID), bearer)
	},
	"RevokeOAuthGrant": func(ctx context.Context, c clients) (any, error) {
		return c.api.RevokeOAuthGrantWithResponse(ctx, uuid(grantUUID), bearer)
	},
}

func uuid(s string) openapi_types.UUID {
	var u openapi_types.UUID
	if err := u.UnmarshalText([]byte(s)); err != nil {
		panic(err)
	}
	return u
}
