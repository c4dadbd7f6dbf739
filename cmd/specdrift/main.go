// Command specdrift compares openapi.yaml with a Telnyx OpenAPI document and
// fails when they differ in a way spec/deviations.yaml does not list.
//
//	go run ./cmd/specdrift -upstream telnyx-spec3.yml
//
// It prints one line per difference ("listed:" or "UNLISTED:") and exits 0
// when every difference is a listed deviation, 1 when one is not, and 2 on a
// usage or load error. See package internal/specdrift for the comparison.
package main

import (
	"os"

	"github.com/telnyxoauth/telnyx-oauth-go/internal/specdrift"
)

func main() {
	os.Exit(specdrift.Run(os.Args[1:], os.Stdout, os.Stderr))
}
