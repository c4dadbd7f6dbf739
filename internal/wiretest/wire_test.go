package wiretest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// want is what a request must look like on the wire.
type want struct {
	method      string
	path        string // decoded
	escapedPath string // as sent; defaults to path
	query       url.Values
	rawQuery    []string // substrings of the raw query, to pin the escaping
	contentType string   // "" means no Content-Type and no body
	form        url.Values
	json        string // the body, compared after decoding
	auth        string // the Authorization header; "" means absent
}

type wireCase struct {
	name  string
	op    string // operationId; its first documented success example is served
	rep   *reply // served instead of the documented example
	call  func(ctx context.Context, c clients) (any, error)
	want  want
	check func(t *testing.T, resp any)
}

var (
	bearerHeader = "Bearer " + apiKey
	basicHeader  = "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+clientSecret))
	consentToken = "ct/a b é" // a slash, a space and a non-ASCII letter: one path segment
)

func wireCases() []wireCase {
	return []wireCase{
		{
			name: "GetOAuthAuthorizationServerMetadata", op: "GetOAuthAuthorizationServerMetadata",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.root.GetOAuthAuthorizationServerMetadataWithResponse(ctx)
			},
			want: want{method: "GET", path: "/.well-known/oauth-authorization-server"},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.GetOAuthAuthorizationServerMetadataResponse)
				if r.JSON200 == nil || deref(r.JSON200.TokenEndpoint) != "https://api.telnyx.com/v2/oauth/token" {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "GetOAuthProtectedResourceMetadata", op: "GetOAuthProtectedResourceMetadata",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.root.GetOAuthProtectedResourceMetadataWithResponse(ctx)
			},
			want: want{method: "GET", path: "/.well-known/oauth-protected-resource"},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.GetOAuthProtectedResourceMetadataResponse)
				if r.JSON200 == nil || deref(r.JSON200.Resource) != "https://api.telnyx.com" {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "AuthorizeOAuth", op: "AuthorizeOAuth",
			rep: &reply{status: http.StatusFound, header: map[string]string{"Location": "https://app.example.com/consent?t=ct_1"}},
			call: func(ctx context.Context, c clients) (any, error) {
				method := api.S256
				return c.api.AuthorizeOAuthWithResponse(ctx, &api.AuthorizeOAuthParams{
					ResponseType:        "code",
					ClientID:            clientID,
					RedirectURI:         "https://app.example.com/callback?x=1",
					Scope:               ptr("admin"),
					State:               ptr("af0i fj&x=1"),
					CodeChallenge:       ptr("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
					CodeChallengeMethod: &method,
				})
			},
			want: want{
				method: "GET", path: "/v2/oauth/authorize",
				query: url.Values{
					"response_type": {"code"}, "client_id": {clientID},
					"redirect_uri": {"https://app.example.com/callback?x=1"}, "scope": {"admin"},
					"state": {"af0i fj&x=1"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
					"code_challenge_method": {"S256"},
				},
				rawQuery: []string{"redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback%3Fx%3D1", "code_challenge_method=S256"},
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.AuthorizeOAuthResponse)
				if r.StatusCode() != http.StatusFound {
					t.Errorf("status = %d, want 302 (the redirect must not be followed)", r.StatusCode())
				}
				if r.Headers302 == nil || deref(r.Headers302.Location) != "https://app.example.com/consent?t=ct_1" {
					t.Errorf("Headers302 = %+v", r.Headers302)
				}
			},
		},
		{
			name: "GetOAuthConsentToken", op: "GetOAuthConsentToken",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.GetOAuthConsentTokenWithResponse(ctx, consentToken, bearer)
			},
			want: want{
				method: "GET", path: "/v2/oauth/consent/" + consentToken,
				escapedPath: "/v2/oauth/consent/ct%2Fa%20b%20%C3%A9", auth: bearerHeader,
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.GetOAuthConsentTokenResponse)
				if r.JSON200 == nil || r.JSON200.Data == nil || deref(r.JSON200.Data.ClientID) != clientID {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "CreateOAuthGrant", op: "CreateOAuthGrant",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.CreateOAuthGrantWithResponse(ctx, api.CreateOAuthGrantRequest{Allowed: false, ConsentToken: "ct_1"}, bearer)
			},
			want: want{
				method: "POST", path: "/v2/oauth/grants", contentType: "application/json",
				json: `{"allowed": false, "consent_token": "ct_1"}`, auth: bearerHeader,
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.CreateOAuthGrantResponse)
				if r.JSON200 == nil || !strings.Contains(r.JSON200.RedirectURI, "code=") {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "IntrospectOAuthToken form", op: "IntrospectOAuthToken",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.IntrospectOAuthTokenWithFormdataBodyWithResponse(ctx, api.IntrospectRequest{Token: "eyJ.a+b/c="}, basic)
			},
			want: want{
				method: "POST", path: "/v2/oauth/introspect", contentType: "application/x-www-form-urlencoded",
				form: url.Values{"token": {"eyJ.a+b/c="}}, auth: basicHeader,
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.IntrospectOAuthTokenResponse)
				if r.JSON200 == nil || !r.JSON200.Active || deref(r.JSON200.ClientID) != clientID {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "IntrospectOAuthToken JSON", op: "IntrospectOAuthToken",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.IntrospectOAuthTokenWithResponse(ctx, api.IntrospectRequest{Token: "at_1"}, basic)
			},
			want: want{
				method: "POST", path: "/v2/oauth/introspect", contentType: "application/json",
				json: `{"token": "at_1"}`, auth: basicHeader,
			},
		},
		{
			name: "GetOAuthJWKS", op: "GetOAuthJWKS",
			call: func(ctx context.Context, c clients) (any, error) { return c.api.GetOAuthJWKSWithResponse(ctx) },
			want: want{method: "GET", path: "/v2/oauth/jwks"},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.GetOAuthJWKSResponse)
				if r.JSON200 == nil || r.JSON200.Keys == nil || len(*r.JSON200.Keys) != 1 || deref((*r.JSON200.Keys)[0].Kid) != "2026-03-key-1" {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "RegisterOAuthClient", op: "RegisterOAuthClient",
			call: func(ctx context.Context, c clients) (any, error) {
				method := api.None
				return c.api.RegisterOAuthClientWithResponse(ctx, api.OAuthDynamicRegistrationRequest{
					ClientName:              ptr("Scheduling agent"),
					RedirectUris:            &[]string{"https://agent.example.com/callback"},
					GrantTypes:              &[]api.GrantType{api.AuthorizationCode, api.RefreshToken},
					TokenEndpointAuthMethod: &method,
				})
			},
			want: want{
				method: "POST", path: "/v2/oauth/register", contentType: "application/json",
				json: `{"client_name": "Scheduling agent", "redirect_uris": ["https://agent.example.com/callback"],
					"grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": "none"}`,
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.RegisterOAuthClientResponse)
				if r.JSON201 == nil || r.JSON201.ClientID == "" || r.JSON201.ClientIDIssuedAt != 1772362800 {
					t.Errorf("JSON201 = %+v", r.JSON201)
				}
			},
		},
		{
			name: "ExchangeOAuthToken client_credentials form with Basic", op: "ExchangeOAuthToken",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.ExchangeOAuthTokenWithFormdataBodyWithResponse(ctx, api.TokenRequest{GrantType: api.ClientCredentials, Scope: ptr("admin")}, basic)
			},
			want: want{
				method: "POST", path: "/v2/oauth/token", contentType: "application/x-www-form-urlencoded",
				form: url.Values{"grant_type": {"client_credentials"}, "scope": {"admin"}}, auth: basicHeader,
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.ExchangeOAuthTokenResponse)
				if r.JSON200 == nil || r.JSON200.ExpiresIn != 3600 || r.JSON200.TokenType != "Bearer" || r.JSON200.AccessToken == "" {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "ExchangeOAuthToken authorization_code form, public client", op: "ExchangeOAuthToken",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.ExchangeOAuthTokenWithFormdataBodyWithResponse(ctx, api.TokenRequest{
					GrantType: api.AuthorizationCode, Code: ptr("ac_9b8c7d6e"), RedirectURI: ptr("https://app.example.com/callback"),
					CodeVerifier: ptr("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), ClientID: ptr(clientID),
				})
			},
			want: want{
				method: "POST", path: "/v2/oauth/token", contentType: "application/x-www-form-urlencoded",
				form: url.Values{
					"grant_type": {"authorization_code"}, "code": {"ac_9b8c7d6e"}, "redirect_uri": {"https://app.example.com/callback"},
					"code_verifier": {"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}, "client_id": {clientID},
				},
			},
		},
		{
			name: "ExchangeOAuthToken refresh_token JSON, client_secret_post", op: "ExchangeOAuthToken",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.ExchangeOAuthTokenWithResponse(ctx, api.TokenRequest{
					GrantType: api.RefreshToken, RefreshToken: ptr("rt_1"), ClientID: ptr(clientID), ClientSecret: ptr(clientSecret),
				})
			},
			want: want{
				method: "POST", path: "/v2/oauth/token", contentType: "application/json",
				json: `{"grant_type": "refresh_token", "refresh_token": "rt_1", "client_id": "` + clientID + `", "client_secret": "` + clientSecret + `"}`,
			},
		},
		{
			name: "ListOAuthClients with every filter", op: "ListOAuthClients",
			call: func(ctx context.Context, c clients) (any, error) {
				ct, gt := api.Confidential, api.AuthorizationCode
				return c.api.ListOAuthClientsWithResponse(ctx, &api.ListOAuthClientsParams{
					PageSize: ptr(10), PageNumber: ptr(2), FilterClientType: &ct, FilterVerified: ptr(false),
					FilterAllowedGrantTypesContains: &gt, FilterName: ptr("Billing service"),
					FilterNameContains: ptr("Bill & Co/é"), FilterClientID: ptr(clientID),
				}, bearer)
			},
			want: want{
				method: "GET", path: "/v2/oauth_clients", auth: bearerHeader,
				query: url.Values{
					"page[size]": {"10"}, "page[number]": {"2"}, "filter[client_type]": {"confidential"},
					"filter[verified]": {"false"}, "filter[allowed_grant_types][contains]": {"authorization_code"},
					"filter[name]": {"Billing service"}, "filter[name][contains]": {"Bill & Co/é"}, "filter[client_id]": {clientID},
				},
				rawQuery: []string{
					"page%5Bnumber%5D=2", "page%5Bsize%5D=10", "filter%5Bverified%5D=false",
					"filter%5Bclient_type%5D=confidential", "filter%5Ballowed_grant_types%5D%5Bcontains%5D=authorization_code",
					"filter%5Bname%5D%5Bcontains%5D=Bill", "%26", "%C3%A9",
				},
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.ListOAuthClientsResponse)
				if r.JSON200 == nil || r.JSON200.Data == nil || len(*r.JSON200.Data) != 1 || r.JSON200.Meta == nil {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "ListOAuthClients without params sends no query", op: "ListOAuthClients",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.ListOAuthClientsWithResponse(ctx, &api.ListOAuthClientsParams{}, bearer)
			},
			want: want{method: "GET", path: "/v2/oauth_clients", auth: bearerHeader, query: url.Values{}},
		},
		{
			name: "CreateOAuthClient", op: "CreateOAuthClient",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.CreateOAuthClientWithResponse(ctx, api.OAuthClientCreateRequest{
					Name: "Billing service", AllowedScopes: []string{"admin"}, ClientType: api.Public,
					AllowedGrantTypes: []api.GrantType{api.AuthorizationCode}, RedirectUris: &[]string{"https://app.example.com/callback"},
					RequirePkce: ptr(true),
				}, bearer)
			},
			want: want{
				method: "POST", path: "/v2/oauth_clients", contentType: "application/json", auth: bearerHeader,
				json: `{"name": "Billing service", "allowed_scopes": ["admin"], "client_type": "public",
					"allowed_grant_types": ["authorization_code"], "redirect_uris": ["https://app.example.com/callback"], "require_pkce": true}`,
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.CreateOAuthClientResponse)
				if r.JSON201 == nil || r.JSON201.Data == nil || deref(r.JSON201.Data.ClientSecret) != "sk_live_7Qx2mB9vR4tY8wZ1" {
					t.Errorf("JSON201 = %+v", r.JSON201)
				}
			},
		},
		{
			name: "GetOAuthClient", op: "GetOAuthClient",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.GetOAuthClientWithResponse(ctx, uuid(clientUUID), bearer)
			},
			want: want{method: "GET", path: "/v2/oauth_clients/" + clientUUID, auth: bearerHeader},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.GetOAuthClientResponse)
				if r.JSON200 == nil || r.JSON200.Data == nil || r.JSON200.Data.ClientID != clientID {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "UpdateOAuthClient", op: "UpdateOAuthClient",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.UpdateOAuthClientWithResponse(ctx, uuid(clientUUID), api.OAuthClientUpdateRequest{
					Name: ptr("Billing service v2"), RequirePkce: ptr(false), AllowedScopes: &[]string{},
				}, bearer)
			},
			want: want{
				method: "PUT", path: "/v2/oauth_clients/" + clientUUID, contentType: "application/json", auth: bearerHeader,
				json: `{"name": "Billing service v2", "require_pkce": false, "allowed_scopes": []}`,
			},
		},
		{
			name: "DeleteOAuthClient", op: "DeleteOAuthClient", rep: &reply{status: http.StatusNoContent},
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.DeleteOAuthClientWithResponse(ctx, uuid(clientUUID), bearer)
			},
			want: want{method: "DELETE", path: "/v2/oauth_clients/" + clientUUID, auth: bearerHeader},
			check: func(t *testing.T, resp any) {
				if r := resp.(*api.DeleteOAuthClientResponse); r.StatusCode() != http.StatusNoContent {
					t.Errorf("status = %d", r.StatusCode())
				}
			},
		},
		{
			name: "ListOAuthGrants", op: "ListOAuthGrants",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.ListOAuthGrantsWithResponse(ctx, &api.ListOAuthGrantsParams{PageSize: ptr(100), PageNumber: ptr(3)}, bearer)
			},
			want: want{
				method: "GET", path: "/v2/oauth_grants", auth: bearerHeader,
				query:    url.Values{"page[size]": {"100"}, "page[number]": {"3"}},
				rawQuery: []string{"page%5Bsize%5D=100", "page%5Bnumber%5D=3"},
			},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.ListOAuthGrantsResponse)
				if r.JSON200 == nil || r.JSON200.Data == nil || len(*r.JSON200.Data) != 1 || (*r.JSON200.Data)[0].LastUsedAt != nil {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
		{
			name: "GetOAuthGrant", op: "GetOAuthGrant",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.GetOAuthGrantWithResponse(ctx, uuid(grantUUID), bearer)
			},
			want: want{method: "GET", path: "/v2/oauth_grants/" + grantUUID, auth: bearerHeader},
		},
		{
			name: "RevokeOAuthGrant", op: "RevokeOAuthGrant",
			call: func(ctx context.Context, c clients) (any, error) {
				return c.api.RevokeOAuthGrantWithResponse(ctx, uuid(grantUUID), bearer)
			},
			want: want{method: "DELETE", path: "/v2/oauth_grants/" + grantUUID, auth: bearerHeader},
			check: func(t *testing.T, resp any) {
				r := resp.(*api.RevokeOAuthGrantResponse)
				if r.JSON200 == nil || r.JSON200.Data == nil || r.JSON200.Data.ID.String() != grantUUID {
					t.Errorf("JSON200 = %+v", r.JSON200)
				}
			},
		},
	}
}

