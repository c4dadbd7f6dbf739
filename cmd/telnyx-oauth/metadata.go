package main

import (
	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

const (
	docAuthorizationServer = "authorization-server"
	docProtectedResource   = "protected-resource"
)

func newMetadataCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "metadata [authorization-server|protected-resource]",
		Short: "Show the discovery documents (RFC 8414, RFC 9728)",
		Long: `Show the authorization server metadata (/.well-known/oauth-authorization-server)
and the protected resource metadata (/.well-known/oauth-protected-resource);
both when no document is named. They need no credentials. With --json and
both documents, one object holds them under "authorization_server" and
"protected_resource".`,
		Example: `  telnyx-oauth metadata
  telnyx-oauth metadata authorization-server --json | jq -r .token_endpoint`,
		Args:      metadataArgs,
		ValidArgs: []string{docAuthorizationServer, docProtectedResource},
		RunE: func(cmd *cobra.Command, args []string) error {
			which := ""
			if len(args) == 1 {
				which = args[0]
			}
			c, ctx, cancel, err := e.open(cmd, credNone)
			if err != nil {
				return err
			}
			defer cancel()
			var as *wrapper.AuthorizationServerMetadata
			var pr *wrapper.ResourceMetadata
			if which != docProtectedResource {
				if as, err = c.Discovery.AuthorizationServer(ctx); err != nil {
					return err
				}
			}
			if which != docAuthorizationServer {
				if pr, err = c.Discovery.ProtectedResource(ctx); err != nil {
					return err
				}
			}
			return printMetadata(e.printer(), as, pr)
		},
	}
}

func metadataArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) > 1:
		return unexpectedArg(1)
	case len(args) == 1 && args[0] != docAuthorizationServer && args[0] != docProtectedResource:
		return usageErrorf("unknown document %q; want %s or %s", args[0], docAuthorizationServer, docProtectedResource)
	}
	return nil
}

func printMetadata(p *printer, as *wrapper.AuthorizationServerMetadata, pr *wrapper.ResourceMetadata) error {
	switch {
	case as != nil && pr != nil && p.json:
		return p.encode(struct {
			AuthorizationServer *wrapper.AuthorizationServerMetadata `json:"authorization_server"`
			ProtectedResource   *wrapper.ResourceMetadata            `json:"protected_resource"`
		}{as, pr})
	case as != nil && pr != nil:
		fs := append([]field{{"# authorization server", ""}}, asFields(as)...)
		fs = append(fs, field{"# protected resource", ""})
		return p.object(nil, append(fs, prFields(pr)...))
	case as != nil:
		return p.object(as, asFields(as))
	default:
		return p.object(pr, prFields(pr))
	}
}

func asFields(m *wrapper.AuthorizationServerMetadata) []field {
	return []field{
		{"issuer", str(m.Issuer)},
		{"authorization_endpoint", str(m.AuthorizationEndpoint)},
		{"token_endpoint", str(m.TokenEndpoint)},
		{"introspection_endpoint", str(m.IntrospectionEndpoint)},
		{"registration_endpoint", str(m.RegistrationEndpoint)},
		{"jwks_uri", str(m.JwksURI)},
		{"scopes_supported", strsPtr(m.ScopesSupported)},
		{"response_types_supported", strsPtr(m.ResponseTypesSupported)},
		{"grant_types_supported", strsPtr(m.GrantTypesSupported)},
		{"token_endpoint_auth_methods_supported", strsPtr(m.TokenEndpointAuthMethodsSupported)},
		{"code_challenge_methods_supported", strsPtr(m.CodeChallengeMethodsSupported)},
	}
}

func prFields(m *wrapper.ResourceMetadata) []field {
	return []field{
		{"resource", str(m.Resource)},
		{"authorization_servers", strsPtr(m.AuthorizationServers)},
	}
}
