package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// The protocol server's premises (protocol_server.go), each checked here
// so that a change that breaks one fails a test rather than a user's plan.

// describer is any framework validator: each has a description.
type describer interface {
	Description(context.Context) string
}

// shortcutValidator is a validator of a data source whose validation the
// protocol server answers itself (a plainValidator), with a configuration
// that violates it: plainlyValid must not answer for that configuration,
// and the framework must reject it. Attribute is "" for a ConfigValidator.
type shortcutValidator struct {
	attribute string
	validator describer
	violation map[string]tftypes.Value
}

// shortcutValidators are every validator plainlyValid reproduces, by data
// source: the one place to register a validator added to such a schema,
// after making plainlyValid honour it.
var shortcutValidators = map[string][]shortcutValidator{
	"mor_device": {
		{"", datasourcevalidator.ExactlyOneOf(path.MatchRoot("device_id"), path.MatchRoot("device_username")),
			map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, 101), "device_username": tftypes.NewValue(tftypes.String, "1101")}},
		{"device_id", int64validator.AtLeast(1), map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, 0)}},
		{"device_username", stringvalidator.LengthAtLeast(1), map[string]tftypes.Value{"device_username": tftypes.NewValue(tftypes.String, "")}},
	},
}

// Every schema the protocol server reads directly has no block, no nested
// attribute, no custom type and no write-only attribute (whose handling
// the framework's walks would add), and, where it validates itself, no
// validator the shortcut does not reproduce.
func TestServedSchemasArePlain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server := NewProtocolServer("test")()
	direct := directServerOf(t, server)
	if len(direct.readers) == 0 {
		t.Fatal("the protocol server reads no data source itself")
	}
	for name, read := range direct.readers {
		ds := read.newReader()
		var sr datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
		if len(sr.Schema.Blocks) > 0 {
			t.Errorf("%s has blocks", name)
		}
		_, shortcut := ds.(plainValidator)
		var found []string
		for attrName, a := range sr.Schema.Attributes {
			if w, ok := a.(interface{ IsWriteOnly() bool }); ok && w.IsWriteOnly() {
				t.Errorf("%s.%s is write-only", name, attrName)
			}
			if reflect.ValueOf(a).FieldByName("NestedObject").IsValid() {
				t.Errorf("%s.%s is a nested attribute", name, attrName)
			}
			if custom := reflect.ValueOf(a).FieldByName("CustomType"); custom.IsValid() && !custom.IsNil() || !plainType(a.GetType()) {
				t.Errorf("%s.%s has a custom type %T", name, attrName, a.GetType())
			}
			if validators := reflect.ValueOf(a).FieldByName("Validators"); validators.IsValid() {
				for i := range validators.Len() {
					v, ok := validators.Index(i).Interface().(describer)
					if !ok {
						t.Fatalf("%s.%s: a validator without a description", name, attrName)
					}
					found = append(found, attrName+": "+v.Description(ctx))
				}
			}
		}
		if v, ok := ds.(datasource.DataSourceWithConfigValidators); ok {
			for _, cv := range v.ConfigValidators(ctx) {
				found = append(found, ": "+cv.Description(ctx))
			}
		}
		if _, ok := ds.(datasource.DataSourceWithValidateConfig); ok && shortcut {
			t.Errorf("%s has a ValidateConfig, which plainlyValid cannot be checked against", name)
		}
		if !shortcut {
			continue // validation is the framework's
		}
		var registered []string
		for _, sv := range shortcutValidators[name] {
			registered = append(registered, sv.attribute+": "+sv.validator.Description(ctx))
		}
		for _, f := range found {
			if !slices.Contains(registered, f) {
				t.Errorf("%s: validator %q is not among shortcutValidators: make plainlyValid honour it, then register it with a configuration that violates it", name, f)
			}
		}
		for _, r := range registered {
			if !slices.Contains(found, r) {
				t.Errorf("%s: shortcutValidators has %q, which the schema no longer has", name, r)
			}
		}
	}
}

// plainType is a type of the framework's own, or a list, map, set or
// object of them.
func plainType(t attr.Type) bool {
	switch t := t.(type) {
	case basetypes.StringType, basetypes.Int64Type, basetypes.BoolType, basetypes.NumberType, basetypes.Float64Type, basetypes.Int32Type, basetypes.Float32Type:
		return true
	case basetypes.ListType:
		return plainType(t.ElemType)
	case basetypes.SetType:
		return plainType(t.ElemType)
	case basetypes.MapType:
		return plainType(t.ElemType)
	case basetypes.ObjectType:
		for _, at := range t.AttrTypes {
			if !plainType(at) {
				return false
			}
		}
		return true
	}
	return false
}

