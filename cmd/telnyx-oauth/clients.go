package main

import (
	"iter"
	"slices"

	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

func newClientsCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "clients",
		Short: "Manage OAuth clients (list, get, create, update, delete)",
		Long: `Manage the OAuth clients of the account. These commands authenticate with
the API key (TELNYX_API_KEY), or with client credentials whose token has the
admin scope.`,
		Example: `  telnyx-oauth clients list --type confidential
  telnyx-oauth clients create --name "Billing service" --scope admin`,
		Args: cobra.ArbitraryArgs,
		RunE: groupRunE,
	}
	cmd.AddCommand(newClientsListCommand(e), newClientsGetCommand(e), newClientsCreateCommand(e),
		newClientsUpdateCommand(e), newClientsDeleteCommand(e))
	return cmd
}

// clientColumns is the table of a client list. Secrets are never shown.
var clientColumns = columns[wrapper.OAuthClient]{
	noun:   "clients",
	header: []string{"CLIENT ID", "NAME", "TYPE", "GRANT TYPES", "SCOPES", "PKCE", "CREATED"},
	row: func(c wrapper.OAuthClient) []string {
		return []string{c.ClientID, c.Name, string(c.ClientType), orDash(strsPtr(c.AllowedGrantTypes)),
			orDash(strsPtr(c.AllowedScopes)), boolStr(c.RequirePkce), timeStr(c.CreatedAt)}
	},
}

// clientFields is the key/value table of one client. The secret is shown
// only when withSecret is set (the create response).
func clientFields(c *wrapper.OAuthClient, withSecret bool) []field {
	fs := []field{
		{"client_id", c.ClientID},
		{"name", c.Name},
		{"client_type", string(c.ClientType)},
	}
	if withSecret {
		fs = append(fs, field{"client_secret", str(c.ClientSecret)})
	}
	return append(fs,
		field{"allowed_grant_types", strsPtr(c.AllowedGrantTypes)},
		field{"allowed_scopes", strsPtr(c.AllowedScopes)},
		field{"redirect_uris", strsPtr(c.RedirectUris)},
		field{"require_pkce", boolStr(c.RequirePkce)},
		field{"logo_uri", str(c.LogoURI)},
		field{"tos_uri", str(c.TosURI)},
		field{"policy_uri", str(c.PolicyURI)},
		field{"org_id", c.OrgID},
		field{"user_id", c.UserID},
		field{"created_at", timeStr(c.CreatedAt)},
		field{"updated_at", timeStr(c.UpdatedAt)},
	)
}

// printClient prints a client without its secret, in JSON too.
func printClient(p *printer, c *wrapper.OAuthClient) error {
	scrubbed := *c
	scrubbed.ClientSecret = nil
	return p.object(scrubbed, clientFields(&scrubbed, false))
}

// withoutSecrets drops any client secret a server puts in a listed client:
// only "clients create" prints one.
func withoutSecrets(seq iter.Seq2[wrapper.OAuthClient, error]) iter.Seq2[wrapper.OAuthClient, error] {
	return func(yield func(wrapper.OAuthClient, error) bool) {
		for c, err := range seq {
			c.ClientSecret = nil
			if !yield(c, err) {
				return
			}
		}
	}
}