func TestWireRequests(t *testing.T) {
	examples := documentedResponses(t)
	ops := map[string]bool{}
	for _, tc := range wireCases() {
		ops[tc.op] = true
		t.Run(tc.name, func(t *testing.T) {
			rep := successReply(t, examples, tc.op)
			if tc.rep != nil {
				rep = *tc.rep
			}
			srv, requests := recordingServer(t, rep)
			resp, err := tc.call(context.Background(), newClients(t, srv))
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			got := requests()
			if len(got) != 1 {
				t.Fatalf("server got %d requests, want 1", len(got))
			}
			checkRequest(t, got[0], tc.want)
			if tc.check != nil {
				tc.check(t, resp)
			}
		})
	}
	if len(ops) != len(invokers) {
		t.Errorf("wire cases cover %d operations, want all %d", len(ops), len(invokers))
	}
}

// successReply serves the operation's first documented 2xx example.
func successReply(t *testing.T, examples []documented, op string) reply {
	t.Helper()
	for _, d := range examples {
		if d.operation == op && strings.HasPrefix(d.status, "2") {
			body, err := encodeExample(d)
			if err != nil {
				t.Fatal(err)
			}
			return reply{status: d.httpStatus(), contentType: d.contentType, body: body}
		}
	}
	return reply{status: http.StatusOK}
}

