package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The list data sources return their entries as a list attribute of an
// object element type, not as a nested attribute: Terraform's test
// framework (mock_provider, mock_data, override_data) can fill only the
// former with a list. Such an attribute has no per-field descriptions, so a
// data source's table of listFields is the one source of its element type,
// of the field list in the attribute's description (which the docs render)
// and of the values.

// listField is one attribute of a list's elements: its name, type and
// description, and how its value is taken from the client's struct T.
type listField[T any] struct {
	name, description string
	typ               attr.Type
	value             func(*T) attr.Value
}

func stringField[T any](name, description string, get func(*T) *string) listField[T] {
	return listField[T]{name: name, description: description, typ: types.StringType,
		value: func(v *T) attr.Value { return types.StringPointerValue(get(v)) }}
}

func int64Field[T any](name, description string, get func(*T) *int64) listField[T] {
	return listField[T]{name: name, description: description, typ: types.Int64Type,
		value: func(v *T) attr.Value { return types.Int64PointerValue(get(v)) }}
}

func boolField[T any](name, description string, get func(*T) *bool) listField[T] {
	return listField[T]{name: name, description: description, typ: types.BoolType,
		value: func(v *T) attr.Value { return types.BoolPointerValue(get(v)) }}
}

// listFields is a data source's table of element fields, in the order the
// docs list them.
type listFields[T any] []listField[T]

func (fs listFields[T]) attrTypes() map[string]attr.Type {
	m := make(map[string]attr.Type, len(fs))
	for _, f := range fs {
		m[f.name] = f.typ
	}
	return m
}

func (fs listFields[T]) elementType() types.ObjectType {
	return types.ObjectType{AttrTypes: fs.attrTypes()}
}

// attribute is the computed list attribute; its description is intro
// followed by a markdown list of the element fields.
func (fs listFields[T]) attribute(intro string) schema.ListAttribute {
	var b strings.Builder
	b.WriteString(intro)
	b.WriteString(" Each element has these attributes:\n")
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  - `%s` (%s) %s", f.name, typeName(f.typ), f.description)
	}
	return schema.ListAttribute{Description: b.String(), Computed: true, ElementType: fs.elementType()}
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

// list builds the attribute's value from the client's entries, in their
// order.
func (fs listFields[T]) list(items []*T) types.List {
	attrTypes := fs.attrTypes()
	elems := make([]attr.Value, len(items))
	for i, item := range items {
		values := make(map[string]attr.Value, len(fs))
		for _, f := range fs {
			values[f.name] = f.value(item)
		}
		elems[i] = types.ObjectValueMust(attrTypes, values)
	}
	return types.ListValueMust(types.ObjectType{AttrTypes: attrTypes}, elems)
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
