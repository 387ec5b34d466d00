package provider

import (
	"context"

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
)

func newDeviceDataSource() datasource.DataSource { return &deviceDataSource{} }

type deviceDataSource struct {
	client *mor.Client
}

type deviceModel struct {
	DeviceID       types.Int64  `tfsdk:"device_id"`
	DeviceUsername types.String `tfsdk:"device_username"`
	UserID         types.Int64  `tfsdk:"user_id"`
	Name           types.String `tfsdk:"name"`
	Username       types.String `tfsdk:"username"`
	DeviceType     types.String `tfsdk:"device_type"`
	Description    types.String `tfsdk:"description"`
	Extension      types.String `tfsdk:"extension"`
	CallerID       types.String `tfsdk:"callerid"`
	Host           types.String `tfsdk:"host"`
	IPAddr         types.String `tfsdk:"ipaddr"`
	Port           types.Int64  `tfsdk:"port"`
	Transport      types.String `tfsdk:"transport"`
	Context        types.String `tfsdk:"context"`
	NAT            types.String `tfsdk:"nat"`
	Permit         types.String `tfsdk:"permit"`
	Deny           types.String `tfsdk:"deny"`
	Allow          types.String `tfsdk:"allow"`
	Disallow       types.String `tfsdk:"disallow"`
	DTMFMode       types.String `tfsdk:"dtmfmode"`
	Insecure       types.String `tfsdk:"insecure"`
	CallLimit      types.Int64  `tfsdk:"call_limit"`
	Language       types.String `tfsdk:"language"`
	AudioCodecs    []string     `tfsdk:"audio_codecs"`
	VideoCodecs    []string     `tfsdk:"video_codecs"`
	Secret         types.String `tfsdk:"secret"`
	MD5Secret      types.String `tfsdk:"md5secret"`
	RemoteSecret   types.String `tfsdk:"remotesecret"`
	PIN            types.String `tfsdk:"pin"`
	Attributes     types.Map    `tfsdk:"attributes"`
}

func (d *deviceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device"
}

func (d *deviceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc + " Null when MOR sends it empty.", Computed: true}
	}
	secret := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc + " Null when not set.", Computed: true, Sensitive: true}
	}
	resp.Schema = schema.Schema{
		Description: "Reads one device's full record with MOR's `device_details_get`: typed attributes for the common settings, " +
			"the secrets as sensitive values, and every other column in `attributes`. Looking up a device that does not exist, " +
			"or is outside the API user's scope, is an error. Like everything a data source reads, the secrets (`secret`, `md5secret`, `remotesecret`, `pin`) " +
			"are stored in state in plain text (sensitive only hides them from the CLI); to hand a device's credentials to another provider without storing them, " +
			"use the ephemeral resource `mor_device_credentials` (Terraform 1.10 or later) instead.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.Int64Attribute{
				Description: "Id of the device. Exactly one of `device_id` and `device_username` must be set; when looking up by username, " +
					"this is the id MOR reports (null on releases before 2019, which do not send it).",
				Optional: true, Computed: true,
			},
			"device_username": schema.StringAttribute{
				Description: "SIP/IAX2 username of the device (MOR's `device_u`, supported since 2019). Exactly one of `device_id` and `device_username` must be set; " +
					"when looking up by `device_id`, this is filled in from the username MOR reports.",
				Optional: true, Computed: true,
			},
			"user_id":      schema.Int64Attribute{Description: "Id of the user owning the device (null on releases before 2019).", Computed: true},
			"name":         str("Asterisk peer name."),
			"username":     str("SIP/IAX2 username."),
			"device_type":  str("Technology: `SIP`, `IAX2`, …."),
			"description":  str("Description."),
			"extension":    str("Extension number."),
			"callerid":     str("Caller ID, e.g. `\"101\" <101>`."),
			"host":         str("Host: `dynamic` or an address."),
			"ipaddr":       str("IP address."),
			"port":         schema.Int64Attribute{Description: "Port (0 for dynamic devices).", Computed: true},
			"transport":    str("SIP transport: `udp`, `tcp`, `tls`, or a list such as `udp,tcp`."),
			"context":      str("Asterisk dial plan context."),
			"nat":          str("NAT setting (`yes`, `no`, `force_rport`, …)."),
			"permit":       str("Addresses calls are accepted from (`0.0.0.0/0.0.0.0` means any)."),
			"deny":         str("Addresses calls are refused from."),
			"allow":        str("Codecs allowed, as in Asterisk."),
			"disallow":     str("Codecs disallowed, as in Asterisk."),
			"dtmfmode":     str("DTMF mode (`rfc2833`, `inband`, `info`, `auto`)."),
			"insecure":     str("Asterisk `insecure` setting."),
			"call_limit":   schema.Int64Attribute{Description: "Most simultaneous calls (MOR's `call_limit`; 0 means no limit).", Computed: true},
			"language":     str("Language of prompts."),
			"audio_codecs": schema.ListAttribute{Description: "Enabled audio codecs, in priority order.", Computed: true, ElementType: types.StringType},
			"video_codecs": schema.ListAttribute{Description: "Enabled video codecs, in priority order.", Computed: true, ElementType: types.StringType},
			"secret":       secret("SIP/IAX2 password."),
			"md5secret":    secret("MD5 form of the password."),
			"remotesecret": secret("Password for the remote side of a trunk."),
			"pin":          secret("PIN for calling cards and authentication by PIN."),
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

