package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The list data sources return their entries as a list attribute of an
// object element type, not as a nested attribute: Terraform's test
// framework (mock_provider, mock_data, override_data) can fill only the
// former with a list. Such an attribute has no per-field descriptions, so a
// data source's listOf table is the one source of its element type, of the
// field list in the attribute's description (which the docs render) and of
// the values.
//
// The values are taken from the client's structs by the table, without the
// framework's reflection over model structs, which dominates a long list's
// read (DESIGN.md, "Performance"): as tftypes values for the framework's
// Read, or written straight as msgpack by the protocol server
// (state_msgpack.go).

// listField is one attribute of a list's elements: its name, type and
// description, and how its value is taken from the client's struct T.
type listField[T any] struct {
	name, description string
	typ               attr.Type
	value             func(*T) tftypes.Value
	write             func(*T, *msgpackWriter)
}

func stringField[T any](name, description string, get func(*T) *string) listField[T] {
	return listField[T]{name: name, description: description, typ: types.StringType,
		value: func(v *T) tftypes.Value { return stringValue(get(v)) },
		write: func(v *T, w *msgpackWriter) { w.string(get(v)) }}
}

func int64Field[T any](name, description string, get func(*T) *int64) listField[T] {
	return listField[T]{name: name, description: description, typ: types.Int64Type,
		value: func(v *T) tftypes.Value { return int64Value(get(v)) },
		write: func(v *T, w *msgpackWriter) { w.int64(get(v)) }}
}

func boolField[T any](name, description string, get func(*T) *bool) listField[T] {
	return listField[T]{name: name, description: description, typ: types.BoolType,
		value: func(v *T) tftypes.Value { return boolValue(get(v)) },
		write: func(v *T, w *msgpackWriter) { w.bool(get(v)) }}
}

// listOf is a data source's table of element fields, in the order the docs
// list them, with the element types computed once.
type listOf[T any] struct {
	fields      []listField[T]
	byName      []listField[T] // in name order, as msgpack writes an object
	elementType types.ObjectType
	tfElement   tftypes.Object
	tfList      tftypes.List
}

func newListOf[T any](fields ...listField[T]) *listOf[T] {
	attrTypes := make(map[string]attr.Type, len(fields))
	tfTypes := make(map[string]tftypes.Type, len(fields))
	for _, f := range fields {
		attrTypes[f.name] = f.typ
		tfTypes[f.name] = f.typ.TerraformType(nil) //nolint:staticcheck // primitive types ignore the context
	}
	element := tftypes.Object{AttributeTypes: tfTypes}
	byName := slices.SortedFunc(slices.Values(fields), func(a, b listField[T]) int { return strings.Compare(a.name, b.name) })
	return &listOf[T]{fields: fields, byName: byName, elementType: types.ObjectType{AttrTypes: attrTypes}, tfElement: element, tfList: tftypes.List{ElementType: element}}
}

// attribute is the computed list attribute; its description is intro
// followed by a markdown list of the element fields.
func (l *listOf[T]) attribute(intro string) schema.ListAttribute {
	var b strings.Builder
	b.WriteString(intro)
	b.WriteString(" Each element has these attributes:\n")
	for _, f := range l.fields {
		fmt.Fprintf(&b, "\n  - `%s` (%s) %s", f.name, typeName(f.typ), f.description)
	}
	return schema.ListAttribute{Description: b.String(), Computed: true, ElementType: l.elementType}
}

// typeName is the name the docs give an attribute type.
func typeName(t attr.Type) string {
	switch t {
	case types.Int64Type:
		return "Number"
	case types.BoolType:
		return "Boolean"
	default:
		return "String"
	}
}

// of is the attribute's value for the client's entries, in their order.
func (l *listOf[T]) of(items []*T) computedValue { return listValue[T]{l, items} }

// listValue is a list attribute's value: entries and the table that maps
// them.
type listValue[T any] struct {
	list  *listOf[T]
	items []*T
}

func (v listValue[T]) terraformValue() tftypes.Value { return v.list.value(v.items) }

func (v listValue[T]) writeMsgPack(w *msgpackWriter) {
	w.arrayLen(len(v.items))
	for _, item := range v.items {
		w.mapLen(len(v.list.byName))
		for _, f := range v.list.byName {
			w.keep(w.enc.EncodeString(f.name))
			f.write(item, w)
		}
	}
}

// value builds the attribute's value from the client's entries, in their
// order.
func (l *listOf[T]) value(items []*T) tftypes.Value {
	elems := make([]tftypes.Value, len(items))
	for i, item := range items {
		attrs := make(map[string]tftypes.Value, len(l.fields))
		for _, f := range l.fields {
			attrs[f.name] = f.value(item)
		}
		elems[i] = tftypes.NewValue(l.tfElement, attrs)
	}
	return tftypes.NewValue(l.tfList, elems)
}

// pointersTo returns pointers to the entries, for sorting without touching
// the client's slice (which its answer cache shares).
func pointersTo[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// int64OrZero is *p, or 0 for nil (a null id sorts first).
func int64OrZero(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
