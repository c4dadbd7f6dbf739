package emulator

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// reply is a response built outside the generated types: errors in the
// shape the document declares for the operation and status, and a few
// hand-written successes. It satisfies every operation's response
// interface, so a handler can return it from any strict method.
type reply struct {
	status int
	header http.Header
	body   any // JSON-encoded; a string is written as HTML
}

func (p reply) write(w http.ResponseWriter) error {
	for k, v := range p.header {
		w.Header()[k] = v
	}
	if html, ok := p.body.(string); ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(p.status)
		_, err := w.Write([]byte(html))
		return err
	}
	writeJSON(w, p.status, p.body)
	return nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

type registrationError struct {
	Error         string              `json:"error"`
	Description   string              `json:"error_description,omitempty"`
	InvalidFields map[string][]string `json:"invalid_fields,omitempty"`
}

type gatewayError struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

func gatewayBody(code, title, detail string) map[string][]gatewayError {
	return map[string][]gatewayError{"errors": {{Code: code, Title: title, Detail: detail}}}
}

// shape is the kind of error body an operation declares for a status.
type shape int

const (
	shapeGateway      shape = iota // the default response: {"errors":[...]}
	shapeOAuth                     // OAuthError
	shapeRegistration              // RegistrationError
	shapeHTML                      // text/html
)

// shapes maps operationId and status to the declared error body, read from
// openapi.yaml so that the emulator cannot drift from it.
type shapes map[string]map[int]shape

func shapesOf(doc *openapi3.T) shapes {
	out := shapes{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			m := map[int]shape{}
			for code, ref := range op.Responses.Map() {
				status := 0
				for _, c := range code {
					if c < '0' || c > '9' {
						status = -1
						break
					}
					status = status*10 + int(c-'0')
				}
				if status < 400 || ref.Value == nil {
					continue
				}
				m[status] = shapeOfResponse(ref.Value)
			}
			out[op.OperationID] = m
		}
	}
	return out
}

func shapeOfResponse(resp *openapi3.Response) shape {
	if resp.Content.Get("text/html") != nil {
		return shapeHTML
	}
	mt := resp.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return shapeGateway
	}
	switch {
	case strings.HasSuffix(mt.Schema.Ref, "/RegistrationError"):
		return shapeRegistration
	case strings.HasSuffix(mt.Schema.Ref, "/GatewayErrors"):
		return shapeGateway
	}
	return shapeOAuth
}

// declares reports whether op declares status explicitly.
func (s shapes) declares(op string, status int) bool {
	_, ok := s[op][status]
	return ok
}

// fail builds an error reply for op in the declared shape for status; an
// undeclared status falls to the default gateway envelope.
func (s shapes) fail(op string, status int, code, desc string) reply {
	switch s[op][status] {
	case shapeOAuth:
		return reply{status: status, body: oauthError{Error: code, Description: desc}}
	case shapeRegistration:
		return reply{status: status, body: registrationError{Error: code, Description: desc}}
	case shapeHTML:
		return reply{status: status, body: htmlPage(http.StatusText(status), desc)}
	}
	return reply{status: status, body: gatewayBody(gatewayCode(status), http.StatusText(status), desc)}
}

func gatewayCode(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "10009"
	case http.StatusNotFound:
		return "10005"
	case http.StatusForbidden:
		return "10010"
	}
	return "10015"
}

// invalidClient is the 401 of the token and introspection endpoints. It
// always carries a Basic challenge: RFC 6749 section 5.2 requires one when
// the client tried HTTP Basic, and HTTP (RFC 9110 section 15.5.2) requires
// one on every 401.
func invalidClient(desc string) reply {
	return reply{
		status: http.StatusUnauthorized,
		header: http.Header{"Www-Authenticate": {`Basic realm="telnyx-oauth-emulator"`}},
		body:   oauthError{Error: "invalid_client", Description: desc},
	}
}

func oauthFail(status int, code, desc string) reply {
	return reply{status: status, body: oauthError{Error: code, Description: desc}}
}

func (p reply) VisitAuthorizeOAuthResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitCreateOAuthClientResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitCreateOAuthGrantResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitDeleteOAuthClientResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitExchangeOAuthTokenResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitGetOAuthAuthorizationServerMetadataResponse(w http.ResponseWriter) error {
	return p.write(w)
}

func (p reply) VisitGetOAuthClientResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitGetOAuthConsentTokenResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitGetOAuthGrantResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitGetOAuthJWKSResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitGetOAuthProtectedResourceMetadataResponse(w http.ResponseWriter) error {
	return p.write(w)
}

func (p reply) VisitIntrospectOAuthTokenResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitListOAuthClientsResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitListOAuthGrantsResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitRegisterOAuthClientResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitRevokeOAuthGrantResponse(w http.ResponseWriter) error { return p.write(w) }

func (p reply) VisitUpdateOAuthClientResponse(w http.ResponseWriter) error { return p.write(w) }