func newClientsListCommand(e *env) *cobra.Command {
	var (
		pf                                 pageFlags
		ctype, grant, name, contains, byID string
		verified                           bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List OAuth clients (GET /oauth_clients)",
		Example: `  telnyx-oauth clients list
  telnyx-oauth clients list --all --json | jq -r .client_id
  telnyx-oauth clients list --name-contains billing --grant-type client_credentials`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := pf.check(); err != nil {
				return err
			}
			p := wrapper.ListClientsParams{
				ClientType: wrapper.ClientType(ctype), GrantType: wrapper.GrantType(grant),
				Name: name, NameContains: contains, ClientID: byID,
				PageSize: pf.size, PageNumber: pf.page, Limit: pf.limit,
			}
			if ctype != "" && !p.ClientType.Valid() {
				return usageErrorf("--type must be confidential or public, got %q", ctype)
			}
			if grant != "" && !p.GrantType.Valid() {
				return usageErrorf("--grant-type must be one of %s, got %q", grantTypeNames, grant)
			}
			if cmd.Flags().Changed("verified") {
				p.Verified = &verified
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			one := func() (*wrapper.Page[wrapper.OAuthClient], error) {
				page, err := c.Clients.List(ctx, p)
				if page != nil {
					for i := range page.Items {
						page.Items[i].ClientSecret = nil
					}
				}
				return page, err
			}
			return printList(e.printer(), &pf, withoutSecrets(c.Clients.All(ctx, p)), one, clientColumns, "clients")
		},
	}
	fl := cmd.Flags()
	pf.bind(cmd)
	fl.StringVar(&ctype, "type", "", "only clients of this type: confidential or public")
	fl.BoolVar(&verified, "verified", false, "only verified (or, with --verified=false, unverified) clients")
	fl.StringVar(&grant, "grant-type", "", "only clients allowing this grant type")
	fl.StringVar(&name, "name", "", "only clients with exactly this name")
	fl.StringVar(&contains, "name-contains", "", "only clients whose name contains this text")
	fl.StringVar(&byID, "id", "", "only the client with this client id")
	return cmd
}

func newClientsGetCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "get CLIENT_ID",
		Short:   "Show one OAuth client (GET /oauth_clients/{id})",
		Example: `  telnyx-oauth clients get 0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a --json`,
		Args:    exactArgs("CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuidArg("client id", args[0])
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			got, err := c.Clients.Get(ctx, id)
			if err != nil {
				return err
			}
			return printClient(e.printer(), got)
		},
	}
}

// clientFlags are the writable fields of a client.
type clientFlags struct {
	name, ctype, logo, tos, policy string
	grants, scopes, redirects      []string
	pkce                           bool
	idempotencyKey                 string
}

func (f *clientFlags) bind(cmd *cobra.Command, create bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "client name")
	if create {
		fl.StringVar(&f.ctype, "type", string(wrapper.ClientConfidential), "client type: confidential or public")
		fl.StringSliceVar(&f.grants, "grant-type", []string{string(wrapper.GrantClientCredentials)}, "allowed grant types (repeatable or comma-separated)")
		fl.StringSliceVar(&f.scopes, "scope", []string{"admin"}, "allowed scopes (repeatable or comma-separated)")
		fl.StringVar(&f.idempotencyKey, "idempotency-key", "", "Idempotency-Key header; makes the request safe to retry")
	} else {
		fl.StringSliceVar(&f.grants, "grant-type", nil, "allowed grant types (repeatable or comma-separated)")
		fl.StringSliceVar(&f.scopes, "scope", nil, "allowed scopes (repeatable or comma-separated)")
	}
	fl.StringArrayVar(&f.redirects, "redirect-uri", nil, "redirect URI (repeatable); required for authorization_code")
	fl.BoolVar(&f.pkce, "require-pkce", false, "require PKCE on the authorization-code flow")
	fl.StringVar(&f.logo, "logo-uri", "", "logo URL shown on the consent page")
	fl.StringVar(&f.tos, "tos-uri", "", "terms of service URL")
	fl.StringVar(&f.policy, "policy-uri", "", "privacy policy URL")
}

var grantTypeNames = "client_credentials, authorization_code, refresh_token"

func grantTypes(v []string) ([]wrapper.GrantType, error) {
	out := make([]wrapper.GrantType, 0, len(v))
	for _, s := range v {
		g := wrapper.GrantType(s)
		if !g.Valid() {
			return nil, usageErrorf("--grant-type must be one of %s, got %q", grantTypeNames, s)
		}
		out = append(out, g)
	}
	return out, nil
}

func (f *clientFlags) createRequest(changed func(string) bool) (wrapper.CreateClientRequest, error) {
	req := wrapper.CreateClientRequest{Name: f.name, ClientType: wrapper.ClientType(f.ctype), AllowedScopes: f.scopes}
	if f.name == "" {
		return req, usageErrorf("--name is required")
	}
	if !req.ClientType.Valid() {
		return req, usageErrorf("--type must be confidential or public, got %q", f.ctype)
	}
	if len(f.scopes) == 0 || slices.Contains(f.scopes, "") {
		return req, usageErrorf("--scope must name at least one scope")
	}
	g, err := grantTypes(f.grants)
	if err != nil {
		return req, err
	}
	if len(g) == 0 {
		return req, usageErrorf("--grant-type must name at least one grant type")
	}
	req.AllowedGrantTypes = g
	if err := absoluteURIs("--redirect-uri", f.redirects); err != nil {
		return req, err
	}
	if len(f.redirects) > 0 {
		req.RedirectUris = &f.redirects
	}
	if changed("require-pkce") {
		req.RequirePkce = &f.pkce
	}
	req.LogoURI, req.TosURI, req.PolicyURI = nonEmpty(f.logo), nonEmpty(f.tos), nonEmpty(f.policy)
	return req, nil
}

