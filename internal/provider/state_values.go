package provider

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Helpers that read a data source's configuration and make its state's
// values without the framework's reflection over model structs: reading a
// configuration's attributes by name, and making primitive values.

// configAttributes are a data source configuration's attributes by name.
type configAttributes map[string]tftypes.Value

func readConfig(raw tftypes.Value) (configAttributes, error) {
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	return attrs, nil
}

// IsNull tells whether the configuration leaves the attribute out.
func (c configAttributes) IsNull(name string) bool {
	v, ok := c[name]
	return !ok || v.IsNull()
}

// IsSet tells whether the configuration gives the attribute a known value.
func (c configAttributes) IsSet(name string) bool {
	v, ok := c[name]
	return ok && v.IsKnown() && !v.IsNull()
}

// String is the attribute's value ("" when null).
func (c configAttributes) String(name string) string {
	var s string
	if v, ok := c[name]; ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&s)
	}
	return s
}

// Int64 is the attribute's value, nil when null.
func (c configAttributes) Int64(name string) *int64 {
	v, ok := c[name]
	if !ok || !v.IsKnown() || v.IsNull() {
		return nil
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		return nil
	}
	n, _ := f.Int64()
	return &n
}

// Bool is the attribute's value, nil when null.
func (c configAttributes) Bool(name string) *bool {
	v, ok := c[name]
	if !ok || !v.IsKnown() || v.IsNull() {
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
