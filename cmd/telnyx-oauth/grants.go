package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

func newGrantsCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "grants",
		Short: "Manage OAuth grants (list, get, revoke)",
		Long: `Manage the grants users gave OAuth clients. Revoking a grant makes its access
and refresh tokens inactive. These commands authenticate like "clients".`,
		Example: `  telnyx-oauth grants list --all
  telnyx-oauth grants revoke 7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b`,
		Args: cobra.ArbitraryArgs,
		RunE: groupRunE,
	}
	cmd.AddCommand(newGrantsListCommand(e), newGrantsGetCommand(e), newGrantsRevokeCommand(e))
	return cmd
}

var grantColumns = columns[wrapper.Grant]{
	noun:   "grants",
	header: []string{"GRANT ID", "CLIENT ID", "SCOPES", "CREATED", "LAST USED"},
	row: func(g wrapper.Grant) []string {
		return []string{g.ID.String(), g.ClientID, orDash(strs(g.Scopes)), timeStr(g.CreatedAt), orDash(timePtr(g.LastUsedAt))}
	},
}

func grantFields(g *wrapper.Grant) []field {
	return []field{
		{"id", g.ID.String()},
		{"client_id", g.ClientID},
		{"scopes", strs(g.Scopes)},
		{"created_at", timeStr(g.CreatedAt)},
		{"last_used_at", timePtr(g.LastUsedAt)},
	}
}

func newGrantsListCommand(e *env) *cobra.Command {
	var pf pageFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List OAuth grants (GET /oauth_grants)",
		Example: `  telnyx-oauth grants list
  telnyx-oauth grants list --all --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := pf.check(); err != nil {
				return err
			}
			p := wrapper.ListGrantsParams{PageSize: pf.size, PageNumber: pf.page, Limit: pf.limit}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			one := func() (*wrapper.Page[wrapper.Grant], error) { return c.Grants.List(ctx, p) }
			return printList(e.printer(), &pf, c.Grants.All(ctx, p), one, grantColumns, "grants")
		},
	}
	pf.bind(cmd)
	return cmd
}

// grantCommand builds "grants get" and "grants revoke", which differ only
// in the call they make.
func grantCommand(e *env, use, short, example string, call func(*wrapper.Client) func(ctx context.Context, id string, _ ...wrapper.CallOption) (*wrapper.Grant, error)) *cobra.Command {
	return &cobra.Command{
		Use:     use + " GRANT_ID",
		Short:   short,
		Example: example,
		Args:    exactArgs("GRANT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuidArg("grant id", args[0])
			if err != nil {
				return err
			}
			c, ctx, cancel, err := e.open(cmd, credAdmin)
			if err != nil {
				return err
			}
			defer cancel()
			g, err := call(c)(ctx, id)
			if err != nil {
				return err
			}
			return e.printer().object(g, grantFields(g))
		},
	}
}

func newGrantsGetCommand(e *env) *cobra.Command {
	return grantCommand(e, "get", "Show one OAuth grant (GET /oauth_grants/{id})",
		`  telnyx-oauth grants get 7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b --json`,
		func(c *wrapper.Client) func(context.Context, string, ...wrapper.CallOption) (*wrapper.Grant, error) {
			return c.Grants.Get
		})
}

func newGrantsRevokeCommand(e *env) *cobra.Command {
	return grantCommand(e, "revoke", "Revoke an OAuth grant and its tokens (DELETE /oauth_grants/{id})",
		`  telnyx-oauth grants revoke 7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b`,
		func(c *wrapper.Client) func(context.Context, string, ...wrapper.CallOption) (*wrapper.Grant, error) {
			return c.Grants.Revoke
		})
}
