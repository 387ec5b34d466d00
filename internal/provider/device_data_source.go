package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var (
	_ datasource.DataSourceWithConfigure        = (*deviceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*deviceDataSource)(nil)
	_ stateReader                               = (*deviceDataSource)(nil)
	_ plainValidator                            = (*deviceDataSource)(nil)
)

func newDeviceDataSource() datasource.DataSource { return &deviceDataSource{} }

type deviceDataSource struct {
	client *mor.Client
}

// The configuration is read by attribute name and the state built from the
// record (deviceState), without the framework's reflection over a model
// struct: a plan may look up thousands of devices (DESIGN.md,
// "Performance"). The attributes are the schema's.

func (d *deviceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device"
}

func (d *deviceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc + " Null when MOR sends it empty.", Computed: true}
	}
	shared := func(name string) schema.StringAttribute {
		return schema.StringAttribute{Description: deviceDescriptions[name], Computed: true}
	}
	sharedSecret := func(name string) schema.StringAttribute {
		return schema.StringAttribute{Description: deviceDescriptions[name] + " Also null unless `include_secrets` is true.", Computed: true, Sensitive: true}
	}
	notEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	includeSecrets := schema.BoolAttribute{
		Description: "Also read the device's secrets: `secret`, `md5secret`, `remotesecret`, `pin` and `secret_attributes`. Off by default: " +
			"whatever a data source reads is written to state in plain text (sensitive only hides it from the CLI), so without it no secret " +
			"from MOR's answer reaches state or plan, and those attributes are null.",
		Optional: true,
	}
	resp.Schema = schema.Schema{
		Description: "Reads one device's full record with MOR's `device_details_get`: typed attributes for the common settings, " +
			"every other column in `attributes`, and, only when `include_secrets` is true, the secrets as sensitive values. Looking up a device that does not exist, " +
			"or is outside the API user's scope, is an error. Whatever a data source reads is stored in state in plain text (sensitive only hides it from the CLI): " +
			"without `include_secrets`, no secret from MOR's answer reaches state or plan. To hand a device's credentials to another provider without storing them, " +
			"use the ephemeral resource `mor_device_credentials` (Terraform 1.10 or later) instead.",
		Attributes: map[string]schema.Attribute{
			"device_id":       schema.Int64Attribute{Description: deviceDescriptions["device_id"], Optional: true, Computed: true, Validators: atLeastOne},
			"device_username": schema.StringAttribute{Description: deviceDescriptions["device_username"], Optional: true, Computed: true, Validators: notEmpty},
			"include_secrets": includeSecrets,
			"user_id":         schema.Int64Attribute{Description: deviceDescriptions["user_id"], Computed: true},
			"name":            str("Asterisk peer name."),
			"username":        shared("username"),
			"device_type":     shared("device_type"),
			"description":     str("Description."),
			"extension":       str("Extension number."),
			"callerid":        str("Caller ID, e.g. `\"101\" <101>`."),
			"host":            shared("host"),
			"ipaddr":          shared("ipaddr"),
			"port":            schema.Int64Attribute{Description: deviceDescriptions["port"], Computed: true},
			"transport":       shared("transport"),
			"context":         str("Asterisk dial plan context."),
			"nat":             str("NAT setting (`yes`, `no`, `force_rport`, …)."),
			"permit":          str("Addresses calls are accepted from (`0.0.0.0/0.0.0.0` means any)."),
			"deny":            str("Addresses calls are refused from."),
			"allow":           str("Codecs allowed, as in Asterisk."),
			"disallow":        str("Codecs disallowed, as in Asterisk."),
			"dtmfmode":        str("DTMF mode (`rfc2833`, `inband`, `info`, `auto`)."),
			"insecure":        str("Asterisk `insecure` setting."),
			"call_limit":      schema.Int64Attribute{Description: "Most simultaneous calls (MOR's `call_limit`; 0 means no limit).", Computed: true},
			"language":        str("Language of prompts."),
			"audio_codecs":    schema.ListAttribute{Description: "Enabled audio codecs, in priority order; empty when none is. Null when MOR's record holds no audio codec list (`<audio_codecs>`).", Computed: true, ElementType: types.StringType},
			"video_codecs":    schema.ListAttribute{Description: "Enabled video codecs, in priority order; empty when none is. Null when MOR's record holds no video codec list (`<video_codecs>`).", Computed: true, ElementType: types.StringType},
			"secret":          sharedSecret("secret"),
			"md5secret":       sharedSecret("md5secret"),
			"remotesecret":    sharedSecret("remotesecret"),
			"pin":             sharedSecret("pin"),
			"attributes": schema.MapAttribute{
				Description: "Every other column of the record, exactly as MOR names it (`session-timers`, `qualify`, …), trimmed; " +
					"empty values are empty strings. A column that can hold a credential is never in it: " + deniedColumnsRule + ".",
				Computed: true, ElementType: types.StringType,
			},
			"secret_attributes": schema.MapAttribute{
				Description: "The columns left out of `attributes` because they can hold a credential (" + deniedColumnsRule + "), " +
					"named and trimmed as there. Null unless `include_secrets` is true.",
				Computed: true, Sensitive: true, ElementType: types.StringType,
			},
		},
	}
}

