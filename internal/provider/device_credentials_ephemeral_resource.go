package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/ephemeralvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var (
	_ ephemeral.EphemeralResourceWithConfigure        = (*deviceCredentialsEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*deviceCredentialsEphemeralResource)(nil)
)

func newDeviceCredentialsEphemeralResource() ephemeral.EphemeralResource {
	return &deviceCredentialsEphemeralResource{}
}

// deviceCredentialsEphemeralResource hands a device's SIP credentials to
// the configuration without Terraform keeping them in a plan or state.
type deviceCredentialsEphemeralResource struct {
	client *mor.Client
}

type deviceCredentialsModel struct {
	DeviceID       types.Int64  `tfsdk:"device_id"`
	DeviceUsername types.String `tfsdk:"device_username"`
	UserID         types.Int64  `tfsdk:"user_id"`
	Username       types.String `tfsdk:"username"`
	DeviceType     types.String `tfsdk:"device_type"`
	Host           types.String `tfsdk:"host"`
	IPAddr         types.String `tfsdk:"ipaddr"`
	Port           types.Int64  `tfsdk:"port"`
	Transport      types.String `tfsdk:"transport"`
	Secret         types.String `tfsdk:"secret"`
	MD5Secret      types.String `tfsdk:"md5secret"`
	RemoteSecret   types.String `tfsdk:"remotesecret"`
	PIN            types.String `tfsdk:"pin"`
}

func (r *deviceCredentialsEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device_credentials"
}

func (r *deviceCredentialsEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	str := func(name string) schema.StringAttribute {
		return schema.StringAttribute{Description: deviceDescriptions[name], Computed: true}
	}
	secret := func(name string) schema.StringAttribute {
		return schema.StringAttribute{Description: deviceDescriptions[name], Computed: true, Sensitive: true}
	}
	notEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		Description: "Reads one device's SIP/IAX2 credentials with MOR's `device_details_get`, as an ephemeral resource: " +
			"Terraform never stores them in a plan or in state. Needs Terraform 1.10 or OpenTofu 1.11 or later. " +
			"Reading the same device with the `mor_device` data source in the same run makes no second request. " +
			"Looking up a device that does not exist, or is outside the API user's scope, is an error.",
		Attributes: map[string]schema.Attribute{
			"device_id":       schema.Int64Attribute{Description: deviceDescriptions["device_id"], Optional: true, Computed: true, Validators: atLeastOne},
			"device_username": schema.StringAttribute{Description: deviceDescriptions["device_username"], Optional: true, Computed: true, Validators: notEmpty},
			"user_id":         schema.Int64Attribute{Description: deviceDescriptions["user_id"], Computed: true},
			"username":        str("username"),
			"device_type":     str("device_type"),
			"host":            str("host"),
			"ipaddr":          str("ipaddr"),
			"port":            schema.Int64Attribute{Description: deviceDescriptions["port"], Computed: true},
			"transport":       str("transport"),
			"secret":          secret("secret"),
			"md5secret":       secret("md5secret"),
			"remotesecret":    secret("remotesecret"),
			"pin":             secret("pin"),
		},
	}
}

func (r *deviceCredentialsEphemeralResource) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	return []ephemeral.ConfigValidator{
		ephemeralvalidator.ExactlyOneOf(path.MatchRoot("device_id"), path.MatchRoot("device_username")),
	}
}

func (r *deviceCredentialsEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *deviceCredentialsEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var result deviceCredentialsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &result)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	query := mor.DeviceQuery{ID: result.DeviceID.ValueInt64Pointer(), Username: result.DeviceUsername.ValueString()}
	details, err := r.client.DeviceDetails(ctx, query)
	if err != nil {
		addDeviceReadError(ctx, &resp.Diagnostics, r.client, query, err)
		return
	}
	deviceToCredentials(details, &result)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &result)...)
}

// deviceToCredentials maps the columns of a device_details_get record that
// reach a SIP peer onto the model, each null when MOR sends it empty.
func deviceToCredentials(d *mor.DeviceDetails, m *deviceCredentialsModel) {
	str := func(col string) types.String {
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
	m.Username = str("username")
	m.DeviceType = str("device_type")
	m.Host = str("host")
	m.IPAddr = str("ipaddr")
	m.Port = types.Int64PointerValue(d.Port)
	m.Transport = str("transport")
	m.Secret = str("secret")
	m.MD5Secret = str("md5secret")
	m.RemoteSecret = str("remotesecret")
	m.PIN = str("pin")
}
