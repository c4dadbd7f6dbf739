package specdrift

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// view is a schema with nullability separated from its types, so that 3.0
// `nullable: true`, 3.1 `type: [T, "null"]` and `anyOf: [T, {type: null}]`
// look the same.
type view struct {
	s        *openapi3.Schema
	types    []string // sorted, without "null"; empty means any type
	nullable bool
}

func normalize(ref *openapi3.SchemaRef) view {
	if ref == nil || ref.Value == nil {
		return view{}
	}
	s := ref.Value
	nullable := s.Nullable
	// anyOf/oneOf of a schema and {type: null}, with nothing beside them.
	for _, alts := range []openapi3.SchemaRefs{s.AnyOf, s.OneOf} {
		if len(alts) == 2 && bare(s) {
			for i, alt := range alts {
				if isNullOnly(alt) {
					inner := normalize(alts[1-i])
					inner.nullable = true
					return inner
				}
			}
		}
	}
	// allOf of a single schema with nothing beside it (the 3.0 way to put
	// siblings next to a $ref) is that schema.
	if len(s.AllOf) == 1 && bare(s) {
		inner := normalize(s.AllOf[0])
		inner.nullable = inner.nullable || nullable
		return inner
	}
	v := view{s: s, nullable: nullable}
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t == openapi3.TypeNull {
				v.nullable = true
				continue
			}
			v.types = append(v.types, t)
		}
	}
	slices.Sort(v.types)
	v.types = slices.Compact(v.types)
	return v
}

// bare reports whether s constrains nothing besides its composition keywords.
func bare(s *openapi3.Schema) bool {
	return (s.Type == nil || len(s.Type.Slice()) == 0) && len(s.Properties) == 0 && s.Items == nil && len(s.Enum) == 0 && s.Format == ""
}

func isNullOnly(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil || ref.Value.Type == nil {
		return false
	}
	t := ref.Value.Type.Slice()
	return len(t) == 1 && t[0] == openapi3.TypeNull
}

func (v view) typeString() string {
	if len(v.types) == 0 {
		return "any"
	}
	return strings.Join(v.types, "|")
}

// schema compares two schemas deeply. where names the place in the
// operation, ptr the JSON pointer inside the body.
func (c *comparer) schema(where, ptr string, ours, up *openapi3.SchemaRef) {
	c.schemaSeen(where, ptr, ours, up, map[[2]*openapi3.Schema]bool{})
}

func (c *comparer) schemaSeen(where, ptr string, oursRef, upRef *openapi3.SchemaRef, seen map[[2]*openapi3.Schema]bool) {
	ours, up := normalize(oursRef), normalize(upRef)
	switch {
	case ours.s == nil && up.s == nil:
		return
	case ours.s == nil:
		c.addf(where, ptr, "schema missing")
		return
	case up.s == nil:
		c.addf(where, ptr, "schema not in upstream")
		return
	}
	// seen holds the pairs being compared further up: a recursive schema
	// stops there, while a schema used in two places is compared in both.
	pair := [2]*openapi3.Schema{ours.s, up.s}
	if seen[pair] {
		return
	}
	seen[pair] = true
	defer delete(seen, pair)

	if a, b := up.typeString(), ours.typeString(); a != b {
		c.addf(where, ptr, "type %s -> %s", a, b)
		return // the rest would only repeat this
	}
	if up.nullable != ours.nullable {
		c.addf(where, ptr, "nullable %t -> %t", up.nullable, ours.nullable)
	}
	u, o := up.s, ours.s
	if u.Format != o.Format {
		c.addf(where, ptr, "format %s -> %s", orNone(u.Format), orNone(o.Format))
	}
	c.enum(where, ptr, o, u)
	c.scalar(where, ptr, "default", valueString(o.Default), valueString(u.Default))
	oMin, oExMin := bound(o.Min, o.ExclusiveMin)
	uMin, uExMin := bound(u.Min, u.ExclusiveMin)
	oMax, oExMax := bound(o.Max, o.ExclusiveMax)
	uMax, uExMax := bound(u.Max, u.ExclusiveMax)
	c.scalar(where, ptr, "minimum", oMin, uMin)
	c.scalar(where, ptr, "maximum", oMax, uMax)
	c.scalar(where, ptr, "exclusiveMinimum", oExMin, uExMin)
	c.scalar(where, ptr, "exclusiveMaximum", oExMax, uExMax)
	c.scalar(where, ptr, "multipleOf", floatString(o.MultipleOf), floatString(u.MultipleOf))
	c.scalar(where, ptr, "minLength", uintString(&o.MinLength), uintString(&u.MinLength))
	c.scalar(where, ptr, "maxLength", uintString(o.MaxLength), uintString(u.MaxLength))
	c.scalar(where, ptr, "pattern", orNone(o.Pattern), orNone(u.Pattern))
	c.scalar(where, ptr, "minItems", uintString(&o.MinItems), uintString(&u.MinItems))
	c.scalar(where, ptr, "maxItems", uintString(o.MaxItems), uintString(u.MaxItems))
	c.scalar(where, ptr, "uniqueItems", strconv.FormatBool(o.UniqueItems), strconv.FormatBool(u.UniqueItems))
	c.scalar(where, ptr, "minProperties", uintString(&o.MinProps), uintString(&u.MinProps))
	c.scalar(where, ptr, "maxProperties", uintString(o.MaxProps), uintString(u.MaxProps))

	switch {
	case u.Items != nil && o.Items != nil:
		c.schemaSeen(where, ptr+"/[]", o.Items, u.Items, seen)
	case u.Items != nil:
		c.addf(where, ptr, "items missing")
	case o.Items != nil:
		c.addf(where, ptr, "items not in upstream")
	}
	c.properties(where, ptr, o, u, seen)
	c.additional(where, ptr, o, u, seen)
	for _, kw := range []struct {
		name     string
		ours, up openapi3.SchemaRefs
	}{{"allOf", o.AllOf, u.AllOf}, {"anyOf", o.AnyOf, u.AnyOf}, {"oneOf", o.OneOf, u.OneOf}} {
		if len(kw.ours) != len(kw.up) {
			c.addf(where, ptr, "%s of %d -> %d schemas", kw.name, len(kw.up), len(kw.ours))
			continue
		}
		for i := range kw.up {
			c.schemaSeen(where, fmt.Sprintf("%s/%s/%d", ptr, kw.name, i), kw.ours[i], kw.up[i], seen)
		}
	}
}

