package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ datasource.DataSourceWithConfigure = (*devicesDataSource)(nil)

func newDevicesDataSource() datasource.DataSource { return &devicesDataSource{} }

type devicesDataSource struct {
	client *mor.Client
}

type devicesModel struct {
	UserID  types.Int64        `tfsdk:"user_id"`
	Devices []deviceEntryModel `tfsdk:"devices"`
}

type deviceEntryModel struct {
	DeviceID      types.Int64  `tfsdk:"device_id"`
	DeviceType    types.String `tfsdk:"device_type"`
	IPAddr        types.String `tfsdk:"ipaddr"`
	Port          types.Int64  `tfsdk:"port"`
	Username      types.String `tfsdk:"username"`
	CallerID      types.String `tfsdk:"callerid"`
	DevicegroupID types.Int64  `tfsdk:"devicegroup_id"`
	PrimaryDevice types.Bool   `tfsdk:"primary_device"`
	Secret        types.String `tfsdk:"secret"`
}

func (d *devicesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_devices"
}

func (d *devicesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the devices (SIP, IAX2 and other connection points) of one MOR user, with MOR's `devices_get` " +
			"(or `device_list` on releases older than X4). The API user must be the admin (or an accountant with device rights) for the admin's users, or the reseller owning the user.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.Int64Attribute{
				Description: "Id of the MOR user whose devices to list.",
				Required:    true,
			},
			"devices": schema.ListNestedAttribute{
				Description: "The user's devices, sorted by `device_id`; empty when the user has none. Fields this MOR release does not send are null.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"device_id":      schema.Int64Attribute{Description: "Device id.", Computed: true},
					"device_type":    schema.StringAttribute{Description: "Technology: `SIP`, `IAX2`, `H323`, `dahdi`, ….", Computed: true},
					"ipaddr":         schema.StringAttribute{Description: "IP address the device is at or registers from (`0.0.0.0` for dynamic devices not registered).", Computed: true},
					"port":           schema.Int64Attribute{Description: "Port of the device (0 for dynamic).", Computed: true},
					"username":       schema.StringAttribute{Description: "SIP/IAX2 username of the device.", Computed: true},
					"callerid":       schema.StringAttribute{Description: "Caller ID, e.g. `\"101\" <101>`.", Computed: true},
					"devicegroup_id": schema.Int64Attribute{Description: "Id of the device group.", Computed: true},
					"primary_device": schema.BoolAttribute{Description: "Whether this is the user's primary device.", Computed: true},
					"secret":         schema.StringAttribute{Description: "SIP/IAX2 password of the device.", Computed: true, Sensitive: true},
				}},
			},
		},
	}
}

func (d *devicesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req, resp)
}

func (d *devicesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state devicesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	devices, err := d.client.Devices(ctx, state.UserID.ValueInt64())
	if err != nil {
		addClientError(ctx, &resp.Diagnostics, "MOR Devices", err)
		return
	}
	state.Devices = deviceEntries(devices)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// deviceEntries maps devices_get entries, sorted by id so plans never churn.
func deviceEntries(devices []mor.Device) []deviceEntryModel {
	out := make([]deviceEntryModel, 0, len(devices))
	for _, dev := range devices {
		out = append(out, deviceEntryModel{
			DeviceID:      types.Int64Value(dev.DeviceID),
			DeviceType:    types.StringPointerValue(dev.DeviceType),
			IPAddr:        types.StringPointerValue(dev.IPAddr),
			Port:          types.Int64PointerValue(dev.Port),
			Username:      types.StringPointerValue(dev.Username),
			CallerID:      types.StringPointerValue(dev.CallerID),
			DevicegroupID: types.Int64PointerValue(dev.DevicegroupID),
			PrimaryDevice: types.BoolPointerValue(dev.PrimaryDevice),
			Secret:        types.StringPointerValue(dev.Secret),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DeviceID.ValueInt64() < out[j].DeviceID.ValueInt64() })
	return out
}
