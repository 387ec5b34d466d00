package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
		return schema.StringAttribute{Description: deviceDescriptions[name], Computed: true, Sensitive: true}
	}
	resp.Schema = schema.Schema{
		Description: "Reads one device's full record with MOR's `device_details_get`: typed attributes for the common settings, " +
			"the secrets as sensitive values, and every other column in `attributes`. Looking up a device that does not exist, " +
			"or is outside the API user's scope, is an error. Like everything a data source reads, the secrets (`secret`, `md5secret`, `remotesecret`, `pin`) " +
			"are stored in state in plain text (sensitive only hides them from the CLI); to hand a device's credentials to another provider without storing them, " +
			"use the ephemeral resource `mor_device_credentials` (Terraform 1.10 or later) instead.",
		Attributes: map[string]schema.Attribute{
			"device_id":       schema.Int64Attribute{Description: deviceDescriptions["device_id"], Optional: true, Computed: true},
			"device_username": schema.StringAttribute{Description: deviceDescriptions["device_username"], Optional: true, Computed: true},
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
			"audio_codecs":    schema.ListAttribute{Description: "Enabled audio codecs, in priority order.", Computed: true, ElementType: types.StringType},
			"video_codecs":    schema.ListAttribute{Description: "Enabled video codecs, in priority order.", Computed: true, ElementType: types.StringType},
			"secret":          sharedSecret("secret"),
			"md5secret":       sharedSecret("md5secret"),
			"remotesecret":    sharedSecret("remotesecret"),
			"pin":             sharedSecret("pin"),
			"attributes": schema.MapAttribute{
				Description: "Every other column of the record, exactly as MOR names it (`session-timers`, `qualify`, …), trimmed; " +
					"empty values are empty strings. The secret columns are never in it.",
				Computed: true, ElementType: types.StringType,
			},
		},
	}
}

func (d *deviceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("device_id"), path.MatchRoot("device_username")),
	}
}

// plainlyValid: one of device_id (a whole number) and device_username is
// set, the other left out; that is all ConfigValidators asks.
func (d *deviceDataSource) plainlyValid(config configAttributes) bool {
	return (config.Int64("device_id") != nil && config.IsNull("device_username")) ||
		(config.IsNull("device_id") && config.IsSet("device_username"))
}

func (d *deviceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req, resp)
}

func (d *deviceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readThroughFramework(ctx, d, d.client, req, resp)
}

func (d *deviceDataSource) readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	query := mor.DeviceQuery{ID: config.Int64("device_id"), Username: config.String("device_username")}
	details, err := client.DeviceDetails(ctx, query)
	if err != nil {
		addDeviceReadError(ctx, &diags, query, err)
		return nil, diags
	}
	return deviceState(details, config), diags
}

// deviceColumns are the columns with a string attribute of their own name
// (the secrets among them).
var deviceColumns = []string{"name", "username", "device_type", "description", "extension", "callerid", "host", "ipaddr",
	"transport", "context", "nat", "permit", "deny", "allow", "disallow", "dtmfmode", "insecure", "language",
	"secret", "md5secret", "remotesecret", "pin"}

// attributeColumns tells which columns have no attribute of their own and
// go to attributes.
var attributeColumns = func() func(string) bool {
	own := map[string]bool{"id": true, "user_id": true, "port": true, "call_limit": true}
	for _, col := range append(slices.Clone(deviceColumns), mor.SecretDeviceFields...) {
		own[col] = true
	}
	return func(col string) bool { return !own[col] }
}()

// deviceState maps a device_details_get record onto the computed
// attributes: each typed attribute takes its column (null when empty), the
// secrets go to sensitive attributes, and every other column goes to
// attributes.
func deviceState(d *mor.DeviceDetails, config configAttributes) map[string]computedValue {
	state := make(map[string]computedValue, 32)
	for _, col := range deviceColumns {
		var value *string
		if v := d.Fields[col]; v != "" {
			value = &v
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
	state["attributes"] = stringMapComputed{m: d.Fields, keep: attributeColumns}
	return state
}
