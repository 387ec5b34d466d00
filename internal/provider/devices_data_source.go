package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var (
	_ datasource.DataSourceWithConfigure = (*devicesDataSource)(nil)
	_ stateReader                        = (*devicesDataSource)(nil)
)

func newDevicesDataSource() datasource.DataSource { return &devicesDataSource{} }

type devicesDataSource struct {
	client *mor.Client
}

// deviceFields are the attributes of each element of devices. The SIP
// secret is not one of them: a list of objects cannot mark one field
// sensitive, so it goes to the sensitive secrets map, and only when asked.
var deviceFields = newListOf(
	int64Field("device_id", "Device id.", func(d *mor.Device) *int64 { return &d.DeviceID }),
	stringField("device_type", "Technology: `SIP`, `IAX2`, `H323`, `dahdi`, ….", func(d *mor.Device) *string { return d.DeviceType }),
	stringField("ipaddr", "IP address the device is at or registers from (`0.0.0.0` for dynamic devices not registered).", func(d *mor.Device) *string { return d.IPAddr }),
	int64Field("port", "Port of the device (0 for dynamic).", func(d *mor.Device) *int64 { return d.Port }),
	stringField("username", "SIP/IAX2 username of the device.", func(d *mor.Device) *string { return d.Username }),
	stringField("callerid", "Caller ID, e.g. `\"101\" <101>`.", func(d *mor.Device) *string { return d.CallerID }),
	int64Field("devicegroup_id", "Id of the device group.", func(d *mor.Device) *int64 { return d.DevicegroupID }),
	boolField("primary_device", "Whether this is the user's primary device.", func(d *mor.Device) *bool { return d.PrimaryDevice }),
)

func (d *devicesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_devices"
}

func (d *devicesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the devices (SIP, IAX2 and other connection points) of one MOR user, with MOR's `devices_get` " +
			"(or `device_list` on releases older than X4). The API user must be the admin (or an accountant with device rights) for the admin's users, or the reseller owning the user. " +
			"Device passwords are left out unless `include_secrets` is true, as they would be stored in state; to hand a device's credentials to another provider " +
			"without storing them anywhere, use the ephemeral resource `mor_device_credentials` (`ephemeral \"mor_device_credentials\"`, Terraform 1.10 or later).",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.Int64Attribute{
				Description: "Id of the MOR user whose devices to list (0 is the admin).",
				Required:    true,
				Validators:  atLeastZero,
			},
			"include_secrets": schema.BoolAttribute{
				Description: "Also read each device's SIP/IAX2 password into `secrets`. Off by default: whatever a data source reads is written to state in plain text " +
					"(sensitive only hides it from the CLI), so without it no device secret from MOR's answer reaches state.",
				Optional: true,
			},
			"devices": deviceFields.attribute("The user's devices, sorted by `device_id`; empty when the user has none. Fields this MOR release does not send are null. " +
				"The SIP/IAX2 password is not here but in `secrets`."),
			"secrets": schema.MapAttribute{
				Description: "SIP/IAX2 password of each device, by device id (as a decimal string, e.g. `secrets[\"5\"]`); a device whose password MOR does not send maps to null. " +
					"Null unless `include_secrets` is true.",
				Computed: true, Sensitive: true, ElementType: types.StringType,
			},
		},
	}
}

func (d *devicesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *devicesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readThroughFramework(ctx, d, d.client, req, resp)
}

func (d *devicesDataSource) readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	var userID int64
	if id := config.Int64("user_id"); id != nil {
		userID = *id
	}
	devices, err := client.Devices(ctx, userID)
	if err != nil {
		addClientError(ctx, &diags, "MOR Devices", err)
		return nil, diags
	}
	secrets := tftypes.NewValue(stringMapType, nil)
	if includeSecrets := config.Bool("include_secrets"); includeSecrets != nil && *includeSecrets {
		secrets = deviceSecrets(devices)
	}
	return map[string]computedValue{"devices": deviceList(devices), "secrets": tfComputed{secrets}}, diags
}

// deviceList maps devices_get entries, sorted by id so plans never churn.
func deviceList(devices []mor.Device) computedValue {
	sorted := pointersTo(devices)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].DeviceID < sorted[j].DeviceID })
	return deviceFields.of(sorted)
}

// deviceSecrets maps each device's id to its SIP secret.
func deviceSecrets(devices []mor.Device) tftypes.Value {
	secrets := make(map[string]tftypes.Value, len(devices))
	for i := range devices {
		secrets[strconv.FormatInt(devices[i].DeviceID, 10)] = stringValue(devices[i].Secret)
	}
	return tftypes.NewValue(stringMapType, secrets)
}
