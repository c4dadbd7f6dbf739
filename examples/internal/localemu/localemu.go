// Package localemu starts the Telnyx OAuth emulator in-process for the
// examples, so each runs with no account and no environment.
package localemu

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// Server is an emulator serving on a loopback port.
type Server struct {
	// URL is the host root, such as "http://127.0.0.1:41234".
	URL string
	// APIKey is the emulator's admin API key.
	APIKey string

	srv *http.Server
}

// Start serves a fresh emulator on 127.0.0.1 at a free port.
func Start() (*Server, error) {
	e, err := emulator.New()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), APIKey: e.APIKey()}
	if err := e.SetBaseURL(s.URL); err != nil {
		ln.Close()
		return nil, err
	}
	s.srv = &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	go s.srv.Serve(ln) //nolint:errcheck // ErrServerClosed after Close
	return s, nil
}

// Close stops the server, waiting briefly for calls in flight.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}
