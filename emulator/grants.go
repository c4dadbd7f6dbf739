package emulator

import (
	"context"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator/internal/oapi"
)

func (h *handlers) ListOAuthGrants(_ context.Context, req oapi.ListOAuthGrantsRequestObject) (oapi.ListOAuthGrantsResponseObject, error) {
	size, number, bad := pageParams(req.Params.PageSize, req.Params.PageNumber)
	if bad != "" {
		return h.shapes.fail("ListOAuthGrants", http.StatusBadRequest, "invalid_request", bad), nil
	}
	h.store.mu.Lock()
	all := make([]oapi.OAuthGrant, 0, len(h.store.gorder))
	for _, id := range h.store.gorder {
		all = append(all, grantView(h.store.grants[id]))
	}
	h.store.mu.Unlock()
	data, meta := paginate(all, size, number)
	return oapi.ListOAuthGrants200JSONResponse{Data: &data, Meta: &meta}, nil
}

func (h *handlers) GetOAuthGrant(_ context.Context, req oapi.GetOAuthGrantRequestObject) (oapi.GetOAuthGrantResponseObject, error) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	g, ok := h.store.grants[req.Id.String()]
	if !ok {
		return h.shapes.fail("GetOAuthGrant", http.StatusNotFound, "not_found", "no OAuth grant with that id"), nil
	}
	v := grantView(g)
	return oapi.GetOAuthGrant200JSONResponse{Data: &v}, nil
}

// RevokeOAuthGrant removes the grant: its access tokens turn inactive and
// its refresh tokens stop working.
func (h *handlers) RevokeOAuthGrant(_ context.Context, req oapi.RevokeOAuthGrantRequestObject) (oapi.RevokeOAuthGrantResponseObject, error) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	g, ok := h.store.grants[req.Id.String()]
	if !ok {
		return h.shapes.fail("RevokeOAuthGrant", http.StatusNotFound, "not_found", "no OAuth grant with that id"), nil
	}
	v := grantView(g)
	h.store.revokeGrant(g.id)
	h.store.wrote(h.cfg.clock.Now())
	return oapi.RevokeOAuthGrant200JSONResponse{Data: &v}, nil
}

func grantView(g *grantRecord) oapi.OAuthGrant {
	return oapi.OAuthGrant{
		Id:         uuid.MustParse(g.id),
		RecordType: "oauth_grant",
		ClientId:   g.clientID,
		Scopes:     slices.Clone(g.scopes),
		CreatedAt:  g.created,
		LastUsedAt: g.lastUsed,
	}
}
