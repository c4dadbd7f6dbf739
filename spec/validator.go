package spec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The authorize endpoint answers errors as text/html strings; kin-openapi
// decodes only text/plain out of the box. Registration is global, so it is
// done once, at init, before any validator can run concurrently.
func init() {
	if openapi3filter.RegisteredBodyDecoder("text/html") == nil {
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	}
}

// Validator checks requests and responses against the document.
// It is safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	opts   *openapi3filter.Options
}

// NewValidator builds a validator over the embedded openapi.yaml.
func NewValidator() (*Validator, error) {
	doc, err := Parse()
	if err != nil {
		return nil, err
	}
	return NewValidatorFor(doc)
}

// NewValidatorFor builds a validator over doc. It clears doc's servers (the
// validator matches paths relative to the API root), so pass a copy you own.
func NewValidatorFor(doc *openapi3.T) (*Validator, error) {
	doc.Servers = nil
	for _, item := range doc.Paths.Map() {
		item.Servers = nil
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("spec: router: %w", err)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc: checkAuthentication,
		MultiError:         false,
	}
	return &Validator{doc: doc, router: router, opts: opts}, nil
}

// Document returns the validator's document (read-only).
func (v *Validator) Document() *openapi3.T { return v.doc }

// Exchange is one request matched to its operation, ready for its response
// to be validated.
type Exchange struct {
	Operation string // the operationId
	input     *openapi3filter.RequestValidationInput
}

// Route finds the operation for method and path. path may carry the "/v2"
// API prefix; it is stripped before matching.
//
// Routing works on the escaped path, so a path parameter holding "/" (sent
// as %2F) stays one segment; parameter values are unescaped afterwards.
func (v *Validator) Route(r *http.Request) (*Exchange, error) {
	routed := *r.URL
	routed.Path = APIPath(r.URL.EscapedPath())
	routed.RawPath = ""
	routing := r.Clone(r.Context())
	routing.URL = &routed
	route, params, err := v.router.FindRoute(routing)
	if err != nil {
		return nil, &Error{Operation: r.Method + " " + r.URL.Path, Where: "route", Reason: "no such operation in openapi.yaml"}
	}
	for name, value := range params {
		if unescaped, err := url.PathUnescape(value); err == nil {
			params[name] = unescaped
		}
	}
	u := *r.URL
	u.Path = APIPath(u.Path)
	u.RawPath = ""
	if r.URL.RawPath != "" {
		u.RawPath = APIPath(r.URL.RawPath)
	}
	matched := r.Clone(r.Context())
	matched.URL = &u
	in := &openapi3filter.RequestValidationInput{Request: matched, PathParams: params, Route: route, Options: v.opts}
	return &Exchange{Operation: route.Operation.OperationID, input: in}, nil
}

// ValidateRequest routes r and checks its parameters, body and security.
// The body is read and restored, so r can still be sent or served.
func (v *Validator) ValidateRequest(ctx context.Context, r *http.Request) (*Exchange, error) {
	ex, err := v.Route(r)
	if err != nil {
		return nil, err
	}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return ex, fmt.Errorf("spec: read request body: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		ex.input.Request.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := openapi3filter.ValidateRequest(ctx, ex.input); err != nil {
		return ex, toError(ex.Operation, "request", err)
	}
	return ex, nil
}

// ValidateResponse checks a response to ex against the document: the status
// must be declared (or covered by default), and the body must match the
// schema of its content type.
func (v *Validator) ValidateResponse(ctx context.Context, ex *Exchange, status int, header http.Header, body []byte) error {
	op := ex.input.Route.Operation
	if op.Responses.Status(status) == nil && op.Responses.Default() == nil {
		return &Error{Operation: ex.Operation, Where: fmt.Sprintf("response %d", status), Reason: "status is not declared"}
	}
	opts := *v.opts
	opts.IncludeResponseStatus = true
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: ex.input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &opts,
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		return toError(ex.Operation, fmt.Sprintf("response %d", status), err)
	}
	return nil
}

