package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is an emulator serving HTTP on a TCP address, for programs (the
// CLI, the demo, examples) rather than tests; tests use [NewTestServer].
type Server struct {
	*Emulator
	// URL is the host root, such as "http://127.0.0.1:41234"; the API is at
	// URL+"/v2".
	URL string
	// APIKey is the admin API key.
	APIKey string

	srv      *http.Server
	done     chan struct{}
	serveErr error // set before done is closed
}

// Start listens on addr ("" or "127.0.0.1:0" picks a free loopback port),
// points the emulator's URLs (issuer, metadata, consent page) at the
// listener, and serves in the background until [Server.Close] or
// [Server.Shutdown].
func Start(addr string, opts ...Option) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	e, err := New(append(opts, WithBaseURL(base))...)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{
		Emulator: e,
		URL:      base,
		APIKey:   e.APIKey(),
		srv:      &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second},
		done:     make(chan struct{}),
	}
	go func() {
		s.serveErr = s.srv.Serve(ln)
		close(s.done)
	}()
	return s, nil
}

// Done is closed when the server stops serving, after Shutdown or Close or
// on a listener failure; [Server.Err] then says why.
func (s *Server) Done() <-chan struct{} { return s.done }

// Err is the reason serving stopped, once Done is closed: nil after
// Shutdown or Close, the listener's error otherwise.
func (s *Server) Err() error {
	select {
	case <-s.done:
		if errors.Is(s.serveErr, http.ErrServerClosed) {
			return nil
		}
		return s.serveErr
	default:
		return nil
	}
}

// Shutdown stops accepting connections and waits for calls in flight, up to
// ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("emulator: shutdown: %w", err)
	}
	<-s.done
	return s.Err()
}

// Close stops the server at once, dropping calls in flight.
func (s *Server) Close() error { return s.srv.Close() }
