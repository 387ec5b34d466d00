package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// The provider is served by terraform-plugin-framework: schemas,
// validation, provider configuration, the ephemeral resource and the
// functions are all the framework's. The protocol server here wraps the
// framework's and serves two RPCs itself, both made once per data source
// instance (a for_each over thousands of devices makes thousands of each);
// DESIGN.md ("Performance") says what the framework spends there
// and when to measure again.
//
//   - ReadDataSource of a stateReader, when the provider is configured and
//     Terraform cannot take a deferral. The configuration is split from
//     Terraform's msgpack, readState gives the computed attributes, and the
//     state is written straight as msgpack, skipping the framework's walks
//     over the state (semantic equality, null blocks, its encoding), which
//     change nothing for schemas without blocks, custom types or
//     write-only attributes. TestServedSchemasArePlain checks every served
//     schema is so; TestProtocolReadMatchesFramework checks the states
//     against an independent Read that sets a model through the framework.
//     Any other read (no client yet, a deferral allowed) is the framework's.
//   - ValidateDataResourceConfig, when a plainValidator finds the
//     configuration plainly valid. Any other configuration, invalid or with
//     unknown values, goes to the framework, so every diagnostic stays the
//     framework's; TestValidateShortcutAgreesWithFramework checks that the
//     framework finds nothing wrong where the shortcut answers, and
//     TestServedSchemasArePlain that every validator is one the shortcut
//     reproduces.

// NewProtocolServer returns the factory of the provider's protocol
// server, for main.go and the tests.
func NewProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &morProvider{version: version}
		framework := providerserver.NewProtocol6(p)()
		full, ok := framework.(frameworkServer)
		if !ok {
			// A framework that no longer serves every RPC group below is
			// served as it is, slower but whole.
			return framework
		}
		return newDirectReadServer(full, p)
	}
}

// frameworkServer is every RPC the framework's server answers. The
// protocol server embeds it whole: tf6server finds the list resource,
// action and state store RPCs by type assertion, which a field of type
// ProviderServer alone would hide.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// stateReader is a data source whose read gives its computed attributes
// from the configuration and the provider's client.
type stateReader interface {
	datasource.DataSource
	readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics)
}

// plainValidator is a data source that can tell cheaply that a
// configuration is valid.
type plainValidator interface {
	// plainlyValid is true only when the framework's validation would find
	// nothing wrong; false means: ask the framework.
	plainlyValid(config configAttributes) bool
}

// readThroughFramework is a stateReader's Read as the framework calls it.
func readThroughFramework(ctx context.Context, r stateReader, client *mor.Client, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, err := configOf(req.Config.Raw, int64Attributes(req.Config.Schema.GetAttributes()))
	if err != nil {
		resp.Diagnostics.Append(configValueDiagnostic(err))
		return
	}
	if client == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	computed, diags := r.readState(ctx, client, config)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	state, err := stateValue(req.Config.Raw.Type(), config, computed)
	if err != nil {
		resp.Diagnostics.Append(configBug(err))
		return
	}
	resp.State.Raw = state
}

// notConfigured is a read asked for before the provider was configured,
// which Terraform never does.
func notConfigured() diag.Diagnostic {
	return diag.NewErrorDiagnostic("MOR Provider Not Configured",
		"MOR was to be read before the provider was configured. This is a bug in the provider; please report it.")
}

func configBug(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Read the Data Source Configuration",
		"The provider could not read its own configuration value: "+err.Error()+". This is a bug in the provider; please report it.")
}

// directReadServer is the framework's server with ReadDataSource of the
// stateReaders served directly.
type directReadServer struct {
	frameworkServer
	provider *morProvider
	readers  map[string]directRead
}

// directRead makes a stateReader and knows the object type of its state.
// A new data source is made for each RPC, as the framework does, so that
// no read can see another's fields.
type directRead struct {
	newReader    func() stateReader
	typ          tftypes.Object
	int64s       map[string]bool // the Int64 attributes
	computedOnly map[string]bool // the attributes a configuration may not set
}

func newDirectReadServer(framework frameworkServer, p *morProvider) *directReadServer {
	ctx := context.Background()
	s := &directReadServer{frameworkServer: framework, provider: p, readers: map[string]directRead{}}
	var pm provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &pm)
	for _, newDataSource := range p.DataSources(ctx) {
		ds := newDataSource()
		if _, ok := ds.(stateReader); !ok {
			continue
		}
		var md datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: pm.TypeName}, &md)
		var sr datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
		// Schema objects are object types; anything else would be a bug
		// the framework's own ReadDataSource then reports.
		if typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object); ok {
			s.readers[md.TypeName] = directRead{newReader: func() stateReader {
				reader, _ := newDataSource().(stateReader) // each is one, as checked above
				return reader
			}, typ: typ,
				int64s:       int64Attributes(sr.Schema.Attributes),
				computedOnly: computedOnlyAttributes(sr.Schema.Attributes)}
		}
	}
	return s
}

