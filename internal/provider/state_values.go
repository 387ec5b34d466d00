package provider

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Helpers that read a data source's configuration and make its state's
// values without the framework's reflection over model structs: reading a
// configuration's attributes by name, and making primitive values.

// configAttributes are a data source configuration's attributes by name,
// those left null out: a lookup sets one or two of dozens. The state gets
// each back byte for byte as Terraform sent it.
type configAttributes map[string]configAttribute

// configAttribute is one attribute: its msgpack, and its value when it is
// set (known and not null), decoded once by decodeConfig; int64 is the
// value of a set Int64 attribute.
type configAttribute struct {
	raw   []byte
	value tftypes.Value
	int64 *int64
}

// configValueError is a set attribute whose value cannot be read as its
// schema type, such as an Int64 of 1.5: an error on that attribute, never
// a filter left out.
type configValueError struct {
	attribute string
	err       error
}

func (e *configValueError) Error() string {
	return fmt.Sprintf("the configuration's %s: %v", e.attribute, e.err)
}

// configValueDiagnostic is err as a diagnostic: on the attribute for a
// configValueError, else a bug in the provider.
func configValueDiagnostic(err error) diag.Diagnostic {
	var valueErr *configValueError
	if errors.As(err, &valueErr) {
		return diag.NewAttributeErrorDiagnostic(path.Root(valueErr.attribute), "Invalid Configuration Value",
			fmt.Sprintf("The value of %s cannot be read: %v. Set it to a whole number within the 64-bit range.", valueErr.attribute, valueErr.err))
	}
	if errors.As(err, new(*malformedConfigError)) {
		return diag.NewErrorDiagnostic("Unable to Convert Configuration",
			"The configuration the CLI sent is not a value of the data source's schema: "+err.Error()+
				". Terraform and OpenTofu send one that is; report this with the CLI's name and version.")
	}
	return configBug(err)
}

// int64Attributes are the names of a schema's Int64 attributes.
func int64Attributes[A interface{ GetType() attr.Type }](attrs map[string]A) map[string]bool {
	names := map[string]bool{}
	for name, a := range attrs {
		if a.GetType() == types.Int64Type {
			names[name] = true
		}
	}
	return names
}

// decodeConfig splits a configuration's msgpack object of type typ into
// its attributes that are not null, which share b's bytes. Every set
// attribute is decoded as its type here, and those named in int64s as whole
// 64-bit numbers, so that reading it later cannot fail: a filter that could
// not be read must not turn into no filter.
func decodeConfig(b []byte, typ tftypes.Object, int64s map[string]bool) (configAttributes, error) {
	if len(b) == 0 || b[0] == msgpcode.Nil || msgpcode.IsExt(b[0]) {
		return nil, errors.New("the configuration is null or unknown, not an object") // the framework answers these
	}
	r := bytes.NewReader(b)
	dec := msgpack.GetDecoder()
	defer msgpack.PutDecoder(dec)
	dec.Reset(r) // reads r directly: a bytes.Reader can unread
	n, err := dec.DecodeMapLen()
	if err != nil {
		return nil, malformed("reading the configuration: %w", err)
	}
	if n < 0 {
		return nil, errors.New("the configuration is null, not an object")
	}
	// Terraform sends every attribute of the schema, as tftypes requires; a
	// count read before the map is sized keeps a corrupt header from
	// allocating what it claims.
	if n != len(typ.AttributeTypes) {
		return nil, malformed("the configuration has %d attributes, the schema %d", n, len(typ.AttributeTypes))
	}
	attrs := configAttributes{}
	// Terraform sends the names sorted, so only a name out of order can be
	// a repeat.
	var namesSeen [64]string
	seen, greatest := namesSeen[:0], ""
	for range n {
		name, err := dec.DecodeString()
		if err != nil {
			return nil, malformed("reading the configuration: %w", err)
		}
		attrType, ok := typ.AttributeTypes[name]
		if !ok {
			return nil, malformed("the configuration has an attribute %q the schema does not", name)
		}
		if len(seen) > 0 && name <= greatest && slices.Contains(seen, name) {
			return nil, malformed("the configuration has the attribute %q twice", name)
		}
		seen, greatest = append(seen, name), max(greatest, name)
		start := len(b) - r.Len()
		if err := dec.Skip(); err != nil {
			return nil, malformed("reading the configuration's %s: %w", name, err)
		}
		attr := configAttribute{raw: b[start : len(b)-r.Len() : len(b)-r.Len()]}
		if attr.isSet() {
			if attr.value, err = unmarshalAttribute(attr.raw, attrType); err != nil {
				return nil, malformed("reading the configuration's %s: %w", name, err)
			}
			if int64s[name] {
				if attr.int64, err = wholeInt64(attr.value); err != nil {
					return nil, &configValueError{attribute: name, err: err}
				}
			}
		}
		if !attr.isNull() {
			attrs[name] = attr
		}
	}
	return attrs, nil
}