func (d *deviceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("device_id"), path.MatchRoot("device_username")),
	}
}

// plainlyValid: one of device_id (a whole number of at least 1) and
// device_username (not empty) is set, the other left out; that is all
// ConfigValidators and the attributes' validators ask.
func (d *deviceDataSource) plainlyValid(config configAttributes) bool {
	if id := config.Int64("device_id"); id != nil {
		return *id >= 1 && config.IsNull("device_username")
	}
	return config.IsNull("device_id") && config.IsSet("device_username") && config.String("device_username") != ""
}

func (d *deviceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *deviceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readThroughFramework(ctx, d, d.client, req, resp)
}

func (d *deviceDataSource) readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	query := mor.DeviceQuery{ID: config.Int64("device_id"), Username: config.String("device_username")}
	details, err := client.DeviceDetails(ctx, query)
	if err != nil {
		addDeviceReadError(ctx, &diags, client, query, err)
		return nil, diags
	}
	return deviceState(details, config), diags
}

// deviceColumns are the columns with a string attribute of their own name
// (the secrets among them).
var deviceColumns = []string{"name", "username", "device_type", "description", "extension", "callerid", "host", "ipaddr",
	"transport", "context", "nat", "permit", "deny", "allow", "disallow", "dtmfmode", "insecure", "language",
	"secret", "md5secret", "remotesecret", "pin"}

// goesToAttributes tells which columns have no attribute of their own and
// go to attributes. The client's secret columns are named again, so that one
// missing from deviceColumns still never reaches attributes.
var goesToAttributes = func() func(string) bool {
	own := map[string]bool{"id": true, "user_id": true, "port": true, "call_limit": true}
	for _, col := range append(slices.Clone(deviceColumns), mor.SecretDeviceFields...) {
		own[col] = true
	}
	return func(col string) bool { return !own[col] }
}()

// deviceState maps a device_details_get record onto the computed
// attributes: each typed attribute takes its column (null when empty), every
// other column goes to attributes, and the secrets (the four typed ones and
// the credential columns) only with include_secrets, to sensitive attributes.
func deviceState(d *mor.DeviceDetails, config configAttributes) map[string]computedValue {
	includeSecrets := config.Bool("include_secrets")
	withSecrets := includeSecrets != nil && *includeSecrets
	state := make(map[string]computedValue, 34)
	values := make([]string, len(deviceColumns)) // one allocation for all
	for i, col := range deviceColumns {
		var value *string
		if v := d.Fields[col]; v != "" && (withSecrets || !slices.Contains(mor.SecretDeviceFields, col)) {
			values[i] = v
			value = &values[i]
		}
		state[col] = stringComputed{value}
	}
	// What the configuration set stays as set; the rest comes from MOR.
	if config.IsNull("device_id") {
		state["device_id"] = int64Computed{d.ID}
	}
	if config.IsNull("device_username") {
		state["device_username"] = state["username"]
	}
	state["user_id"] = int64Computed{d.UserID}
	state["port"] = int64Computed{d.Port}
	state["call_limit"] = int64Computed{d.CallLimit}
	state["audio_codecs"] = stringsComputed(d.AudioCodecs)
	state["video_codecs"] = stringsComputed(d.VideoCodecs)
	plain, credentials := attributeColumnsOf(d.Fields)
	state["attributes"] = stringMapComputed{m: d.Fields, keys: plain}
	state["secret_attributes"] = tfComputed{tftypes.NewValue(stringMapType, nil)}
	if withSecrets {
		state["secret_attributes"] = stringMapComputed{m: d.Fields, keys: credentials}
	}
	return state
}

// attributeColumnsOf splits the columns without an attribute of their own
// into those for attributes and the credential ones.
func attributeColumnsOf(fields map[string]string) (plain, credentials []string) {
	plain = make([]string, 0, len(fields))
	for col := range fields {
		switch {
		case !goesToAttributes(col):
		case credentialColumn(col):
			credentials = append(credentials, col)
		default:
			plain = append(plain, col)
		}
	}
	return plain, credentials
}
