package wiretest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

// documented is one response example of openapi.yaml.
type documented struct {
	operation   string
	status      string // "200", ..., or "default"
	contentType string
	name        string // "example", the examples key, or "schema example"
	value       any
}

func (d documented) String() string {
	return fmt.Sprintf("%s/%s/%s/%s", d.operation, d.status, d.contentType, d.name)
}

// httpStatus is the status to serve for the documented one; "default"
// covers every undeclared status, so serve one the gateway sends.
func (d documented) httpStatus() int {
	if d.status == "default" {
		return http.StatusServiceUnavailable
	}
	n, err := strconv.Atoi(d.status)
	if err != nil {
		panic(d.status)
	}
	return n
}

// documentedResponses lists every response example of openapi.yaml: the
// media type's example or examples, or else its schema's example.
func documentedResponses(t *testing.T) []documented {
	t.Helper()
	doc, err := spec.Parse()
	if err != nil {
		t.Fatal(err)
	}
	var out []documented
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for status, resp := range op.Responses.Map() {
				for ct, mt := range resp.Value.Content {
					out = append(out, examplesOf(op.OperationID, status, ct, mt)...)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b documented) int { return strings.Compare(a.String(), b.String()) })
	return out
}

func examplesOf(op, status, ct string, mt *openapi3.MediaType) []documented {
	d := documented{operation: op, status: status, contentType: ct}
	switch {
	case mt.Example != nil:
		d.name, d.value = "example", mt.Example
		return []documented{d}
	case len(mt.Examples) > 0:
		var out []documented
		for name, ex := range mt.Examples {
			d.name, d.value = name, ex.Value.Value
			out = append(out, d)
		}
		return out
	case mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil:
		d.name, d.value = "schema example", mt.Schema.Value.Example
		return []documented{d}
	}
	return nil
}

// TestDocumentedResponsesDecode serves every documented response, success
// and error, from the document's own example and checks that the generated
// client decodes it into the typed field for its status, equal to the
// example.
func TestDocumentedResponsesDecode(t *testing.T) {
	all := documentedResponses(t)
	covered := map[string]bool{}
	for _, d := range all {
		covered[d.operation] = true
	}
	for op := range invokers {
		if !covered[op] {
			t.Errorf("%s: no documented response example", op)
		}
	}
	if len(invokers) != 17 {
		t.Errorf("invokers cover %d operations, want 17", len(invokers))
	}
	for _, d := range all {
		t.Run(d.String(), func(t *testing.T) {
			invoke, ok := invokers[d.operation]
			if !ok {
				t.Fatalf("no invoker for %s", d.operation)
			}
			body, err := encodeExample(d)
			if err != nil {
				t.Fatal(err)
			}
			srv, _ := recordingServer(t, reply{status: d.httpStatus(), contentType: d.contentType, body: body})
			resp, err := invoke(context.Background(), newClients(t, srv))
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			checkDecoded(t, d, resp, body)
		})
	}
}

func encodeExample(d documented) ([]byte, error) {
	if strings.HasPrefix(d.contentType, "text/") {
		s, ok := d.value.(string)
		if !ok {
			return nil, fmt.Errorf("text example is %T, not a string", d.value)
		}
		return []byte(s), nil
	}
	return json.Marshal(d.value)
}

// checkDecoded finds the typed field for d's status (JSON200, JSON400, ...,
// JSONDefault), checks it alone is set, and compares it with the example.
func checkDecoded(t *testing.T, d documented, resp any, body []byte) {
	t.Helper()
	v := reflect.ValueOf(resp).Elem()
	if got := v.FieldByName("Body").Bytes(); string(got) != string(body) {
		t.Errorf("Body = %q, want %q", got, body)
	}
	want := ""
	if strings.Contains(d.contentType, "json") {
		want = "JSON" + strings.ToUpper(d.status[:1]) + d.status[1:] // JSON200, JSONDefault
	}
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if !strings.HasPrefix(name, "JSON") {
			continue
		}
		set := !v.Field(i).IsNil()
		if name == want && !set {
			t.Errorf("%s is nil; body %s", name, body)
		}
		if name != want && set {
			t.Errorf("%s is set, want only %q", name, want)
		}
	}
	if want == "" {
		return // text/html: no typed field, the body was checked above
	}
	field := v.FieldByName(want)
	if !field.IsValid() {
		t.Fatalf("%T has no field %s", resp, want)
	}
	got, err := json.Marshal(field.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if g, w := withoutNulls(t, got), withoutNulls(t, body); !reflect.DeepEqual(g, w) {
		t.Errorf("%s decoded to\n  %s\nwant the example\n  %s", want, got, body)
	}
}

// withoutNulls decodes JSON and drops members whose value is null: the
// typed structs omit a nil pointer, the examples spell null out.
func withoutNulls(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return dropNulls(v)
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e)
		}
	case []any:
		for i := range x {
			x[i] = dropNulls(x[i])
		}
	}
	return v
}
