package emulator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator/internal/oapi"
)

// RegisterOAuthClient is dynamic client registration (RFC 7591). Defaults:
// grant_types [authorization_code], response_types [code],
// token_endpoint_auth_method client_secret_basic (a confidential client with
// a secret); "none" registers a public client that must use PKCE.
func (h *handlers) RegisterOAuthClient(_ context.Context, req oapi.RegisterOAuthClientRequestObject) (oapi.RegisterOAuthClientResponseObject, error) {
	b := req.Body
	if b == nil {
		return reply{status: http.StatusBadRequest, body: registrationError{Error: "invalid_client_metadata", Description: "a JSON body is required"}}, nil
	}
	grants := []string{"authorization_code"}
	if b.GrantTypes != nil {
		grants = grantStrings(*b.GrantTypes)
	}
	responses := []string{"code"}
	if b.ResponseTypes != nil {
		responses = slices.Clone(*b.ResponseTypes)
	} else if !slices.Contains(grants, "authorization_code") {
		responses = []string{}
	}
	method := "client_secret_basic"
	if b.TokenEndpointAuthMethod != nil {
		method = string(*b.TokenEndpointAuthMethod)
	}
	scope := "admin"
	if b.Scope != nil {
		scope = *b.Scope
	}
	name := "Dynamically registered client"
	if b.ClientName != nil && strings.TrimSpace(*b.ClientName) != "" {
		name = *b.ClientName
	}
	c := &clientRecord{
		id: uuid.NewString(), name: name, clientType: "confidential",
		scopes: strings.Fields(scope), grantTypes: grants, redirectURIs: derefSlice(b.RedirectUris),
		logoURI: b.LogoUri, tosURI: b.TosUri, policyURI: b.PolicyUri,
	}
	if method == "none" {
		c.clientType, c.requirePKCE = "public", true
	}
	if rerr := registrationProblems(c, responses); rerr != nil {
		return reply{status: http.StatusBadRequest, body: *rerr}, nil
	}
	resp := oapi.RegisterOAuthClient201JSONResponse{
		ClientId: c.id, ClientName: &c.name, GrantTypes: ptr(slices.Clone(grants)),
		ResponseTypes: &responses, RedirectUris: ptr(slices.Clone(c.redirectURIs)), Scope: &scope,
		TokenEndpointAuthMethod: &method, LogoUri: c.logoURI, TosUri: c.tosURI, PolicyUri: c.policyURI,
	}
	if !c.public() {
		secret := randomToken("sk_emu_", 32)
		c.secretHash = digest(secret)
		resp.ClientSecret = &secret
	}
	now := h.cfg.clock.Now().UTC()
	c.created, c.updated = now, now
	resp.ClientIdIssuedAt = int(now.Unix())
	h.store.mu.Lock()
	h.store.clients[c.id] = c
	h.store.order = append(h.store.order, c.id)
	h.store.wrote(now)
	h.store.mu.Unlock()
	return resp, nil
}

// registrationProblems collects every invalid field (RFC 7591 section 3.2.2).
func registrationProblems(c *clientRecord, responses []string) *registrationError {
	fields := map[string][]string{}
	code := "invalid_client_metadata"
	for i, u := range c.redirectURIs {
		if msg := checkRedirectURI(u); msg != "" {
			fields["redirect_uris"] = append(fields["redirect_uris"], fmt.Sprintf("[%d] %s", i, msg))
			code = "invalid_redirect_uri"
		}
	}
	if c.allows("authorization_code") && len(c.redirectURIs) == 0 {
		fields["redirect_uris"] = append(fields["redirect_uris"], "required for the authorization_code grant")
		code = "invalid_redirect_uri"
	}
	if len(c.grantTypes) == 0 {
		fields["grant_types"] = append(fields["grant_types"], "must name at least one grant type")
	}
	if c.public() && c.allows("client_credentials") {
		fields["grant_types"] = append(fields["grant_types"], "client_credentials needs a confidential client")
	}
	for _, rt := range responses {
		if rt != "code" {
			fields["response_types"] = append(fields["response_types"], "only code is supported")
		}
	}
	if slices.Contains(responses, "code") != c.allows("authorization_code") {
		fields["response_types"] = append(fields["response_types"], "code goes with the authorization_code grant and only with it")
	}
	if len(c.scopes) == 0 {
		fields["scope"] = append(fields["scope"], "must name at least one scope")
	}
	if len(fields) == 0 {
		return nil
	}
	if _, ok := fields["redirect_uris"]; !ok || len(fields) > 1 {
		code = "invalid_client_metadata"
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	return &registrationError{Error: code, Description: "invalid client metadata: " + strings.Join(names, ", "), InvalidFields: fields}
}
