package wrapper

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const redacted = "[REDACTED]"

// maxLoggedBody caps how much of a request body is logged.
const maxLoggedBody = 4 << 10

// secretFields are body fields whose values never reach a log line or an
// error string.
var secretFields = map[string]bool{
	"client_secret": true, "code": true, "code_verifier": true, "refresh_token": true,
	"access_token": true, "token": true, "id_token": true, "consent_token": true,
	"password": true,
}

var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// logTransport logs each attempt at debug level with secrets redacted.
type logTransport struct {
	log  *slog.Logger
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !t.log.Enabled(ctx, slog.LevelDebug) {
		return t.next.RoundTrip(req)
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", redactPath(req.URL.Path)),
	}
	if m := callFrom(ctx); m != nil {
		attrs = append(attrs, slog.String("operation", m.op), slog.Int("attempt", m.attempt))
	}
	attrs = append(attrs, slog.Any("headers", redactHeader(req.Header)))
	if b := peekBody(req); b != "" {
		attrs = append(attrs, slog.String("body", b))
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs = append(attrs, slog.Duration("latency", time.Since(start)))
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		t.log.LogAttrs(ctx, slog.LevelDebug, "telnyx http attempt failed", attrs...)
		return resp, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", resp.Header.Get("X-Request-Id")))
	t.log.LogAttrs(ctx, slog.LevelDebug, "telnyx http attempt", attrs...)
	return resp, err
}

// peekBody returns the redacted request body without consuming it.
func peekBody(req *http.Request) string {
	if req.GetBody == nil || req.Body == nil || req.Body == http.NoBody {
		return ""
	}
	rc, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, maxLoggedBody))
	return redactBody(req.Header.Get("Content-Type"), b)
}

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range secretHeaders {
		if _, ok := out[k]; ok {
			out[k] = []string{redacted}
		}
	}
	return out
}

// redactPath hides the consent token in /oauth/consent/{token}.
func redactPath(p string) string {
	if i := strings.Index(p, "/oauth/consent/"); i >= 0 {
		return p[:i] + "/oauth/consent/" + redacted
	}
	return p
}

// redactBody returns body as text with every secret field's value replaced.
// A body that cannot be parsed as its content type is not shown at all.
func redactBody(contentType string, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	switch {
	case strings.Contains(contentType, "x-www-form-urlencoded"):
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return "[unparsable form body omitted]"
		}
		for k := range v {
			if secretFields[k] {
				v[k] = []string{redacted}
			}
		}
		return v.Encode()
	case strings.Contains(contentType, "json"):
		var doc any
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		if d.Decode(&doc) != nil {
			return "[unparsable JSON body omitted]"
		}
		out, _ := json.Marshal(redactJSON(doc))
		return string(out)
	case strings.HasPrefix(contentType, "text/"):
		return string(body)
	}
	return "[" + contentType + " body omitted]"
}

func redactJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if secretFields[k] {
				x[k] = redacted
			} else {
				x[k] = redactJSON(e)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = redactJSON(e)
		}
	}
	return v
}