func (s *directReadServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	read, ok := s.readers[req.TypeName]
	client := s.provider.client.Load()
	if !ok || client == nil || deferralAllowed(req) {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	state, diags := read.read(ctx, client, req.Config)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protocolDiagnostics(ctx, diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
}

// deferralAllowed: Terraform can take a deferred read, which only the
// framework knows whether to answer with.
func deferralAllowed(req *tfprotov6.ReadDataSourceRequest) bool {
	return req.ClientCapabilities != nil && req.ClientCapabilities.DeferralAllowed
}

func (s *directReadServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	if read, ok := s.readers[req.TypeName]; ok {
		valid, err := read.plainlyValid(req.Config)
		if valid {
			return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
		}
		// tftypes can panic or size memory by a header on such bytes, and
		// no RPC handler recovers: the framework must not see them.
		if errors.As(err, new(*malformedConfigError)) {
			return &tfprotov6.ValidateDataResourceConfigResponse{
				Diagnostics: protocolDiagnostics(ctx, diag.Diagnostics{configValueDiagnostic(err)}),
			}, nil
		}
	}
	return s.frameworkServer.ValidateDataResourceConfig(ctx, req)
}

// plainlyValid tells whether the data source is a plainValidator that
// finds the configuration plainly valid; err is why the configuration
// could not be read, if it could not.
func (r directRead) plainlyValid(rawConfig *tfprotov6.DynamicValue) (bool, error) {
	config, err := r.config(rawConfig)
	if err != nil {
		return false, err
	}
	validator, ok := r.newReader().(plainValidator)
	if !ok {
		return false, nil
	}
	// The framework refuses a value for a computed-only attribute, which
	// Terraform leaves to the provider to refuse. The configuration holds
	// only the attributes it sets.
	for name := range config {
		if r.computedOnly[name] {
			return false, nil
		}
	}
	return validator.plainlyValid(config), nil
}

// computedOnlyAttributes are the attributes neither required nor optional.
func computedOnlyAttributes(attrs map[string]schema.Attribute) map[string]bool {
	names := map[string]bool{}
	for name, a := range attrs {
		if !a.IsRequired() && !a.IsOptional() {
			names[name] = true
		}
	}
	return names
}

// config splits the configuration Terraform sent, as msgpack (or, should
// a client send JSON, as tftypes decodes it: JSON first, as the framework
// reads a value holding both).
func (r directRead) config(raw *tfprotov6.DynamicValue) (configAttributes, error) {
	switch {
	case raw == nil:
		return nil, errors.New("no configuration was sent")
	case raw.JSON == nil && len(raw.MsgPack) > 0:
		return decodeConfig(raw.MsgPack, r.typ, r.int64s)
	}
	value, err := raw.Unmarshal(r.typ)
	if err != nil {
		return nil, &malformedConfigError{err}
	}
	return configOf(value, r.int64s)
}

func (r directRead) read(ctx context.Context, client *mor.Client, rawConfig *tfprotov6.DynamicValue) ([]byte, diag.Diagnostics) {
	config, err := r.config(rawConfig)
	if err != nil {
		return nil, diag.Diagnostics{configValueDiagnostic(err)}
	}
	computed, diags := r.newReader().readState(ctx, client, config)
	if diags.HasError() {
		return nil, diags
	}
	state, err := encodeState(r.typ, config, computed)
	if err != nil {
		diags.AddError("Unable to Encode the Data Source State",
			"The provider could not encode the state it read: "+err.Error()+". This is a bug in the provider; please report it.")
		return nil, diags
	}
	return state, diags
}

// protocolDiagnostics converts diagnostics as the framework does.
func protocolDiagnostics(ctx context.Context, diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityInvalid, Summary: d.Summary(), Detail: d.Detail()}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(ctx, withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts a diagnostic's path; a step that cannot be
// converted ends it there.
func attributePath(ctx context.Context, p path.Path) *tftypes.AttributePath {
	var steps []tftypes.AttributePathStep
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			steps = append(steps, tftypes.AttributeName(string(s)))
		case path.PathStepElementKeyInt:
			steps = append(steps, tftypes.ElementKeyInt(int64(s)))
		case path.PathStepElementKeyString:
			steps = append(steps, tftypes.ElementKeyString(string(s)))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return tftypes.NewAttributePathWithSteps(steps)
			}
			steps = append(steps, tftypes.ElementKeyValue(v))
		default:
			return tftypes.NewAttributePathWithSteps(steps)
		}
	}
	return tftypes.NewAttributePathWithSteps(steps)
}