// APIPath maps a request path to the document's path space: "/v2/x" → "/x".
// Host-root paths ("/.well-known/...") pass unchanged.
func APIPath(p string) string {
	if p == "/v2" {
		return "/"
	}
	if strings.HasPrefix(p, "/v2/") {
		return p[len("/v2"):]
	}
	return p
}

// checkAuthentication accepts a request whose Authorization header fits the
// scheme: Bearer for bearerAuth; Basic, or credentials in the body, for
// oauthClientAuth. Whether the credentials are right is the server's call.
func checkAuthentication(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme := strings.ToLower(in.SecurityScheme.Scheme)
	switch {
	case scheme == "bearer" && hasScheme(auth, "bearer"):
		return nil
	case scheme == "basic" && hasScheme(auth, "basic"):
		return nil
	case scheme == "basic" && bodyMayCarryClient(in.RequestValidationInput.Request):
		return nil
	}
	return fmt.Errorf("missing %s credentials", in.SecuritySchemeName)
}

func hasScheme(header, scheme string) bool {
	return len(header) > len(scheme) && strings.EqualFold(header[:len(scheme)], scheme) && header[len(scheme)] == ' '
}

func bodyMayCarryClient(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "application/json")
}

// Error is a contract violation: which operation, which side of the
// exchange, where in the JSON document, and why. It never carries the
// offending value, so secrets in a body cannot leak through it.
type Error struct {
	Operation string // operationId, or "METHOD path" when no operation matched
	Where     string // "request", "response 200", "route"
	Path      string // JSON pointer into the body, or the parameter, e.g. "query parameter page[size]"
	Reason    string // what is wrong, without the value
}

// Error formats the violation as
// "contract: OPERATION WHERE at PATH: REASON".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("contract: ")
	b.WriteString(e.Operation)
	b.WriteString(" ")
	b.WriteString(e.Where)
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// ErrContract matches every *Error with errors.Is.
var ErrContract = errors.New("contract violation")

// Is reports whether target is [ErrContract].
func (e *Error) Is(target error) bool { return target == ErrContract }

func toError(op, where string, err error) error {
	out := &Error{Operation: op, Where: where, Reason: "does not match openapi.yaml"}
	var reqErr *openapi3filter.RequestError
	var respErr *openapi3filter.ResponseError
	var secErr *openapi3filter.SecurityRequirementsError
	switch {
	case errors.As(err, &secErr):
		out.Path = "Authorization"
		out.Reason = "security requirements not met"
	case errors.As(err, &reqErr):
		if reqErr.Parameter != nil {
			out.Path = reqErr.Parameter.In + " parameter " + reqErr.Parameter.Name
		} else if reqErr.RequestBody != nil {
			out.Path = "body"
		}
		out.Reason = reasonOf(reqErr.Err, reqErr.Reason)
	case errors.As(err, &respErr):
		out.Reason = reasonOf(respErr.Err, respErr.Reason)
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		out.Path = pointer(out.Path, schemaErr.JSONPointer())
		out.Reason = schemaErr.Reason
	}
	return out
}

func reasonOf(err error, reason string) string {
	var parseErr *openapi3filter.ParseError
	switch {
	case errors.As(err, &parseErr):
		return "body does not parse: " + parseErr.Reason
	case reason != "":
		return reason
	case err != nil && !containsValue(err):
		return err.Error()
	}
	return "does not match openapi.yaml"
}

// containsValue is conservative: kin-openapi's generic error strings may
// quote values, so only a SchemaError's Reason is trusted to be value-free.
func containsValue(err error) bool {
	var schemaErr *openapi3.SchemaError
	return !errors.As(err, &schemaErr)
}

func pointer(prefix string, parts []string) string {
	var b strings.Builder
	if prefix != "" && prefix != "body" {
		b.WriteString(prefix)
	}
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(url.PathEscape(p)))
	}
	if b.Len() == 0 {
		return prefix
	}
	return b.String()
}
