package specdrift

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Difference is one way in which openapi.yaml departs from the upstream
// document. Changes read "upstream -> ours".
type Difference struct {
	Operation string // operationId (ours; upstream's for an operation only upstream has)
	Where     string // e.g. "parameter query page[size]", "response 200 application/json", "security"
	Pointer   string // JSON pointer into the schema at Where; "" for its root
	Change    string // e.g. "type integer -> string", "property missing"
}

// String formats d as one line, "Operation: where[: pointer]: change". The
// line is also the key that deviations are matched against.
func (d Difference) String() string {
	if d.Pointer == "" {
		return d.Operation + ": " + d.Where + ": " + d.Change
	}
	return d.Operation + ": " + d.Where + ": " + d.Pointer + ": " + d.Change
}

// operation is one method on one path of a document.
type operation struct {
	id     string
	method string
	path   string
	item   *openapi3.PathItem
	op     *openapi3.Operation
}

func (o operation) name() string {
	if o.id != "" {
		return o.id
	}
	return o.method + " " + o.path
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// routeKey identifies an operation by method and path template; the names
// of path parameters do not matter.
func routeKey(method, path string) string {
	return strings.ToUpper(method) + " " + pathParam.ReplaceAllString(path, "{}")
}

func operations(doc *openapi3.T) map[string]operation {
	ops := map[string]operation{}
	for path, item := range doc.Paths.Map() {
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			ops[routeKey(method, path)] = operation{id: op.OperationID, method: strings.ToUpper(method), path: path, item: item, op: op}
		}
	}
	return ops
}

// IsOAuthPath reports whether an upstream path belongs to the OAuth API:
// /oauth*, /oauth_clients*, /oauth_grants* and /.well-known/oauth-*.
func IsOAuthPath(path string) bool {
	return strings.HasPrefix(path, "/oauth") || strings.HasPrefix(path, "/.well-known/oauth-")
}

// Compare returns every difference between ours and upstream, sorted by
// their line. Every operation of ours is looked up in upstream by method and
// path; every upstream operation on an OAuth path that ours lacks is
// reported too.
func Compare(ours, upstream *openapi3.T) []Difference {
	c := &comparer{ours: ours, up: upstream}
	ourOps, upOps := operations(ours), operations(upstream)
	upByID := map[string]operation{}
	for _, op := range upOps {
		if op.id != "" {
			upByID[op.id] = op
		}
	}
	for key, o := range ourOps {
		u, ok := upOps[key]
		if !ok {
			change := "not in upstream"
			if other, ok := upByID[o.id]; ok {
				change += fmt.Sprintf(" (upstream has %s at %s %s)", o.id, other.method, other.path)
			}
			c.add(o.name(), "operation "+o.method+" "+o.path, "", change)
			continue
		}
		c.operation(o, u)
	}
	for key, u := range upOps {
		if _, ok := ourOps[key]; !ok && IsOAuthPath(u.path) {
			c.add(u.name(), "operation "+u.method+" "+u.path, "", "only in upstream")
		}
	}
	slices.SortFunc(c.diffs, func(a, b Difference) int { return strings.Compare(a.String(), b.String()) })
	return slices.CompactFunc(c.diffs, func(a, b Difference) bool { return a == b })
}

type comparer struct {
	ours, up *openapi3.T
	diffs    []Difference
	opName   string
}

func (c *comparer) add(op, where, pointer, change string) {
	c.diffs = append(c.diffs, Difference{Operation: op, Where: where, Pointer: pointer, Change: change})
}

func (c *comparer) addf(where, pointer, format string, args ...any) {
	c.add(c.opName, where, pointer, fmt.Sprintf(format, args...))
}

func (c *comparer) operation(o, u operation) {
	c.opName = o.name()
	c.servers(o, u)
	c.parameters(o, u)
	c.requestBody(o.op.RequestBody, u.op.RequestBody)
	c.responses(o.op.Responses, u.op.Responses)
	c.security(o.op, u.op)
}

func effectiveServers(doc *openapi3.T, o operation) []string {
	servers := doc.Servers
	if o.item.Servers != nil {
		servers = o.item.Servers
	}
	if o.op.Servers != nil {
		servers = *o.op.Servers
	}
	urls := make([]string, 0, len(servers))
	for _, s := range servers {
		if s != nil {
			urls = append(urls, strings.TrimSuffix(s.URL, "/"))
		}
	}
	slices.Sort(urls)
	return urls
}

func (c *comparer) servers(o, u operation) {
	ours, up := effectiveServers(c.ours, o), effectiveServers(c.up, u)
	if !slices.Equal(ours, up) {
		c.addf("servers", "", "%v -> %v", up, ours)
	}
}
