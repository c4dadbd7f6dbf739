package contract_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/contract"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// BenchmarkWrapperGetGrant measures what validation adds to one call.
func BenchmarkWrapperGetGrant(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, grantJSON)
	}))
	defer srv.Close()
	check, err := contract.WrapperOption()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		opts []wrapper.Option
	}{{"plain", nil}, {"contract", []wrapper.Option{check}}} {
		b.Run(bc.name, func(b *testing.B) {
			opts := append([]wrapper.Option{wrapper.WithoutEnvironment(), wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey("KEY_bench")}, bc.opts...)
			c, err := wrapper.New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Grants.Get(ctx, "7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