func (d *deviceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req, resp)
}

func (d *deviceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state deviceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	query := mor.DeviceQuery{ID: state.DeviceID.ValueInt64Pointer(), Username: state.DeviceUsername.ValueString()}
	details, err := d.client.DeviceDetails(ctx, query)
	if err != nil {
		addDeviceReadError(ctx, &resp.Diagnostics, query, err)
		return
	}
	resp.Diagnostics.Append(deviceToModel(ctx, details, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// deviceToModel maps a device_details_get record onto the model: each typed
// attribute takes its column, the secrets go to sensitive attributes, and
// every other column goes to attributes.
func deviceToModel(ctx context.Context, d *mor.DeviceDetails, m *deviceModel) diag.Diagnostics {
	used := map[string]bool{"id": true, "user_id": true, "port": true, "call_limit": true}
	for _, col := range mor.SecretDeviceFields {
		used[col] = true
	}
	// str maps a column (null when empty) and keeps it out of attributes.
	str := func(col string) types.String {
		used[col] = true
		if v := d.Fields[col]; v != "" {
			return types.StringValue(v)
		}
		return types.StringNull()
	}
	// What the configuration set stays as set; the rest comes from MOR.
	if m.DeviceID.IsNull() {
		m.DeviceID = types.Int64PointerValue(d.ID)
	}
	if m.DeviceUsername.IsNull() {
		m.DeviceUsername = str("username")
	}
	m.UserID = types.Int64PointerValue(d.UserID)
	m.Name = str("name")
	m.Username = str("username")
	m.DeviceType = str("device_type")
	m.Description = str("description")
	m.Extension = str("extension")
	m.CallerID = str("callerid")
	m.Host = str("host")
	m.IPAddr = str("ipaddr")
	m.Port = types.Int64PointerValue(d.Port)
	m.Transport = str("transport")
	m.Context = str("context")
	m.NAT = str("nat")
	m.Permit = str("permit")
	m.Deny = str("deny")
	m.Allow = str("allow")
	m.Disallow = str("disallow")
	m.DTMFMode = str("dtmfmode")
	m.Insecure = str("insecure")
	m.CallLimit = types.Int64PointerValue(d.CallLimit)
	m.Language = str("language")
	m.AudioCodecs = append([]string{}, d.AudioCodecs...)
	m.VideoCodecs = append([]string{}, d.VideoCodecs...)
	m.Secret = str("secret")
	m.MD5Secret = str("md5secret")
	m.RemoteSecret = str("remotesecret")
	m.PIN = str("pin")

	other := make(map[string]string, len(d.Fields))
	for col, v := range d.Fields {
		if !used[col] {
			other[col] = v
		}
	}
	var diags diag.Diagnostics
	m.Attributes, diags = types.MapValueFrom(ctx, types.StringType, other)
	return diags
}
