package specdrift

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// params merges path-level and operation-level parameters; the operation's
// win, as OpenAPI prescribes. Keys are "in name"; path parameters are keyed
// by the name rename gives them, so that they match by position in the path
// template, as on the wire.
func params(o operation, rename map[string]string) map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{o.item.Parameters, o.op.Parameters} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			name := ref.Value.Name
			if ref.Value.In == openapi3.ParameterInPath && rename[name] != "" {
				name = rename[name]
			}
			out[ref.Value.In+" "+name] = ref.Value
		}
	}
	return out
}

// pathNames maps the path parameter names of ours to upstream's at the same
// position of the template.
func pathNames(ours, up string) map[string]string {
	o, u := pathParam.FindAllString(ours, -1), pathParam.FindAllString(up, -1)
	out := map[string]string{}
	for i := range min(len(o), len(u)) {
		out[strings.Trim(o[i], "{}")] = strings.Trim(u[i], "{}")
	}
	return out
}

func (c *comparer) parameters(o, u operation) {
	ours, up := params(o, pathNames(o.path, u.path)), params(u, nil)
	for _, key := range sortedKeys(up) {
		p := up[key]
		where := "parameter " + key
		q, ok := ours[key]
		if !ok {
			if moved := findByName(ours, p.Name); moved != nil {
				c.addf(where, "", "in %s -> %s", p.In, moved.In)
				q = moved
			} else {
				c.addf(where, "", "parameter missing")
				continue
			}
		}
		c.parameter(where, q, p)
	}
	for _, key := range sortedKeys(ours) {
		q := ours[key]
		if _, ok := up[key]; !ok && q.Required && findByName(up, q.Name) == nil {
			c.addf("parameter "+key, "", "required parameter not in upstream")
		}
	}
}

func findByName(ps map[string]*openapi3.Parameter, name string) *openapi3.Parameter {
	for _, key := range sortedKeys(ps) {
		if ps[key].Name == name {
			return ps[key]
		}
	}
	return nil
}

func (c *comparer) parameter(where string, ours, up *openapi3.Parameter) {
	if ours.Required != up.Required {
		c.addf(where, "", "required %t -> %t", up.Required, ours.Required)
	}
	if a, b := paramStyle(up), paramStyle(ours); a != b {
		c.addf(where, "", "style %s -> %s", a, b)
	}
	if a, b := paramExplode(up), paramExplode(ours); a != b {
		c.addf(where, "", "explode %t -> %t", a, b)
	}
	if up.Schema != nil || ours.Schema != nil {
		c.schema(where, "", ours.Schema, up.Schema)
	}
	if up.Content != nil || ours.Content != nil {
		c.content(where, ours.Content, up.Content)
	}
}

func paramStyle(p *openapi3.Parameter) string {
	if p.Style != "" {
		return p.Style
	}
	switch p.In {
	case openapi3.ParameterInQuery, openapi3.ParameterInCookie:
		return openapi3.SerializationForm
	}
	return openapi3.SerializationSimple
}

func paramExplode(p *openapi3.Parameter) bool {
	if p.Explode != nil {
		return *p.Explode
	}
	return paramStyle(p) == openapi3.SerializationForm
}

func (c *comparer) requestBody(oursRef, upRef *openapi3.RequestBodyRef) {
	ours, up := bodyOf(oursRef), bodyOf(upRef)
	switch {
	case ours == nil && up == nil:
		return
	case ours == nil:
		c.addf("request body", "", "body missing")
		return
	case up == nil:
		c.addf("request body", "", "body not in upstream")
		return
	}
	if ours.Required != up.Required {
		c.addf("request body", "", "required %t -> %t", up.Required, ours.Required)
	}
	c.content("request body", ours.Content, up.Content)
}

