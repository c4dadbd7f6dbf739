package wrapper_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// New builds a client from options; here it talks to an emulator started
// in-process, authenticates with the emulator's API key, creates two OAuth
// clients and walks every page of the client list with [ClientsService.All].
func ExampleNew() {
	emu, err := emulator.Start("")
	if err != nil {
		panic(err)
	}
	defer emu.Close()

	ctx := context.Background()
	c, err := wrapper.New(
		wrapper.WithoutEnvironment(), // ignore any TELNYX_* variables
		wrapper.WithBaseURL(emu.URL),
		wrapper.WithAPIKey(emu.APIKey),
	)
	if err != nil {
		panic(err)
	}
	for _, name := range []string{"billing", "reports"} {
		_, err := c.Clients.Create(ctx, wrapper.CreateClientRequest{
			Name:              name,
			ClientType:        wrapper.ClientConfidential,
			AllowedScopes:     []string{"admin"},
			AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials},
		})
		if err != nil {
			panic(err)
		}
	}

	// One client per page, so All fetches two pages.
	for cl, err := range c.Clients.All(ctx, wrapper.ListClientsParams{PageSize: 1}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(cl.Name, cl.ClientType)
	}
	// Output:
	// billing confidential
	// reports confidential
}

// With client credentials the client fetches, caches and refreshes its own
// access token; the emulator accepts tokens with the admin scope on the
// admin endpoints. A missing resource matches [wrapper.ErrNotFound].
func ExampleWithClientCredentials() {
	emu, err := emulator.Start("")
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	ctx := context.Background()

	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(emu.URL), wrapper.WithAPIKey(emu.APIKey))
	if err != nil {
		panic(err)
	}
	created, err := admin.Clients.Create(ctx, wrapper.CreateClientRequest{
		Name:              "billing",
		ClientType:        wrapper.ClientConfidential,
		AllowedScopes:     []string{"admin"},
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials},
	})
	if err != nil {
		panic(err)
	}

	c, err := wrapper.New(
		wrapper.WithBaseURL(emu.URL),
		wrapper.WithClientCredentials(created.ClientID, *created.ClientSecret),
	)
	if err != nil {
		panic(err)
	}
	self, err := c.Clients.Get(ctx, created.ClientID)
	if err != nil {
		panic(err)
	}
	fmt.Println(self.Name)

	_, err = c.Grants.Get(ctx, "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")
	fmt.Println(errors.Is(err, wrapper.ErrNotFound))
	// Output:
	// billing
	// true
}