func checkRequest(t *testing.T, got seen, w want) {
	t.Helper()
	if got.method != w.method {
		t.Errorf("method = %s, want %s", got.method, w.method)
	}
	if got.path != w.path {
		t.Errorf("path = %q, want %q", got.path, w.path)
	}
	escaped := w.escapedPath
	if escaped == "" {
		escaped = w.path
	}
	if got.escapedPath != escaped {
		t.Errorf("escaped path = %q, want %q", got.escapedPath, escaped)
	}
	query, err := url.ParseQuery(got.rawQuery)
	if err != nil {
		t.Errorf("query %q does not parse: %v", got.rawQuery, err)
	}
	if w.query == nil {
		w.query = url.Values{}
	}
	if !reflect.DeepEqual(query, w.query) {
		t.Errorf("query = %v, want %v (raw %q)", query, w.query, got.rawQuery)
	}
	for _, sub := range w.rawQuery {
		if !strings.Contains(got.rawQuery, sub) {
			t.Errorf("raw query %q lacks %q", got.rawQuery, sub)
		}
	}
	if ct := got.header.Get("Content-Type"); ct != w.contentType {
		t.Errorf("Content-Type = %q, want %q", ct, w.contentType)
	}
	if auth := got.header.Get("Authorization"); auth != w.auth {
		t.Errorf("Authorization = %q, want %q", redact(auth), redact(w.auth))
	}
	switch {
	case w.form != nil:
		checkForm(t, got.body, w.form)
	case w.json != "":
		checkJSON(t, got.body, w.json)
	case len(got.body) != 0:
		t.Errorf("body = %q, want none", got.body)
	}
}

func checkForm(t *testing.T, body []byte, want url.Values) {
	t.Helper()
	form, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatalf("form body %q does not parse: %v", body, err)
	}
	for key, vals := range form {
		for _, v := range vals {
			if key == "" || v == "" {
				t.Errorf("form body %q has an empty key or value at %q", body, key)
			}
		}
	}
	if !reflect.DeepEqual(form, want) {
		t.Errorf("form = %v, want %v", form, want)
	}
}

func checkJSON(t *testing.T, body []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(body, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON body = %s, want %s", body, want)
	}
}

// redact keeps the scheme of an Authorization header and hides the rest.
func redact(h string) string {
	if scheme, _, ok := strings.Cut(h, " "); ok {
		return scheme + " <redacted>"
	}
	return h
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
