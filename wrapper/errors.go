package wrapper

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors for errors.Is. An [*APIError] matches the class of its
// HTTP status and, for OAuth endpoints, its RFC 6749 error code.
var (
	ErrNotFound     = errors.New("wrapper: not found")    // 404
	ErrUnauthorized = errors.New("wrapper: unauthorized") // 401
	ErrForbidden    = errors.New("wrapper: forbidden")    // 403
	ErrRateLimited  = errors.New("wrapper: rate limited") // 429
	ErrConflict     = errors.New("wrapper: conflict")     // 409
	ErrServer       = errors.New("wrapper: server error") // 5xx

	ErrInvalidGrant         = errors.New("wrapper: invalid_grant")          // error=invalid_grant
	ErrInvalidClient        = errors.New("wrapper: invalid_client")         // error=invalid_client
	ErrInvalidRequest       = errors.New("wrapper: invalid_request")        // error=invalid_request
	ErrInvalidScope         = errors.New("wrapper: invalid_scope")          // error=invalid_scope
	ErrUnauthorizedClient   = errors.New("wrapper: unauthorized_client")    // error=unauthorized_client
	ErrUnsupportedGrantType = errors.New("wrapper: unsupported_grant_type") // error=unsupported_grant_type
	// ErrAccessDenied matches an authorization callback carrying
	// error=access_denied (the user refused consent).
	ErrAccessDenied = errors.New("wrapper: access_denied")

	// ErrBodyTooLarge is returned when a response body exceeds the cap set
	// by [WithMaxBodySize].
	ErrBodyTooLarge = errors.New("wrapper: response body too large")
	// ErrNoCredentials is returned before sending a request that needs a
	// bearer token when the client has no credentials.
	ErrNoCredentials = errors.New("wrapper: no credentials configured")
)

var oauthCodes = map[string]error{
	"invalid_grant":          ErrInvalidGrant,
	"invalid_client":         ErrInvalidClient,
	"invalid_request":        ErrInvalidRequest,
	"invalid_scope":          ErrInvalidScope,
	"unauthorized_client":    ErrUnauthorizedClient,
	"unsupported_grant_type": ErrUnsupportedGrantType,
	"access_denied":          ErrAccessDenied,
}

// maxErrorBody is how much of an error body an [APIError] keeps.
const maxErrorBody = 512

// GatewayError is one entry of the API gateway's {"errors":[...]} body.
type GatewayError struct {
	Code   string `json:"code"`   // the gateway's error code, e.g. "10009"
	Title  string `json:"title"`  // a short summary
	Detail string `json:"detail"` // a longer explanation, when given
}

// APIError is a non-2xx response. It carries both error shapes the API uses:
// the OAuth {error, error_description} and the gateway {errors:[...]}.
type APIError struct {
	Operation   string         // operationId of the call
	StatusCode  int            // HTTP status
	Code        string         // OAuth error code, e.g. "invalid_grant"
	Description string         // OAuth error_description
	Errors      []GatewayError // gateway errors
	RequestID   string         // X-Request-Id response header
	RetryAfter  time.Duration  // from Retry-After or Retry-After-Ms, 0 if absent
	Body        string         // the body, truncated and with secret fields redacted
	// InvalidFields maps each field a dynamic registration refused (RFC
	// 7591 section 3.2.2, the invalid_fields member of a 400 from POST
	// /oauth/register) to the reasons; nil when the body has none.
	InvalidFields map[string][]string
}

// Error implements error. It never includes secrets.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wrapper: %s: %d %s", e.Operation, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		b.WriteString(": " + e.Code)
		if e.Description != "" {
			b.WriteString(" (" + e.Description + ")")
		}
	}
	for _, g := range e.Errors {
		fmt.Fprintf(&b, ": %s %s", g.Code, g.Title)
		if g.Detail != "" {
			b.WriteString(" (" + g.Detail + ")")
		}
	}
	if e.RequestID != "" {
		b.WriteString(" [request id " + e.RequestID + "]")
	}
	return b.String()
}

// Is reports whether the error belongs to the class of target.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrServer:
		return e.StatusCode >= 500
	}
	if s, ok := oauthCodes[e.Code]; ok && s == target {
		return true
	}
	for _, g := range e.Errors {
		if s, ok := oauthCodes[g.Code]; ok && s == target {
			return true
		}
	}
	return false
}

// LogValue implements [slog.LogValuer].
func (e *APIError) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("operation", e.Operation),
		slog.Int("status", e.StatusCode),
	}
	if e.Code != "" {
		attrs = append(attrs, slog.String("code", e.Code))
	}
	if len(e.Errors) > 0 {
		attrs = append(attrs, slog.String("gateway_code", e.Errors[0].Code))
	}
	if e.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", e.RequestID))
	}
	if e.RetryAfter > 0 {
		attrs = append(attrs, slog.Duration("retry_after", e.RetryAfter))
	}
	return slog.GroupValue(attrs...)
}

// newAPIError turns a non-2xx response into an *APIError. This is the only
// place where a status becomes an error.
func newAPIError(op string, resp *http.Response, body []byte) *APIError {
	e := &APIError{
		Operation:  op,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		RetryAfter: retryAfter(resp.Header),
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		var w struct {
			Error       string              `json:"error"`
			Description string              `json:"error_description"`
			Errors      []GatewayError      `json:"errors"`
			Invalid     map[string][]string `json:"invalid_fields"`
		}
		if json.Unmarshal(body, &w) == nil {
			e.Code, e.Description, e.Errors = w.Error, w.Description, w.Errors
			e.InvalidFields = w.Invalid
		}
	}
	red := redactBody(resp.Header.Get("Content-Type"), body)
	if len(red) > maxErrorBody {
		red = red[:maxErrorBody] + "…"
	}
	e.Body = red
	return e
}

// maxRetryAfter is where absurd Retry-After values saturate, so that a
// huge number never overflows into a short (or negative) wait.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads Retry-After-Ms, then Retry-After (seconds or HTTP date).
func retryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		ms, err := strconv.ParseFloat(v, 64)
		if (err == nil || errors.Is(err, strconv.ErrRange)) && ms >= 0 { // NaN fails ms >= 0
			if ms >= float64(maxRetryAfter/time.Millisecond) {
				return maxRetryAfter
			}
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); (err == nil || errors.Is(err, strconv.ErrRange)) && s >= 0 {
		return time.Duration(min(s, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// decodeError wraps a JSON decoding failure with the operation and, when
// known, the field that failed.
func decodeError(op string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "(root)"
		}
		return fmt.Errorf("wrapper: %s: decode response: field %q: want %s, got %s: %w", op, field, te.Type, te.Value, err)
	}
	return fmt.Errorf("wrapper: %s: decode response: %w", op, err)
}
