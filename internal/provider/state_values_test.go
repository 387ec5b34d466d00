package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A configuration is read attribute by attribute from Terraform's msgpack:
// null, unknown (also an unknown with refinements, which Terraform sends as
// a longer extension) and known values.
func TestConfigAttributes(t *testing.T) {
	t.Parallel()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "n": tftypes.Number, "f": tftypes.Number, "b": tftypes.Bool,
		"null": tftypes.String, "unknown": tftypes.String,
	}}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{
		"s": tftypes.NewValue(tftypes.String, "1101"), "n": tftypes.NewValue(tftypes.Number, 101),
		"f": tftypes.NewValue(tftypes.Number, 1.5), "b": tftypes.NewValue(tftypes.Bool, true),
		"null": tftypes.NewValue(tftypes.String, nil), "unknown": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	}))
	if err != nil {
		t.Fatal(err)
	}
	config, err := decodeConfig(dv.MsgPack, typ)
	if err != nil {
		t.Fatal(err)
	}
	// An unknown refined as not null, as Terraform (go-cty) sends it: ext8 of
	// type 0x0c holding a map of refinements.
	config["refined"] = configAttribute{raw: []byte{0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2}}

	if got := config.String("s"); got != "1101" {
		t.Errorf("s = %q", got)
	}
	if got := config.Int64("n"); got == nil || *got != 101 {
		t.Errorf("n = %v", got)
	}
	if got := config.Int64("f"); got != nil {
		t.Errorf("f = %d, want nil for a number that is not whole", *got)
	}
	if got := config.Bool("b"); got == nil || !*got {
		t.Errorf("b = %v", got)
	}
	for name, want := range map[string][2]bool{ // IsNull, IsSet
		"s": {false, true}, "null": {true, false}, "missing": {true, false},
		"unknown": {false, false}, "refined": {false, false},
	} {
		if got := [2]bool{config.IsNull(name), config.IsSet(name)}; got != want {
			t.Errorf("%s: IsNull, IsSet = %v, want %v", name, got, want)
		}
	}
	if config.String("unknown") != "" || config.Int64("refined") != nil {
		t.Error("an unknown value read as set")
	}
}

// A configuration that does not match the schema is an error, never a
// configuration without the attribute: a filter that could not be read
// must not turn into no filter.
func TestConfigAttributesRefuseMismatches(t *testing.T) {
	t.Parallel()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_id": tftypes.Number}}
	wrongType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_id": tftypes.String}}
	extra := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_id": tftypes.Number, "other": tftypes.Number}}
	for name, tc := range map[string]struct {
		typ   tftypes.Object
		value tftypes.Value
	}{
		"a string for a number": {wrongType, tftypes.NewValue(wrongType, map[string]tftypes.Value{"user_id": tftypes.NewValue(tftypes.String, "five")})},
		"an attribute the schema lacks": {extra, tftypes.NewValue(extra, map[string]tftypes.Value{
			"user_id": tftypes.NewValue(tftypes.Number, 5), "other": tftypes.NewValue(tftypes.Number, 1)})},
		"a null object":     {typ, tftypes.NewValue(typ, nil)},
		"an unknown object": {typ, tftypes.NewValue(typ, tftypes.UnknownValue)},
	} {
		dv, err := tfprotov6.NewDynamicValue(tc.typ, tc.value)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeConfig(dv.MsgPack, typ); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
