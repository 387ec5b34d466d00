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
	config, err := decodeConfig(dv.MsgPack)
	if err != nil {
		t.Fatal(err)
	}
	config["refined"] = []byte{0xc7, 0x03, 0x00, 0x81, 0x01, 0xc2} // ext8, type 0: unknown, refined not null

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
