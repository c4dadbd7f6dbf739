package emulator

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator/internal/oapi"
)

const (
	opCreateClient = "CreateOAuthClient"
	opUpdateClient = "UpdateOAuthClient"
)

func (h *handlers) ListOAuthClients(_ context.Context, req oapi.ListOAuthClientsRequestObject) (oapi.ListOAuthClientsResponseObject, error) {
	p := req.Params
	size, number, bad := pageParams(p.PageSize, p.PageNumber)
	if bad != "" {
		return h.shapes.fail("ListOAuthClients", http.StatusBadRequest, "invalid_request", bad), nil
	}
	h.store.mu.Lock()
	var all []oapi.OAuthClient
	for _, id := range h.store.order {
		c := h.store.clients[id]
		if clientMatches(c, p) {
			all = append(all, h.clientView(c, ""))
		}
	}
	h.store.mu.Unlock()
	data, meta := paginate(all, size, number)
	return oapi.ListOAuthClients200JSONResponse{Data: &data, Meta: &meta}, nil
}

func clientMatches(c *clientRecord, p oapi.ListOAuthClientsParams) bool {
	switch {
	case p.FilterClientType != nil && c.clientType != string(*p.FilterClientType):
		return false
	case p.FilterVerified != nil && *p.FilterVerified: // emulated clients are never verified
		return false
	case p.FilterAllowedGrantTypesContains != nil && !c.allows(string(*p.FilterAllowedGrantTypesContains)):
		return false
	case p.FilterName != nil && c.name != *p.FilterName:
		return false
	case p.FilterNameContains != nil && !strings.Contains(c.name, *p.FilterNameContains):
		return false
	case p.FilterClientId != nil && c.id != *p.FilterClientId:
		return false
	}
	return true
}

// pageParams applies the defaults and bounds of page[size] and page[number].
func pageParams(size, number *int) (int, int, string) {
	s, n := 20, 1
	if size != nil {
		s = *size
	}
	if number != nil {
		n = *number
	}
	if s < 1 || s > 100 {
		return 0, 0, "page[size] must be between 1 and 100"
	}
	if n < 1 {
		return 0, 0, "page[number] must be at least 1"
	}
	return s, n, ""
}

func paginate[T any](all []T, size, number int) ([]T, oapi.PaginationMeta) {
	total := len(all)
	pages := (total + size - 1) / size
	from := total // (number-1)*size would overflow for a huge page[number]
	if number-1 <= total/size {
		from = min((number-1)*size, total)
	}
	to := min(from+size, total)
	data := append(make([]T, 0, to-from), all[from:to]...)
	return data, oapi.PaginationMeta{PageNumber: &number, PageSize: &size, TotalPages: &pages, TotalResults: &total}
}

func (h *handlers) CreateOAuthClient(_ context.Context, req oapi.CreateOAuthClientRequestObject) (oapi.CreateOAuthClientResponseObject, error) {
	b := req.Body
	if b == nil {
		return h.shapes.fail(opCreateClient, http.StatusBadRequest, "invalid_request", "a JSON body is required"), nil
	}
	c := &clientRecord{
		id:           uuid.NewString(),
		name:         b.Name,
		clientType:   string(b.ClientType),
		scopes:       slices.Clone(b.AllowedScopes),
		grantTypes:   grantStrings(b.AllowedGrantTypes),
		redirectURIs: derefSlice(b.RedirectUris),
		requirePKCE:  b.RequirePkce != nil && *b.RequirePkce,
		logoURI:      b.LogoUri,
		tosURI:       b.TosUri,
		policyURI:    b.PolicyUri,
	}
	if c.clientType != "public" && c.clientType != "confidential" {
		return h.shapes.fail(opCreateClient, http.StatusBadRequest, "invalid_request", "client_type must be public or confidential"), nil
	}
	if code, msg := validateClient(c); code != "" {
		return h.shapes.fail(opCreateClient, http.StatusUnprocessableEntity, code, msg), nil
	}
	secret := ""
	if !c.public() {
		secret = randomToken("sk_emu_", 32)
		c.secretHash = digest(secret)
	}
	now := h.cfg.clock.Now().UTC()
	c.created, c.updated = now, now
	h.store.mu.Lock()
	h.store.clients[c.id] = c
	h.store.order = append(h.store.order, c.id)
	h.store.wrote(now)
	view := h.clientView(c, secret)
	h.store.mu.Unlock()
	return oapi.CreateOAuthClient201JSONResponse{Data: &view}, nil
}

func (h *handlers) GetOAuthClient(_ context.Context, req oapi.GetOAuthClientRequestObject) (oapi.GetOAuthClientResponseObject, error) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	c, ok := h.store.clients[req.Id.String()]
	if !ok {
		return h.shapes.fail("GetOAuthClient", http.StatusNotFound, "not_found", "no OAuth client with that id"), nil
	}
	view := h.clientView(c, "")
	return oapi.GetOAuthClient200JSONResponse{Data: &view}, nil
}

