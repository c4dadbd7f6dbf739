package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// steps are the lines the example prints, in order.
var steps = []string{
	"resource http://127.0.0.1:",
	"authorization server supports PKCE S256; token endpoint http://127.0.0.1:",
	"registered itself: public client ",
	`user sees the consent page: "example agent" asks for admin`,
	"user approved; redirected back to http://127.0.0.1:8765/callback",
	"callback checked (state, iss)",
	`got a Bearer token, scope "admin", refresh token: true`,
	`GET /v2/oauth_clients with the agent's token: found "example agent" (public)`,
}

func checkSteps(t *testing.T, out string) {
	t.Helper()
	rest := out
	for _, s := range steps {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("output lacks %q (in order):\n%s", s, out)
		}
		rest = rest[i+len(s):]
	}
}

func TestRunInProcess(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, "", ""); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "started an in-process emulator\n") {
		t.Errorf("output:\n%s", out.String())
	}
	checkSteps(t, out.String())
}

func TestRunAgainstBaseURL(t *testing.T) {
	ts := emulator.NewTestServer(t)
	var out bytes.Buffer
	if err := run(context.Background(), &out, ts.URL+"/v2", ts.APIKey); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "in-process") || !strings.Contains(out.String(), "resource "+ts.URL+" is protected by "+ts.URL) {
		t.Errorf("output:\n%s", out.String())
	}
	checkSteps(t, out.String())
	if err := run(context.Background(), &out, ts.URL, ""); err == nil {
		t.Error("ran without an API key to approve the consent")
	}
}
