package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var (
	_ datasource.DataSourceWithConfigure = (*deviceCLIsDataSource)(nil)
	_ stateReader                        = (*deviceCLIsDataSource)(nil)
)

func newDeviceCLIsDataSource() datasource.DataSource { return &deviceCLIsDataSource{} }

type deviceCLIsDataSource struct {
	client *mor.Client
}

// cliFields are the attributes of each element of clis.
var cliFields = newListOf(
	int64Field("id", "CLI id.", func(c *mor.CLI) *int64 { return &c.ID }),
	stringField("cli", "The caller ID number. Null when not set.", func(c *mor.CLI) *string { return c.CLI }),
	stringField("device", "Device it belongs to, as `TECH/name`. Null when not set.", func(c *mor.CLI) *string { return c.Device }),
	stringField("description", "Description. Null when not set.", func(c *mor.CLI) *string { return c.Description }),
	stringField("domain", "Domain (sent by some releases only). Null when not set.", func(c *mor.CLI) *string { return c.Domain }),
	stringField("ivr", "IVR the CLI is bound to. Null when not set.", func(c *mor.CLI) *string { return c.IVR }),
	stringField("added_at", "When it was added, as MOR shows it (`2015-08-31 12:40:23 +0300`). Null when not set.", func(c *mor.CLI) *string { return c.AddedAt }),
	stringField("updated_at", "When it was last changed, as MOR shows it. Null when not set.", func(c *mor.CLI) *string { return c.UpdatedAt }),
	stringField("comment", "Comment. Null when not set.", func(c *mor.CLI) *string { return c.Comment }),
	boolField("email_callback", "Whether e-mail callback is on.", func(c *mor.CLI) *bool { return c.EmailCallback }),
	boolField("banned", "Whether the CLI is banned.", func(c *mor.CLI) *bool { return c.Banned }),
)

func (d *deviceCLIsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device_clis"
}

func (d *deviceCLIsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists caller IDs (CLIs) of devices with MOR's `device_clis_get`. Without filters it lists every CLI the API user may see: " +
			"all for the admin, its users' for a reseller, the admin's users' for an accountant. Resellers and accountants need MOR's CLI permission.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.Int64Attribute{Description: "Only CLIs of this device (device ids start at 1). A device that does not exist or is outside the API user's scope is an error.", Optional: true, Validators: atLeastOne},
			"user_id":   schema.Int64Attribute{Description: "Only CLIs of this user's devices (0 is the admin). A user that does not exist or is outside the API user's scope is an error.", Optional: true, Validators: atLeastZero},
			"clis":      cliFields.attribute("The CLIs, sorted by id; empty when there are none."),
		},
	}
}

func (d *deviceCLIsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *deviceCLIsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readThroughFramework(ctx, d, d.client, req, resp)
}

func (d *deviceCLIsDataSource) readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	clis, err := client.CLIs(ctx, mor.CLIFilter{DeviceID: config.Int64("device_id"), UserID: config.Int64("user_id")})
	if err != nil {
		addClientError(ctx, &diags, "MOR CLIs", err)
		return nil, diags
	}
	return map[string]computedValue{"clis": cliList(clis)}, diags
}

// cliList maps device_clis_get entries, sorted by id.
func cliList(clis []mor.CLI) computedValue {
	sorted := pointersTo(clis)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	return cliFields.of(sorted)
}