func (c *comparer) scalar(where, ptr, field, ours, up string) {
	if ours != up {
		c.addf(where, ptr, "%s %s -> %s", field, up, ours)
	}
}

// enum compares allowed values as sets; const counts as a one-value enum.
func (c *comparer) enum(where, ptr string, ours, up *openapi3.Schema) {
	o, u := enumValues(ours), enumValues(up)
	switch {
	case o == nil && u == nil:
	case o == nil:
		c.addf(where, ptr, "enum %v -> none", u)
	case u == nil:
		c.addf(where, ptr, "enum none -> %v", o)
	default:
		for _, v := range u {
			if !slices.Contains(o, v) {
				c.addf(where, ptr, "enum value %s missing", v)
			}
		}
		for _, v := range o {
			if !slices.Contains(u, v) {
				c.addf(where, ptr, "enum value %s not in upstream", v)
			}
		}
	}
}

func enumValues(s *openapi3.Schema) []string {
	vals := s.Enum
	if s.Const != nil {
		vals = append(slices.Clone(vals), s.Const)
	}
	if len(vals) == 0 {
		return nil
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if v == nil {
			continue // null in an enum is nullability, compared apart
		}
		out = append(out, valueString(v))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (c *comparer) properties(where, ptr string, ours, up *openapi3.Schema, seen map[[2]*openapi3.Schema]bool) {
	names := map[string]bool{}
	for name := range up.Properties {
		names[name] = true
	}
	for _, name := range up.Required {
		names[name] = true
	}
	for _, name := range sortedKeys(names) {
		p := ptr + "/" + escape(name)
		uReq, oReq := slices.Contains(up.Required, name), slices.Contains(ours.Required, name)
		oProp, oDeclared := ours.Properties[name]
		if !oDeclared && !oReq {
			c.addf(where, p, "property missing")
			continue
		}
		if uReq != oReq {
			c.addf(where, p, "required %t -> %t", uReq, oReq)
		}
		if uProp, ok := up.Properties[name]; ok && oDeclared {
			c.schemaSeen(where, p, oProp, uProp, seen)
		}
	}
	for _, name := range ours.Required {
		if !names[name] {
			c.addf(where, ptr+"/"+escape(name), "required property not in upstream")
		}
	}
}

// additional compares additionalProperties: absent and true both allow any
// extra member, false allows none, a schema constrains them.
func (c *comparer) additional(where, ptr string, ours, up *openapi3.Schema, seen map[[2]*openapi3.Schema]bool) {
	ok, uk := additionalKind(ours.AdditionalProperties), additionalKind(up.AdditionalProperties)
	if ok != uk {
		c.addf(where, ptr, "additionalProperties %s -> %s", uk, ok)
		return
	}
	if uk == "schema" {
		c.schemaSeen(where, ptr+"/{}", ours.AdditionalProperties.Schema, up.AdditionalProperties.Schema, seen)
	}
}

func additionalKind(b openapi3.AdditionalProperties) string {
	switch {
	case b.Schema != nil:
		return "schema"
	case b.Has != nil && !*b.Has:
		return "false"
	}
	return "any"
}

func escape(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func valueString(v any) string {
	if v == nil {
		return "none"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func floatString(f *float64) string {
	if f == nil {
		return "none"
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}

func uintString(u *uint64) string {
	if u == nil || *u == 0 {
		return "none"
	}
	return strconv.FormatUint(*u, 10)
}

// bound returns an inclusive and an exclusive limit in one form for 3.0
// (`minimum: 1, exclusiveMinimum: true`) and 3.1 (`exclusiveMinimum: 1`).
func bound(limit *float64, ex openapi3.ExclusiveBound) (inclusive, exclusive string) {
	switch {
	case ex.Value != nil:
		return floatString(limit), floatString(ex.Value)
	case ex.Bool != nil && *ex.Bool && limit != nil:
		return "none", floatString(limit)
	}
	return floatString(limit), "none"
}

func sortedKeys[M ~map[K]V, K cmp.Ordered, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