func (f *clientFlags) updateRequest(changed func(string) bool) (wrapper.UpdateClientRequest, error) {
	var req wrapper.UpdateClientRequest
	set := false
	if changed("name") {
		req.Name, set = &f.name, true
	}
	if changed("grant-type") {
		g, err := grantTypes(f.grants)
		if err != nil {
			return req, err
		}
		req.AllowedGrantTypes, set = &g, true
	}
	if changed("scope") {
		req.AllowedScopes, set = &f.scopes, true
	}
	if changed("redirect-uri") {
		if err := absoluteURIs("--redirect-uri", f.redirects); err != nil {
			return req, err
		}
		req.RedirectUris, set = &f.redirects, true
	}
	if changed("require-pkce") {
		req.RequirePkce, set = &f.pkce, true
	}
	for _, u := range []struct {
		flag string
		val  *string
		dst  **string
	}{{"logo-uri", &f.logo, &req.LogoURI}, {"tos-uri", &f.tos, &req.TosURI}, {"policy-uri", &f.policy, &req.PolicyURI}} {
		if changed(u.flag) {
			*u.dst, set = u.val, true
		}
	}
	if !set {
		return req, usageErrorf("nothing to update; give at least one of --name, --grant-type, --scope, --redirect-uri, --require-pkce, --logo-uri, --tos-uri, --policy-uri")
	}
	return req, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newClientsCreateCommand(e *env) *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   "create --name NAME [flags]",
		Short: "Create an OAuth client (POST /oauth_clients); its secret is shown once",
		Long: `Create an OAuth client. The response of this call is the only place the
client secret of a confidential client ever appears: it is printed once,
with a warning on stderr. Store it right away.`,
		Example: `  telnyx-oauth clients create --name "Billing service" --scope admin
  telnyx-oauth clients create --name "Web app" --type public \
      --grant-type authorization_code,refresh_token \
      --redirect-uri https://app.example.com/callback --require-pkce --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := f.createRequest(cmd.Flags().Changed)
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			got, err := c.Clients.Create(ctx, req, idempotency(f.idempotencyKey)...)
			if err != nil {
				return err
			}
			out := e.printer()
			out.secretOnce(got.ClientSecret)
			return out.object(got, clientFields(got, true))
		},
	}
	f.bind(cmd, true)
	return cmd
}

func newClientsUpdateCommand(e *env) *cobra.Command {
	var f clientFlags
	cmd := &cobra.Command{
		Use:   "update CLIENT_ID [flags]",
		Short: "Change an OAuth client (PUT /oauth_clients/{id}); unset flags keep their value",
		Example: `  telnyx-oauth clients update 0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a --name "Billing v2" --require-pkce
  telnyx-oauth clients update 0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a --scope admin`,
		Args: exactArgs("CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuidArg("client id", args[0])
			if err != nil {
				return err
			}
			req, err := f.updateRequest(cmd.Flags().Changed)
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			got, err := c.Clients.Update(ctx, id, req)
			if err != nil {
				return err
			}
			return printClient(e.printer(), got)
		},
	}
	f.bind(cmd, false)
	return cmd
}

func newClientsDeleteCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "delete CLIENT_ID",
		Short:   "Delete an OAuth client (DELETE /oauth_clients/{id})",
		Example: `  telnyx-oauth clients delete 0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a`,
		Args:    exactArgs("CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuidArg("client id", args[0])
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			if err := c.Clients.Delete(ctx, id); err != nil {
				return err
			}
			type deleted struct {
				ClientID string `json:"client_id"`
				Deleted  bool   `json:"deleted"`
			}
			return e.printer().object(deleted{id, true}, []field{{"client_id", id}, {"deleted", "true"}})
		},
	}
}
