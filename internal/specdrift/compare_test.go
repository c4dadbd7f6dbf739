package specdrift

import (
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// upstreamBase is a small OpenAPI 3.1 document in the shape of Telnyx's:
// type arrays for nullability, inline and $ref schemas.
const upstreamBase = `
openapi: 3.1.0
info: {title: upstream, version: "1"}
servers: [{url: https://api.example.com/v2}]
security: [{bearerAuth: []}]
paths:
  /oauth/token:
    post:
      operationId: ExchangeOAuthToken
      security: [{oauthClientAuth: []}, {}]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/TokenRequest'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/TokenResponse'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /oauth_clients/{id}:
    get:
      operationId: GetOAuthClient
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: 'page[size]', in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
        - {name: 'filter[client_type]', in: query, schema: {type: string, enum: [public, confidential]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {$ref: '#/components/schemas/Client'}
  /calls:
    get:
      operationId: ListCalls
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
    oauthClientAuth: {type: http, scheme: basic}
  schemas:
    TokenRequest:
      type: object
      required: [grant_type]
      properties:
        grant_type: {type: string, enum: [client_credentials, refresh_token]}
        scope: {type: string}
    TokenResponse:
      type: object
      required: [access_token, expires_in]
      properties:
        access_token: {type: string}
        expires_in: {type: integer}
        scopes: {type: array, items: {type: string}}
    Error:
      type: object
      required: [error]
      properties:
        error: {type: string}
    Client:
      type: object
      additionalProperties: false
      properties:
        name: {type: string}
        secret: {type: [string, 'null']}
        logo_uri:
          anyOf:
            - {type: string, format: uri}
            - {type: 'null'}
        meta: {type: object, additionalProperties: {type: integer}}
`

// oursBase is the same API written as OpenAPI 3.0, with our additions that
// cannot break anything: path-level parameters, a default response, an
// extra optional property, descriptions and examples.
const oursBase = `
openapi: 3.0.3
info: {title: ours, version: "2"}
servers: [{url: https://api.example.com/v2/}]
security: [{bearerAuth: []}]
paths:
  /oauth/token:
    post:
      operationId: ExchangeOAuthToken
      description: Obtain a token.
      security: [{oauthClientAuth: []}, {}]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/TokenRequest'}
      responses:
        '200':
          description: The token.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/TokenResponse'}
        '400':
          description: Refused.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OAuthError'}
              example: {error: invalid_grant}
        default:
          description: Anything else.
  /oauth_clients/{client_id}:
    parameters:
      - {name: client_id, in: path, required: true, schema: {type: string, format: uuid, example: 0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a}}
    get:
      operationId: GetOAuthClient
      parameters:
        - {name: 'page[size]', in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
        - {name: 'filter[client_type]', in: query, schema: {$ref: '#/components/schemas/ClientType'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ClientResponse'}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, description: An API key.}
    oauthClientAuth: {type: http, scheme: basic}
  schemas:
    ClientType: {type: string, enum: [confidential, public], example: public}
    TokenRequest:
      type: object
      required: [grant_type]
      properties:
        grant_type: {type: string, enum: [refresh_token, client_credentials]}
        scope: {type: string, example: admin}
    TokenResponse:
      type: object
      required: [access_token, expires_in]
      properties:
        access_token: {type: string}
        expires_in: {type: integer, description: Seconds.}
        scopes: {type: array, items: {type: string}}
        id_token: {type: string}
    OAuthError:
      type: object
      required: [error]
      properties:
        error: {type: string}
        error_description: {type: string}
    ClientResponse:
      type: object
      properties:
        data: {$ref: '#/components/schemas/Client'}
    Client:
      type: object
      additionalProperties: false
      properties:
        name: {type: string}
        secret: {type: string, nullable: true}
        logo_uri: {type: string, format: uri, nullable: true}
        meta: {type: object, additionalProperties: {type: integer}}
`

func mustLoad(t *testing.T, src string) *openapi3.T {
	t.Helper()
	doc, err := Load([]byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return doc
}

func lines(diffs []Difference) []string {
	out := make([]string, len(diffs))
	for i, d := range diffs {
		out[i] = d.String()
	}
	return out
}

func TestCompareEquivalentDocumentsHaveNoDifference(t *testing.T) {
	got := Compare(mustLoad(t, oursBase), mustLoad(t, upstreamBase))
	if len(got) != 0 {
		t.Fatalf("differences between equivalent documents:\n%s", strings.Join(lines(got), "\n"))
	}
}

func schemaOfComponent(doc *openapi3.T, name string) *openapi3.Schema {
	return doc.Components.Schemas[name].Value
}

func prop(doc *openapi3.T, schema, name string) *openapi3.Schema {
	return schemaOfComponent(doc, schema).Properties[name].Value
}

func param(doc *openapi3.T, path, name string) *openapi3.Parameter {
	item := doc.Paths.Value(path)
	for _, list := range []openapi3.Parameters{item.Parameters, item.Get.Parameters} {
		for _, p := range list {
			if p.Value.Name == name {
				return p.Value
			}
		}
	}
	panic("no parameter " + name)
}

func types(t ...string) *openapi3.Types { tt := openapi3.Types(t); return &tt }

func TestCompareReportsEachKindOfDifference(t *testing.T) {
	const client = "/oauth_clients/{client_id}"
	tests := []struct {
		name     string
		ours     func(*openapi3.T)
		upstream func(*openapi3.T)
		want     []string // exactly these lines; nil means no difference
	}{
		{
			name: "operation missing from ours",
			ours: func(d *openapi3.T) { d.Paths.Delete(client) },
			want: []string{"GetOAuthClient: operation GET /oauth_clients/{id}: only in upstream"},
		},
		{
			name: "operation of ours at another path upstream",
			ours: func(d *openapi3.T) { d.Paths.Set("/oauth/clients/{id}", d.Paths.Value(client)); d.Paths.Delete(client) },
			want: []string{
				"GetOAuthClient: operation GET /oauth/clients/{id}: not in upstream (upstream has GetOAuthClient at GET /oauth_clients/{id})",
				"GetOAuthClient: operation GET /oauth_clients/{id}: only in upstream",
			},
		},
		{
			name: "upstream OAuth operation we lack; non-OAuth paths ignored",
			upstream: func(d *openapi3.T) {
				d.Paths.Set("/oauth/revoke", &openapi3.PathItem{Post: &openapi3.Operation{OperationID: "RevokeOAuthToken", Responses: openapi3.NewResponses()}})
				d.Paths.Set("/.well-known/oauth-authorization-server", &openapi3.PathItem{Get: &openapi3.Operation{OperationID: "Meta", Responses: openapi3.NewResponses()}})
				d.Paths.Set("/calls/{id}", &openapi3.PathItem{Get: &openapi3.Operation{OperationID: "GetCall", Responses: openapi3.NewResponses()}})
			},
			want: []string{
				"Meta: operation GET /.well-known/oauth-authorization-server: only in upstream",
				"RevokeOAuthToken: operation POST /oauth/revoke: only in upstream",
			},
		},
		{
			name: "parameter missing",
			ours: func(d *openapi3.T) { d.Paths.Value(client).Get.Parameters = d.Paths.Value(client).Get.Parameters[:1] },
			want: []string{"GetOAuthClient: parameter query filter[client_type]: parameter missing"},
		},
		{
			name: "parameter moved",
			ours: func(d *openapi3.T) { param(d, client, "page[size]").In = "header" },
			want: []string{"GetOAuthClient: parameter query page[size]: in query -> header", "GetOAuthClient: parameter query page[size]: style form -> simple", "GetOAuthClient: parameter query page[size]: explode true -> false"},
		},
		{
			name: "parameter type",
			ours: func(d *openapi3.T) { param(d, client, "page[size]").Schema.Value.Type = types("string") },
			want: []string{"GetOAuthClient: parameter query page[size]: type integer -> string"},
		},
		{
			name: "parameter format",
			ours: func(d *openapi3.T) { param(d, client, "client_id").Schema.Value.Format = "" },
			want: []string{"GetOAuthClient: parameter path id: format uuid -> none"},
		},
		{
			name: "parameter required",
			ours: func(d *openapi3.T) { param(d, client, "filter[client_type]").Required = true },
			want: []string{"GetOAuthClient: parameter query filter[client_type]: required false -> true"},
		},
		{
			name: "parameter enum value missing",
			ours: func(d *openapi3.T) { schemaOfComponent(d, "ClientType").Enum = []any{"public"} },
			want: []string{`GetOAuthClient: parameter query filter[client_type]: enum value "confidential" missing`},
		},
		{
			name: "parameter maximum and minimum",
			ours: func(d *openapi3.T) {
				s := param(d, client, "page[size]").Schema.Value
				fifty := 50.0
				s.Max, s.Min = &fifty, nil
			},
			want: []string{"GetOAuthClient: parameter query page[size]: maximum 100 -> 50", "GetOAuthClient: parameter query page[size]: minimum 1 -> none"},
		},
		{
			name: "parameter default",
			ours: func(d *openapi3.T) { param(d, client, "page[size]").Schema.Value.Default = 10 },
			want: []string{"GetOAuthClient: parameter query page[size]: default 20 -> 10"},
		},
		{
			name: "extra required parameter is a difference, extra optional is not",
			ours: func(d *openapi3.T) {
				op := d.Paths.Value(client).Get
				str := openapi3.NewStringSchema().NewRef()
				op.Parameters = append(op.Parameters,
					&openapi3.ParameterRef{Value: &openapi3.Parameter{Name: "must", In: "query", Required: true, Schema: str}},
					&openapi3.ParameterRef{Value: &openapi3.Parameter{Name: "may", In: "query", Schema: str}})
			},
			want: []string{"GetOAuthClient: parameter query must: required parameter not in upstream"},
		},
		{
			name: "request body content types",
			ours: func(d *openapi3.T) {
				c := d.Paths.Value("/oauth/token").Post.RequestBody.Value.Content
				c["application/json"] = c["application/x-www-form-urlencoded"]
				delete(c, "application/x-www-form-urlencoded")
			},
			want: []string{
				"ExchangeOAuthToken: request body: content type application/json not in upstream",
				"ExchangeOAuthToken: request body: content type application/x-www-form-urlencoded missing",
			},
		},
		{
			name: "request body required",
			ours: func(d *openapi3.T) { d.Paths.Value("/oauth/token").Post.RequestBody.Value.Required = false },
			want: []string{"ExchangeOAuthToken: request body: required true -> false"},
		},
		{
			name: "request body schema enum value added",
			ours: func(d *openapi3.T) {
				prop(d, "TokenRequest", "grant_type").Enum = append(prop(d, "TokenRequest", "grant_type").Enum, "password")
			},
			want: []string{`ExchangeOAuthToken: request body application/x-www-form-urlencoded: /grant_type: enum value "password" not in upstream`},
		},
		{
			name: "response status missing; extra default is fine",
			ours: func(d *openapi3.T) { d.Paths.Value("/oauth/token").Post.Responses.Delete("400") },
			want: []string{"ExchangeOAuthToken: response 400: status missing"},
		},
		{
			name: "response content type",
			ours: func(d *openapi3.T) {
				c := d.Paths.Value("/oauth/token").Post.Responses.Value("200").Value.Content
				c["text/plain"] = c["application/json"]
				delete(c, "application/json")
			},
			want: []string{
				"ExchangeOAuthToken: response 200: content type application/json missing",
				"ExchangeOAuthToken: response 200: content type text/plain not in upstream",
			},
		},
		{
			name: "property missing",
			ours: func(d *openapi3.T) {
				s := schemaOfComponent(d, "TokenResponse")
				delete(s.Properties, "expires_in")
				s.Required = []string{"access_token"}
			},
			want: []string{"ExchangeOAuthToken: response 200 application/json: /expires_in: property missing"},
		},
		{
			name: "property type",
			ours: func(d *openapi3.T) { prop(d, "TokenResponse", "expires_in").Type = types("string") },
			want: []string{"ExchangeOAuthToken: response 200 application/json: /expires_in: type integer -> string"},
		},
		{
			name: "nested format",
			ours: func(d *openapi3.T) { prop(d, "Client", "name").Format = "email" },
			want: []string{"GetOAuthClient: response 200 application/json: /data/name: format none -> email"},
		},
		{
			name: "nullability, 3.0 against 3.1 type array",
			ours: func(d *openapi3.T) { prop(d, "Client", "secret").Nullable = false },
			want: []string{"GetOAuthClient: response 200 application/json: /data/secret: nullable true -> false"},
		},
		{
			name: "nullability, 3.0 against 3.1 anyOf null",
			ours: func(d *openapi3.T) { prop(d, "Client", "logo_uri").Nullable = false },
			want: []string{"GetOAuthClient: response 200 application/json: /data/logo_uri: nullable true -> false"},
		},
		{
			name: "property no longer required",
			ours: func(d *openapi3.T) { schemaOfComponent(d, "TokenResponse").Required = []string{"expires_in"} },
			want: []string{"ExchangeOAuthToken: response 200 application/json: /access_token: required true -> false"},
		},
		{
			name: "extra required property is a difference, extra optional is not",
			ours: func(d *openapi3.T) {
				s := schemaOfComponent(d, "TokenResponse")
				s.Properties["token_type"] = openapi3.NewStringSchema().NewRef()
				s.Required = append(s.Required, "token_type")
			},
			want: []string{"ExchangeOAuthToken: response 200 application/json: /token_type: required property not in upstream"},
		},
		{
			name: "array items",
			ours: func(d *openapi3.T) { prop(d, "TokenResponse", "scopes").Items.Value.Type = types("integer") },
			want: []string{"ExchangeOAuthToken: response 200 application/json: /scopes/[]: type string -> integer"},
		},
		{
			name: "additionalProperties opened",
			ours: func(d *openapi3.T) {
				schemaOfComponent(d, "Client").AdditionalProperties = openapi3.AdditionalProperties{}
			},
			want: []string{"GetOAuthClient: response 200 application/json: /data: additionalProperties false -> any"},
		},
		{
			name: "additionalProperties schema",
			ours: func(d *openapi3.T) {
				prop(d, "Client", "meta").AdditionalProperties.Schema.Value.Type = types("string")
			},
			want: []string{"GetOAuthClient: response 200 application/json: /data/meta/{}: type integer -> string"},
		},
		{
			name: "security requirement names",
			ours: func(d *openapi3.T) {
				d.Paths.Value("/oauth/token").Post.Security = &openapi3.SecurityRequirements{{"bearerAuth": {}}}
			},
			want: []string{"ExchangeOAuthToken: security: [none, oauthClientAuth] -> [bearerAuth]"},
		},
		{
			name: "security scheme type",
			upstream: func(d *openapi3.T) {
				d.Components.SecuritySchemes["oauthClientAuth"].Value = &openapi3.SecurityScheme{Type: "oauth2", Flows: &openapi3.OAuthFlows{}}
			},
			want: []string{"ExchangeOAuthToken: security oauthClientAuth: scheme oauth2 -> http basic"},
		},
		{
			name: "servers",
			ours: func(d *openapi3.T) {
				d.Paths.Value("/oauth/token").Servers = openapi3.Servers{{URL: "https://api.example.com"}}
			},
			want: []string{"ExchangeOAuthToken: servers: [https://api.example.com/v2] -> [https://api.example.com]"},
		},
		{
			name: "response header missing or changed; extra header is fine",
			upstream: func(d *openapi3.T) {
				h := &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Schema: openapi3.NewStringSchema().WithFormat("uri").NewRef()}}}
				r := d.Paths.Value("/oauth/token").Post.Responses.Value("200").Value
				r.Headers = openapi3.Headers{"Location": h, "Retry-After": h}
			},
			ours: func(d *openapi3.T) {
				r := d.Paths.Value("/oauth/token").Post.Responses.Value("200").Value
				r.Headers = openapi3.Headers{
					"Location":     &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Schema: openapi3.NewStringSchema().NewRef()}}},
					"X-Request-Id": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Schema: openapi3.NewStringSchema().NewRef()}}},
				}
			},
			want: []string{
				"ExchangeOAuthToken: response 200 header Location: format uri -> none",
				"ExchangeOAuthToken: response 200 header Retry-After: header missing",
			},
		},
		{
			name: "request body missing",
			ours: func(d *openapi3.T) { d.Paths.Value("/oauth/token").Post.RequestBody = nil },
			want: []string{"ExchangeOAuthToken: request body: body missing"},
		},
		{
			name: "request body not in upstream",
			ours: func(d *openapi3.T) {
				d.Paths.Value("/oauth_clients/{client_id}").Get.RequestBody = d.Paths.Value("/oauth/token").Post.RequestBody
			},
			want: []string{"GetOAuthClient: request body: body not in upstream"},
		},
		{
			name: "enum dropped",
			ours: func(d *openapi3.T) { schemaOfComponent(d, "ClientType").Enum = nil },
			want: []string{`GetOAuthClient: parameter query filter[client_type]: enum ["confidential" "public"] -> none`},
		},
		{
			name: "exclusive bounds: 3.0 boolean form equals 3.1 number form",
			upstream: func(d *openapi3.T) {
				s := param(d, "/oauth_clients/{id}", "page[size]").Schema.Value
				zero := 0.0
				s.Min, s.ExclusiveMin = nil, openapi3.ExclusiveBound{Value: &zero}
			},
			ours: func(d *openapi3.T) {
				s := param(d, client, "page[size]").Schema.Value
				zero, yes := 0.0, true
				s.Min, s.ExclusiveMin = &zero, openapi3.ExclusiveBound{Bool: &yes}
			},
		},
		{
			name: "exclusive bound changed",
			ours: func(d *openapi3.T) {
				s := param(d, client, "page[size]").Schema.Value
				yes := true
				s.ExclusiveMax = openapi3.ExclusiveBound{Bool: &yes}
			},
			want: []string{"GetOAuthClient: parameter query page[size]: exclusiveMaximum none -> 100", "GetOAuthClient: parameter query page[size]: maximum 100 -> none"},
		},
		{
			name: "allOf wrapping a $ref is that schema",
			ours: func(d *openapi3.T) {
				p := schemaOfComponent(d, "ClientResponse").Properties
				p["data"] = &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{p["data"]}, Description: "wrapped"}}
			},
		},
		{
			name: "recursive schemas terminate",
			ours: func(d *openapi3.T) {
				c := schemaOfComponent(d, "Client")
				c.Properties["parent"] = &openapi3.SchemaRef{Value: c}
			},
			upstream: func(d *openapi3.T) {
				c := schemaOfComponent(d, "Client")
				c.Properties["parent"] = &openapi3.SchemaRef{Value: c}
				c.Properties["name"].Value.Type = types("integer")
			},
			want: []string{"GetOAuthClient: response 200 application/json: /data/name: type integer -> string"},
		},
		{
			name: "a schema used twice is compared at both places",
			ours: func(d *openapi3.T) {
				p := schemaOfComponent(d, "ClientResponse").Properties
				p["previous"] = p["data"]
			},
			upstream: func(d *openapi3.T) {
				p := d.Paths.Value("/oauth_clients/{id}").Get.Responses.Value("200").Value.Content["application/json"].Schema.Value.Properties
				p["previous"] = p["data"]
				schemaOfComponent(d, "Client").Properties["name"].Value.Type = types("integer")
			},
			want: []string{
				"GetOAuthClient: response 200 application/json: /data/name: type integer -> string",
				"GetOAuthClient: response 200 application/json: /previous/name: type integer -> string",
			},
		},
		{
			name: "descriptions and examples are not differences",
			ours: func(d *openapi3.T) {
				prop(d, "TokenResponse", "expires_in").Description = "changed"
				prop(d, "TokenResponse", "expires_in").Example = 7
				d.Paths.Value("/oauth/token").Post.Summary = "changed"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ours, up := mustLoad(t, oursBase), mustLoad(t, upstreamBase)
			if tt.ours != nil {
				tt.ours(ours)
			}
			if tt.upstream != nil {
				tt.upstream(up)
			}
			got := lines(Compare(ours, up))
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}
