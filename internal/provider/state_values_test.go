package provider

import (
	"context"
	"errors"
	"math/big"
	"net/http/httptest"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"

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
	config, err := decodeConfig(dv.MsgPack, typ, map[string]bool{"n": true})
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
		if _, err := decodeConfig(dv.MsgPack, typ, map[string]bool{"user_id": true}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Msgpack no Terraform sends: an object of fewer attributes than the
	// schema's, and a header claiming four billion attributes, which must be
	// refused before anything is sized by it.
	fewer := tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
	dv, err := tfprotov6.NewDynamicValue(fewer, tftypes.NewValue(fewer, map[string]tftypes.Value{}))
	if err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string][]byte{"an attribute missing": dv.MsgPack, "a huge map header": {0xdf, 0xff, 0xff, 0xff, 0xff}} {
		if _, err := decodeConfig(raw, typ, map[string]bool{"user_id": true}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// One attribute twice and the other left out: {"a": null, "a": null}.
	two := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.String}}
	if _, err := decodeConfig([]byte{0x82, 0xa1, 'a', 0xc0, 0xa1, 'a', 0xc0}, two, nil); err == nil {
		t.Error("an attribute twice: no error")
	}
}

// An Int64 attribute whose value is not a whole number within int64's
// range is an error on that attribute, never a null (which would turn a
// filter into no filter).
func TestConfigAttributesRefuseUnreadableInt64(t *testing.T) {
	t.Parallel()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_id": tftypes.Number}}
	tooBig, _ := new(big.Float).SetString("1e20")
	for _, n := range []*big.Float{big.NewFloat(1.5), tooBig, new(big.Float).Neg(tooBig)} {
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{"user_id": tftypes.NewValue(tftypes.Number, n)}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = decodeConfig(dv.MsgPack, typ, map[string]bool{"user_id": true})
		var valueErr *configValueError
		if !errors.As(err, &valueErr) || valueErr.attribute != "user_id" {
			t.Errorf("%s: error %v, want one on user_id", n.Text('g', 20), err)
		}
	}
}

// Both ways of reading (the protocol server's and the framework's Read)
// answer an unreadable Int64 filter with an error on that attribute, before
// any request to MOR.
func TestUnreadableInt64IsAnAttributeError(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	server, schemas := configuredAs(t, benchTarget{url: srv.URL + "/billing", data: data}, "admin")
	typ := schemas.DataSourceSchemas["mor_device_clis"].ValueType()
	req := &tfprotov6.ReadDataSourceRequest{TypeName: "mor_device_clis",
		Config: dynamicValue(t, typ, objectOf(typ, map[string]tftypes.Value{"user_id": tftypes.NewValue(tftypes.Number, 1.5)}))}
	before := sim.Stats().Requests
	for name, s := range map[string]tfprotov6.ProviderServer{"protocol server": server, "framework": directServerOf(t, server).frameworkServer} {
		resp, err := s.ReadDataSource(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!resp.Diagnostics[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("user_id")) {
			t.Errorf("%s: diagnostics %v, want one error on user_id", name, resp.Diagnostics)
		}
	}
	if n := sim.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests sent for a configuration that cannot be read", n)
	}
}