func bodyOf(ref *openapi3.RequestBodyRef) *openapi3.RequestBody {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// content compares media types: each upstream type must be declared by us
// with an equivalent schema, and we declare no type upstream lacks.
func (c *comparer) content(where string, ours, up openapi3.Content) {
	for _, ct := range sortedKeys(up) {
		mt, ok := ours[ct]
		if !ok {
			c.addf(where, "", "content type %s missing", ct)
			continue
		}
		c.schema(where+" "+ct, "", schemaOf(mt), schemaOf(up[ct]))
	}
	for _, ct := range sortedKeys(ours) {
		if _, ok := up[ct]; !ok {
			c.addf(where, "", "content type %s not in upstream", ct)
		}
	}
}

func schemaOf(mt *openapi3.MediaType) *openapi3.SchemaRef {
	if mt == nil {
		return nil
	}
	return mt.Schema
}

func (c *comparer) responses(ours, up *openapi3.Responses) {
	if up == nil {
		return
	}
	for _, status := range sortedKeys(up.Map()) {
		where := "response " + status
		u := up.Value(status)
		var o *openapi3.ResponseRef
		if ours != nil {
			o = ours.Value(status)
		}
		if o == nil || o.Value == nil {
			c.addf(where, "", "status missing")
			continue
		}
		if u == nil || u.Value == nil {
			continue
		}
		c.content(where, o.Value.Content, u.Value.Content)
		c.headers(where, o.Value.Headers, u.Value.Headers)
	}
}

// headers checks that every upstream response header is declared alike;
// extra headers of ours are harmless.
func (c *comparer) headers(where string, ours, up openapi3.Headers) {
	for _, name := range sortedKeys(up) {
		hw := where + " header " + name
		u := up[name]
		o, ok := ours[name]
		if !ok {
			c.addf(hw, "", "header missing")
			continue
		}
		if u.Value == nil || o.Value == nil {
			continue
		}
		c.parameter(hw, &o.Value.Parameter, &u.Value.Parameter)
	}
}

func (c *comparer) security(ours, up *openapi3.Operation) {
	oursReq, upReq := effectiveSecurity(c.ours, ours), effectiveSecurity(c.up, up)
	a, b := renderSecurity(upReq), renderSecurity(oursReq)
	if !slices.Equal(a, b) {
		c.addf("security", "", "[%s] -> [%s]", strings.Join(a, ", "), strings.Join(b, ", "))
	}
	names := map[string]bool{}
	for _, req := range oursReq {
		for name := range req {
			names[name] = true
		}
	}
	for _, req := range upReq {
		for name := range req {
			if names[name] {
				ou, uu := schemeOf(c.ours, name), schemeOf(c.up, name)
				if ou != uu {
					c.addf("security "+name, "", "scheme %s -> %s", uu, ou)
				}
				delete(names, name) // report each scheme once
			}
		}
	}
}

func effectiveSecurity(doc *openapi3.T, op *openapi3.Operation) openapi3.SecurityRequirements {
	if op.Security != nil {
		return *op.Security
	}
	return doc.Security
}

// renderSecurity lists the alternatives, each as its scheme names joined by
// "+"; an empty requirement (anonymous access) is "none".
func renderSecurity(reqs openapi3.SecurityRequirements) []string {
	out := make([]string, 0, len(reqs))
	for _, req := range reqs {
		names := sortedKeys(req)
		if len(names) == 0 {
			out = append(out, "none")
			continue
		}
		out = append(out, strings.Join(names, "+"))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// schemeOf describes a security scheme by what goes on the wire: its type,
// and the HTTP scheme or the API key's location.
func schemeOf(doc *openapi3.T, name string) string {
	if doc.Components == nil || doc.Components.SecuritySchemes[name] == nil || doc.Components.SecuritySchemes[name].Value == nil {
		return "undefined"
	}
	s := doc.Components.SecuritySchemes[name].Value
	switch s.Type {
	case "http":
		return "http " + strings.ToLower(s.Scheme)
	case "apiKey":
		return fmt.Sprintf("apiKey %s %s", s.In, s.Name)
	}
	return s.Type
}