func (h *handlers) UpdateOAuthClient(_ context.Context, req oapi.UpdateOAuthClientRequestObject) (oapi.UpdateOAuthClientResponseObject, error) {
	b := req.Body
	if b == nil {
		return h.shapes.fail(opUpdateClient, http.StatusUnprocessableEntity, "invalid_request", "a JSON body is required"), nil
	}
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	old, ok := h.store.clients[req.Id.String()]
	if !ok {
		return h.shapes.fail(opUpdateClient, http.StatusNotFound, "not_found", "no OAuth client with that id"), nil
	}
	c := *old
	if b.Name != nil {
		c.name = *b.Name
	}
	if b.AllowedScopes != nil {
		c.scopes = slices.Clone(*b.AllowedScopes)
	}
	if b.AllowedGrantTypes != nil {
		c.grantTypes = grantStrings(*b.AllowedGrantTypes)
	}
	if b.RedirectUris != nil {
		c.redirectURIs = slices.Clone(*b.RedirectUris)
	}
	if b.RequirePkce != nil {
		c.requirePKCE = *b.RequirePkce
	}
	if b.LogoUri != nil {
		c.logoURI = b.LogoUri
	}
	if b.TosUri != nil {
		c.tosURI = b.TosUri
	}
	if b.PolicyUri != nil {
		c.policyURI = b.PolicyUri
	}
	if code, msg := validateClient(&c); code != "" {
		return h.shapes.fail(opUpdateClient, http.StatusUnprocessableEntity, code, msg), nil
	}
	now := h.cfg.clock.Now().UTC()
	c.updated = now
	h.store.clients[c.id] = &c
	h.store.wrote(now)
	view := h.clientView(&c, "")
	return oapi.UpdateOAuthClient200JSONResponse{Data: &view}, nil
}

func (h *handlers) DeleteOAuthClient(_ context.Context, req oapi.DeleteOAuthClientRequestObject) (oapi.DeleteOAuthClientResponseObject, error) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	id := req.Id.String()
	if _, ok := h.store.clients[id]; !ok {
		return h.shapes.fail("DeleteOAuthClient", http.StatusNotFound, "not_found", "no OAuth client with that id"), nil
	}
	h.store.deleteClient(id)
	h.store.wrote(h.cfg.clock.Now())
	return oapi.DeleteOAuthClient204Response{}, nil
}

// clientView renders a client; secret is set only in the create response.
func (h *handlers) clientView(c *clientRecord, secret string) oapi.OAuthClient {
	grants := make([]oapi.GrantType, len(c.grantTypes))
	for i, g := range c.grantTypes {
		grants[i] = oapi.GrantType(g)
	}
	v := oapi.OAuthClient{
		RecordType:        "oauth_client",
		ClientId:          c.id,
		Name:              c.name,
		OrgId:             h.orgID,
		UserId:            h.userID,
		ClientType:        oapi.ClientType(c.clientType),
		RequirePkce:       c.requirePKCE,
		CreatedAt:         c.created,
		UpdatedAt:         c.updated,
		AllowedScopes:     ptr(slices.Clone(c.scopes)),
		AllowedGrantTypes: &grants,
		RedirectUris:      ptr(slices.Clone(c.redirectURIs)),
		LogoUri:           c.logoURI,
		TosUri:            c.tosURI,
		PolicyUri:         c.policyURI,
	}
	if secret != "" {
		v.ClientSecret = &secret
	}
	return v
}

// validateClient applies the business rules the schema cannot express. It
// returns an OAuth error code and message, or "" when c is acceptable.
func validateClient(c *clientRecord) (string, string) {
	if strings.TrimSpace(c.name) == "" {
		return "invalid_request", "name must not be empty"
	}
	if len(c.grantTypes) == 0 {
		return "invalid_request", "allowed_grant_types must name at least one grant type"
	}
	for _, g := range c.grantTypes {
		if g != "client_credentials" && g != "authorization_code" && g != "refresh_token" {
			return "invalid_request", "allowed_grant_types holds an unknown grant type"
		}
	}
	if c.public() && c.allows("client_credentials") {
		return "invalid_request", "a public client cannot use the client_credentials grant"
	}
	for _, s := range c.scopes {
		if s == "" || strings.ContainsAny(s, " \t\"\\") {
			return "invalid_scope", "allowed_scopes holds a malformed scope"
		}
	}
	for i, u := range c.redirectURIs {
		if msg := checkRedirectURI(u); msg != "" {
			return "invalid_redirect_uri", fmt.Sprintf("redirect_uris[%d] %s", i, msg)
		}
	}
	if c.allows("authorization_code") && len(c.redirectURIs) == 0 {
		return "invalid_redirect_uri", "redirect_uris is required for the authorization_code grant"
	}
	return "", ""
}

// checkRedirectURI enforces RFC 6749 section 3.1.2 and RFC 8252: absolute,
// no fragment, https except for loopback hosts.
func checkRedirectURI(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return "must be an absolute URL"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "must not have a fragment"
	case u.Scheme == "https":
		return ""
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return ""
	case u.Scheme == "http":
		return "must use https (http is allowed for loopback hosts only)"
	}
	return "must use https"
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func grantStrings(gs []oapi.GrantType) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = string(g)
	}
	return out
}

func derefSlice[T any](p *[]T) []T {
	if p == nil {
		return []T{}
	}
	return slices.Clone(*p)
}
