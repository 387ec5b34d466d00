package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ datasource.DataSourceWithConfigure = (*deviceCLIsDataSource)(nil)

func newDeviceCLIsDataSource() datasource.DataSource { return &deviceCLIsDataSource{} }

type deviceCLIsDataSource struct {
	client *mor.Client
}

type deviceCLIsModel struct {
	DeviceID types.Int64     `tfsdk:"device_id"`
	UserID   types.Int64     `tfsdk:"user_id"`
	CLIs     []cliEntryModel `tfsdk:"clis"`
}

type cliEntryModel struct {
	ID            types.Int64  `tfsdk:"id"`
	CLI           types.String `tfsdk:"cli"`
	Device        types.String `tfsdk:"device"`
	Description   types.String `tfsdk:"description"`
	Domain        types.String `tfsdk:"domain"`
	IVR           types.String `tfsdk:"ivr"`
	AddedAt       types.String `tfsdk:"added_at"`
	UpdatedAt     types.String `tfsdk:"updated_at"`
	Comment       types.String `tfsdk:"comment"`
	EmailCallback types.Bool   `tfsdk:"email_callback"`
	Banned        types.Bool   `tfsdk:"banned"`
}

func (d *deviceCLIsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device_clis"
}

func (d *deviceCLIsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc + " Null when not set.", Computed: true}
	}
	resp.Schema = schema.Schema{
		Description: "Lists caller IDs (CLIs) of devices with MOR's `device_clis_get`. Without filters it lists every CLI the API user may see: " +
			"all for the admin, its users' for a reseller, the admin's users' for an accountant. Resellers and accountants need MOR's CLI permission.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.Int64Attribute{Description: "Only CLIs of this device. A device that does not exist or is outside the API user's scope is an error.", Optional: true},
			"user_id":   schema.Int64Attribute{Description: "Only CLIs of this user's devices. A user that does not exist or is outside the API user's scope is an error.", Optional: true},
			"clis": schema.ListNestedAttribute{
				Description: "The CLIs, sorted by id; empty when there are none.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":             schema.Int64Attribute{Description: "CLI id.", Computed: true},
					"cli":            computed("The caller ID number."),
					"device":         computed("Device it belongs to, as `TECH/name`."),
					"description":    computed("Description."),
					"domain":         computed("Domain (sent by some releases only)."),
					"ivr":            computed("IVR the CLI is bound to."),
					"added_at":       computed("When it was added, as MOR shows it (`2015-08-31 12:40:23 +0300`)."),
					"updated_at":     computed("When it was last changed, as MOR shows it."),
					"comment":        computed("Comment."),
					"email_callback": schema.BoolAttribute{Description: "Whether e-mail callback is on.", Computed: true},
					"banned":         schema.BoolAttribute{Description: "Whether the CLI is banned.", Computed: true},
				}},
			},
		},
	}
}

func (d *deviceCLIsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req, resp)
}

func (d *deviceCLIsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state deviceCLIsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	clis, err := d.client.CLIs(ctx, mor.CLIFilter{DeviceID: state.DeviceID.ValueInt64Pointer(), UserID: state.UserID.ValueInt64Pointer()})
	if err != nil {
		addClientError(ctx, &resp.Diagnostics, "MOR CLIs", err)
		return
	}
	state.CLIs = cliEntries(clis)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// cliEntries maps device_clis_get entries, sorted by id.
func cliEntries(clis []mor.CLI) []cliEntryModel {
	out := make([]cliEntryModel, 0, len(clis))
	for _, c := range clis {
		out = append(out, cliEntryModel{
			ID:            types.Int64Value(c.ID),
			CLI:           types.StringPointerValue(c.CLI),
			Device:        types.StringPointerValue(c.Device),
			Description:   types.StringPointerValue(c.Description),
			Domain:        types.StringPointerValue(c.Domain),
			IVR:           types.StringPointerValue(c.IVR),
			AddedAt:       types.StringPointerValue(c.AddedAt),
			UpdatedAt:     types.StringPointerValue(c.UpdatedAt),
			Comment:       types.StringPointerValue(c.Comment),
			EmailCallback: types.BoolPointerValue(c.EmailCallback),
			Banned:        types.BoolPointerValue(c.Banned),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID.ValueInt64() < out[j].ID.ValueInt64() })
	return out
}
