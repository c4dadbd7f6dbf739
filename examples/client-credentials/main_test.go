package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

func TestRunWithoutEnvironment(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(string) string { return "" }); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"using an in-process emulator",
		`authenticated as client "billing-service" (confidential)`,
		"the account has 1 OAuth client(s)",
		"cached: true",
		`oauth2.NewClient with the same token source: GET client "billing-service": 200 OK`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunWithEnvironment(t *testing.T) {
	ts := emulator.NewTestServer(t)
	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(ts.URL), wrapper.WithAPIKey(ts.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"reporting", "other-1", "other-2"} {
		cl, err := admin.Clients.Create(ctx, wrapper.CreateClientRequest{
			Name: name, ClientType: wrapper.ClientConfidential,
			AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantClientCredentials}, AllowedScopes: []string{"admin"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if name == "reporting" {
			ids = []string{cl.ClientID, *cl.ClientSecret}
		}
	}
	env := map[string]string{wrapper.EnvClientID: ids[0], wrapper.EnvClientSecret: ids[1], wrapper.EnvBaseURL: ts.URL}
	var out bytes.Buffer
	if err := run(ctx, &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	if strings.Contains(got, "in-process emulator") {
		t.Error("started its own emulator although credentials were given")
	}
	for _, want := range []string{`authenticated as client "reporting"`, "the account has 3 OAuth client(s)", "200 OK"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, ids[1]) {
		t.Error("output shows the client secret")
	}
}