// Each registered validator is one the framework enforces and the shortcut
// leaves to it.
func TestShortcutValidatorsAreHonoured(t *testing.T) {
	t.Parallel()
	server := NewProtocolServer("test")()
	direct := directServerOf(t, server)
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for name, validators := range shortcutValidators {
		typ := schemas.DataSourceSchemas[name].ValueType()
		for _, sv := range validators {
			req := &tfprotov6.ValidateDataResourceConfigRequest{TypeName: name, Config: dynamicValue(t, typ, objectOf(typ, sv.violation))}
			if valid, _ := direct.readers[name].plainlyValid(req.Config); valid {
				t.Errorf("%s: plainlyValid accepts %v, which violates %q", name, sv.violation, sv.validator.Description(context.Background()))
			}
			resp, err := direct.frameworkServer.ValidateDataResourceConfig(context.Background(), req)
			if err != nil || len(resp.Diagnostics) == 0 {
				t.Errorf("%s: the framework accepts %v (%v)", name, sv.violation, err)
			}
		}
	}
}

// A data source holds nothing but its configured client: the protocol
// server makes one per RPC, and a field set by one read must not be seen by
// another.
func TestDataSourcesHoldNoState(t *testing.T) {
	t.Parallel()
	clientType := reflect.TypeOf((*mor.Client)(nil))
	for _, newDataSource := range (&morProvider{}).DataSources(context.Background()) {
		typ := reflect.TypeOf(newDataSource()).Elem()
		for i := range typ.NumField() {
			if f := typ.Field(i); f.Name != "client" || f.Type != clientType {
				t.Errorf("%s has a field %s %s: a data source holds only its client", typ, f.Name, f.Type)
			}
		}
	}
}

// The protocol server answers every RPC the framework's server answers:
// tf6server finds the optional ones (list resources, actions, state
// stores) by type assertion, so a method the wrapper lacks would be
// answered "not implemented" where the framework would have answered.
func TestProtocolServerServesEveryFrameworkRPC(t *testing.T) {
	t.Parallel()
	framework := reflect.TypeOf(providerserver.NewProtocol6(&morProvider{version: "test"})())
	server := reflect.TypeOf(NewProtocolServer("test")())
	if _, ok := NewProtocolServer("test")().(*directReadServer); !ok {
		t.Fatalf("NewProtocolServer serves %s, not the protocol server: the framework's server no longer has every method of frameworkServer", server)
	}
	for i := range framework.NumMethod() {
		if name := framework.Method(i).Name; !hasMethod(server, name) {
			t.Errorf("the framework's server has %s, the protocol server does not", name)
		}
	}
}

func hasMethod(typ reflect.Type, name string) bool {
	_, ok := typ.MethodByName(name)
	return ok
}

// The protocol server honours every field of the RPCs it answers: a field
// added by a plugin-go upgrade fails here until the server handles it (or
// hands such requests to the framework).
func TestProtocolServerKnowsRequestFields(t *testing.T) {
	t.Parallel()
	for typ, known := range map[reflect.Type][]string{
		reflect.TypeOf(tfprotov6.ReadDataSourceRequest{}):             {"TypeName", "Config", "ProviderMeta", "ClientCapabilities"},
		reflect.TypeOf(tfprotov6.ReadDataSourceClientCapabilities{}):  {"DeferralAllowed"},
		reflect.TypeOf(tfprotov6.ValidateDataResourceConfigRequest{}): {"TypeName", "Config"},
	} {
		for i := range typ.NumField() {
			if name := typ.Field(i).Name; !slices.Contains(known, name) {
				t.Errorf("%s has a field %s the protocol server does not handle", typ, name)
			}
		}
	}
	// ProviderMeta is ignored, as the framework ignores it for a provider
	// without a meta schema.
	if _, ok := any(&morProvider{}).(provider.ProviderWithMetaSchema); ok {
		t.Error("the provider has a meta schema, which the protocol server's reads ignore")
	}
}

// deferringProvider defers its configuration, as a provider may when its
// configuration is unknown.
type deferringProvider struct{ *morProvider }

func (p *deferringProvider) Configure(_ context.Context, _ provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
}

// A read the protocol server cannot serve as the framework would (the
// provider deferred, so there is no client) is the framework's: deferred,
// not "bug in the provider".
func TestProtocolReadDeferredByFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := &deferringProvider{&morProvider{version: "test"}}
	framework, ok := providerserver.NewProtocol6(p)().(frameworkServer)
	if !ok {
		t.Fatal("the framework's server is not a frameworkServer")
	}
	server := newDirectReadServer(framework, p.morProvider)
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config:             dynamicValue(t, providerType, objectOf(providerType, nil)),
		ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	typ := schemas.DataSourceSchemas["mor_device_clis"].ValueType()
	resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName:           "mor_device_clis",
		Config:             dynamicValue(t, typ, objectOf(typ, nil)),
		ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || len(resp.Diagnostics) > 0 || resp.Deferred == nil {
		t.Fatalf("read: want deferred without diagnostics, got %v %v deferred=%v", err, resp.Diagnostics, resp.Deferred)
	}
}
