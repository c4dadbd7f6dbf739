package wrapper

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

type (
	// OAuthClient is an OAuth client registered on the account.
	OAuthClient = api.OAuthClient
	// CreateClientRequest is the body of POST /oauth_clients.
	CreateClientRequest = api.OAuthClientCreateRequest
	// UpdateClientRequest is the body of PUT /oauth_clients/{id}; absent
	// fields are left unchanged.
	UpdateClientRequest = api.OAuthClientUpdateRequest
	// ClientType is "confidential" or "public".
	ClientType = api.ClientType
)

// Client types.
const (
	ClientConfidential = api.Confidential
	ClientPublic       = api.Public
)

// ListClientsParams filters and pages GET /oauth_clients. Zero values are
// left out of the query.
type ListClientsParams struct {
	ClientType   ClientType // filter[client_type]
	Verified     *bool      // filter[verified]
	GrantType    GrantType  // filter[allowed_grant_types][contains]
	Name         string     // filter[name], exact
	NameContains string     // filter[name][contains]
	ClientID     string     // filter[client_id]
	PageSize     int        // page[size], 1..100 (server default 20)
	PageNumber   int        // page[number] of List, or the first page of All
	// Limit caps the number of items All yields (0: no cap).
	Limit int
}

func (p ListClientsParams) validate(op string) error {
	if p.ClientType != "" && !p.ClientType.Valid() {
		return fmt.Errorf("wrapper: %s: invalid client type %q", op, p.ClientType)
	}
	if p.GrantType != "" && !p.GrantType.Valid() {
		return fmt.Errorf("wrapper: %s: invalid grant type %q", op, p.GrantType)
	}
	return checkPaging(op, p.PageSize, p.PageNumber, p.Limit)
}

func (p ListClientsParams) wire(page int) *api.ListOAuthClientsParams {
	return &api.ListOAuthClientsParams{
		PageSize:                        ptrIf(p.PageSize),
		PageNumber:                      ptrIf(page),
		FilterClientType:                ptrIf(p.ClientType),
		FilterVerified:                  p.Verified,
		FilterAllowedGrantTypesContains: ptrIf(p.GrantType),
		FilterName:                      ptrIf(p.Name),
		FilterNameContains:              ptrIf(p.NameContains),
		FilterClientID:                  ptrIf(p.ClientID),
	}
}

// ClientsService manages OAuth clients.
type ClientsService struct{ c *Client }

// List calls GET /oauth_clients and returns one page.
func (s *ClientsService) List(ctx context.Context, p ListClientsParams, opts ...CallOption) (*Page[OAuthClient], error) {
	if err := p.validate("ListOAuthClients"); err != nil {
		return nil, err
	}
	return s.page(ctx, p, p.PageNumber, opts)
}

// All iterates over every client matching p, calling GET /oauth_clients
// once per page, from p.PageNumber (default 1); see the package's
// Pagination section for when it stops.
func (s *ClientsService) All(ctx context.Context, p ListClientsParams, opts ...CallOption) iter.Seq2[OAuthClient, error] {
	const op = "ListOAuthClients"
	if err := p.validate(op); err != nil {
		return func(yield func(OAuthClient, error) bool) { yield(OAuthClient{}, err) }
	}
	return paginate(ctx, op, p.PageNumber, p.Limit, func(ctx context.Context, n int) (*Page[OAuthClient], error) {
		return s.page(ctx, p, n, opts)
	})
}

func (s *ClientsService) page(ctx context.Context, p ListClientsParams, n int, opts []CallOption) (*Page[OAuthClient], error) {
	const op = "ListOAuthClients"
	hr, err := api.NewListOAuthClientsRequest(s.c.apiBase, p.wire(n))
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseListOAuthClientsResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, missing(op, "data", resp)
	}
	pg := &Page[OAuthClient]{Meta: metaOf(r.JSON200.Meta)}
	if r.JSON200.Data != nil {
		pg.Items = *r.JSON200.Data
	}
	return pg, nil
}

// Get calls GET /oauth_clients/{id}. id must be a UUID.
func (s *ClientsService) Get(ctx context.Context, id string, opts ...CallOption) (*OAuthClient, error) {
	const op = "GetOAuthClient"
	uid, err := parseID(op, "client", id)
	if err != nil {
		return nil, err
	}
	hr, err := s.c.routes.getClient.request(ctx, uid)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseGetOAuthClientResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil || r.JSON200.Data == nil {
		return nil, missing(op, "data", resp)
	}
	return r.JSON200.Data, nil
}

// Create calls POST /oauth_clients. The response carries the client secret
// once. It is not retried unless the call carries [WithIdempotencyKey].
func (s *ClientsService) Create(ctx context.Context, req CreateClientRequest, opts ...CallOption) (*OAuthClient, error) {
	const op = "CreateOAuthClient"
	switch {
	case req.Name == "":
		return nil, fmt.Errorf("wrapper: %s: name is required", op)
	case !req.ClientType.Valid():
		return nil, fmt.Errorf("wrapper: %s: invalid client type %q", op, req.ClientType)
	case len(req.AllowedGrantTypes) == 0 || req.AllowedScopes == nil:
		return nil, fmt.Errorf("wrapper: %s: allowed_grant_types and allowed_scopes are required", op)
	}
	if err := validURIs(op, "redirect_uris", req.RedirectUris); err != nil {
		return nil, err
	}
	hr, err := api.NewCreateOAuthClientRequest(s.c.apiBase, req)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseCreateOAuthClientResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON201 == nil || r.JSON201.Data == nil {
		return nil, missing(op, "data", resp)
	}
	return r.JSON201.Data, nil
}

// Update calls PUT /oauth_clients/{id}.
func (s *ClientsService) Update(ctx context.Context, id string, req UpdateClientRequest, opts ...CallOption) (*OAuthClient, error) {
	const op = "UpdateOAuthClient"
	uid, err := parseID(op, "client", id)
	if err != nil {
		return nil, err
	}
	if err := validURIs(op, "redirect_uris", req.RedirectUris); err != nil {
		return nil, err
	}
	hr, err := api.NewUpdateOAuthClientRequest(s.c.apiBase, uid, req)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	resp, cancel, err := s.c.send(ctx, &call{op: op, bearer: true}, hr, opts, nil)
	if err != nil {
		return nil, err
	}
	r, err := parse(op, resp, cancel, api.ParseUpdateOAuthClientResponse)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil || r.JSON200.Data == nil {
		return nil, missing(op, "data", resp)
	}
	return r.JSON200.Data, nil
}

// Delete calls DELETE /oauth_clients/{id}. It is retried like every
// DELETE; a 404 answering a retry counts as success, since the attempt
// that failed (a 5xx, a dropped connection) may have deleted the client,
// and either way it is gone. A 404 on the first attempt is [ErrNotFound].
func (s *ClientsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	const op = "DeleteOAuthClient"
	uid, err := parseID(op, "client", id)
	if err != nil {
		return err
	}
	hr, err := s.c.routes.deleteClient.request(ctx, uid)
	if err != nil {
		return fmt.Errorf("wrapper: %s: build request: %w", op, err)
	}
	m := &call{op: op, bearer: true}
	resp, cancel, err := s.c.send(ctx, m, hr, opts, nil)
	if err != nil {
		if m.attempt > 1 && errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	drain(resp)
	cancel()
	return nil
}

// parseID checks that id is a UUID before anything is sent.
func parseID(op, what, id string) (uuid.UUID, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return uuid.UUID{}, fmt.Errorf("wrapper: %s: %s id %q is not a UUID", op, what, id)
	}
	return u, nil
}
