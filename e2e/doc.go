// Package e2e is the SDK's end-to-end suite. It holds only tests: every one
// of the 17 operations of openapi.yaml is run through the wrapper against the
// emulator, with contract validation on at both ends (contract.WrapperOption
// in the client, the emulator's own request and response validation in the
// server), so the wrapper, the emulator and the document cannot drift apart
// unnoticed. A final check fails when an operation went unexercised.
package e2e