// malformedConfigError is a configuration that is not a value of the
// schema's type, which Terraform never sends.
type malformedConfigError struct{ err error }

func (e *malformedConfigError) Error() string { return e.err.Error() }
func (e *malformedConfigError) Unwrap() error { return e.err }

func malformed(format string, args ...any) error {
	return &malformedConfigError{fmt.Errorf(format, args...)}
}

// unmarshalAttribute is tftypes' decoding of one attribute, with its panics
// (a NaN number, an object missing an attribute) made errors.
func unmarshalAttribute(raw []byte, typ tftypes.Type) (value tftypes.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("not a value of its type: %v", r)
		}
	}()
	return tfprotov6.DynamicValue{MsgPack: raw}.Unmarshal(typ)
}

// wholeInt64 is a number that is whole and within int64's range.
func wholeInt64(v tftypes.Value) (*int64, error) {
	var f big.Float
	if err := v.As(&f); err != nil {
		return nil, err
	}
	n, accuracy := f.Int64()
	if accuracy != big.Exact {
		return nil, fmt.Errorf("%s is not a whole number within the 64-bit range", f.Text('g', 20))
	}
	return &n, nil
}

// configOf is the configuration as the framework holds it, for its Read.
func configOf(v tftypes.Value, int64s map[string]bool) (configAttributes, error) {
	typ, ok := v.Type().(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the configuration is a %s, not an object", v.Type())
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	return decodeConfig(dv.MsgPack, typ, int64s)
}

func (a configAttribute) isNull() bool { return len(a.raw) == 0 || a.raw[0] == msgpcode.Nil }

// isSet: neither null nor unknown. An unknown value is a msgpack extension
// (tftypes and Terraform read every extension so, whatever refinements it
// carries).
func (a configAttribute) isSet() bool { return !a.isNull() && !msgpcode.IsExt(a.raw[0]) }

// IsNull tells whether the configuration leaves the attribute out.
func (c configAttributes) IsNull(name string) bool { return c[name].isNull() }

// IsSet tells whether the configuration gives the attribute a known value.
func (c configAttributes) IsSet(name string) bool { return c[name].isSet() }

// value is the attribute's decoded value, if it is set.
func (c configAttributes) value(name string) (tftypes.Value, bool) {
	a := c[name]
	return a.value, a.isSet()
}

// String is the attribute's value ("" when null).
func (c configAttributes) String(name string) string {
	var s string
	if v, ok := c.value(name); ok {
		_ = v.As(&s)
	}
	return s
}

// Int64 is the value of an Int64 attribute, nil when null or unknown;
// decodeConfig refused any value it could not read.
func (c configAttributes) Int64(name string) *int64 { return c[name].int64 }

// Bool is the attribute's value, nil when null.
func (c configAttributes) Bool(name string) *bool {
	v, ok := c.value(name)
	if !ok {
		return nil
	}
	var b bool
	if err := v.As(&b); err != nil {
		return nil
	}
	return &b
}

func stringValue(p *string) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *p)
}

func int64Value(p *int64) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, *p)
}

func boolValue(p *bool) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Bool, nil)
	}
	return tftypes.NewValue(tftypes.Bool, *p)
}
