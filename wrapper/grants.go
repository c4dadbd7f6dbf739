package wrapper

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// Grant is an authorization a user gave an OAuth client.
type Grant = api.OAuthGrant

// ListGrantsParams pages GET /oauth_grants.
type ListGrantsParams struct {
	PageSize   int // page[size], 1..100
	PageNumber int // page[number] of List, or the first page of All
	// Limit caps the number of items All yields (0: no cap).
	Limit int
}

// GrantsService manages OAuth grants.
type GrantsService struct{ c *Client }

// List calls GET /oauth_grants and returns one page.
func (s *GrantsService) List(ctx context.Context, p ListGrantsParams, opts ...CallOption) (*Page[Grant], error) {
	if err := checkPaging("ListOAuthGrants", p.PageSize, p.PageNumber, p.Limit); err != nil {
		return nil, err
	}
	return s.page(ctx, p, p.PageNumber, opts)
}

// All iterates over every grant, calling GET /oauth_grants once per page,
// from p.PageNumber (default 1); see the package's Pagination section for
// when it stops.
func (s *GrantsService) All(ctx context.Context, p ListGrantsParams, opts ...CallOption) iter.Seq2[Grant, error] {
	const op = "ListOAuthGrants"
	if err := checkPaging(op, p.PageSize, p.PageNumber, p.Limit); err != nil {
		return func(yield func(Grant, error) bool) { yield(Grant{}, err) }
	}
	return paginate(ctx, op, p.PageNumber, p.Limit, func(ctx context.Context, n int) (*Page[Grant], error) {
		return s.page(ctx, p, n, opts)
	})
}

func (s *GrantsService) page(ctx context.Context, p ListGrantsParams, n int, opts []CallOption) (*Page[Grant], error) {
	const op = "ListOAuthGrants"
	hr, err := api.NewListOAuthGrantsRequest(s.c.apiBase, &api.ListOAuthGrantsParams{PageSize: ptrIf(p.PageSize), PageNumber: ptrIf(n)})
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseListOAuthGrantsResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "data", resp)
	}
	pg := &Page[Grant]{Meta: metaOf(r.JSON200.Meta)}
	if r.JSON200.Data != nil {
		pg.Items = *r.JSON200.Data
	}
	return pg, nil
}

// Get calls GET /oauth_grants/{id}. id must be a UUID.
func (s *GrantsService) Get(ctx context.Context, id string, opts ...CallOption) (*Grant, error) {
	return s.one(ctx, "GetOAuthGrant", id, s.c.routes.getGrant, opts)
}

// Revoke calls DELETE /oauth_grants/{id} and returns the revoked grant.
func (s *GrantsService) Revoke(ctx context.Context, id string, opts ...CallOption) (*Grant, error) {
	return s.one(ctx, "RevokeOAuthGrant", id, s.c.routes.revokeGrant, opts)
}

func (s *GrantsService) one(ctx context.Context, op, id string, route idRoute, opts []CallOption) (*Grant, error) {
	uid, err := parseID(op, "grant", id)
	if err != nil {
		return nil, err
	}
	hr, err := route.request(ctx, uid)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, func(r *http.Response) (*api.OAuthGrantResponse, error) {
		if op == "GetOAuthGrant" {
			g, err := api.ParseGetOAuthGrantResponse(r)
			if err != nil {
				return nil, err
			}
			return g.JSON200, nil
		}
		g, err := api.ParseRevokeOAuthGrantResponse(r)
		if err != nil {
			return nil, err
		}
		return g.JSON200, nil
	})
	if err != nil {
		return nil, err
	}
	if r == nil || r.Data == nil {
		return nil, missing(op, "data", resp)
	}
	return r.Data, nil
}
