package agent_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/agent"
)

func TestRegistrationPrintsNoSecret(t *testing.T) {
	const secret = "reg-secret-0123456789"
	reg := &agent.Registration{Issuer: "https://as.example", ClientID: "cid-1", ClientSecret: secret, AuthMethod: "client_secret_basic"}
	hexSecret := fmt.Sprintf("%x", secret)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		for _, v := range []any{reg, *reg} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, secret) || strings.Contains(got, hexSecret) {
				t.Errorf("%s of %T leaks the secret: %s", verb, v, got)
			}
			if !strings.Contains(got, "cid-1") {
				t.Errorf("%s of %T does not name the client: %s", verb, v, got)
			}
		}
	}
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	l.Info("registration", "ptr", reg, "value", *reg)
	if strings.Contains(buf.String(), secret) {
		t.Errorf("slog leaks the secret: %s", buf.String())
	}
}
