package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ datasource.DataSourceWithConfigure = (*didsDataSource)(nil)

func newDIDsDataSource() datasource.DataSource { return &didsDataSource{} }

type didsDataSource struct {
	client *mor.Client
}

type didsModel struct {
	DIDNumber      types.String `tfsdk:"did_number"`
	Status         types.String `tfsdk:"status"`
	Owner          types.String `tfsdk:"owner"`
	DialplanID     types.Int64  `tfsdk:"dialplan_id"`
	UserID         types.Int64  `tfsdk:"user_id"`
	DeviceID       types.Int64  `tfsdk:"device_id"`
	ProviderID     types.Int64  `tfsdk:"provider_id"`
	Language       types.String `tfsdk:"language"`
	HideTerminated types.Bool   `tfsdk:"hide_terminated"`
	DIDs           types.List   `tfsdk:"dids"`
}

// didFields are the attributes of each element of dids.
var didFields = newListOf(
	int64Field("id", "DID id.", func(d *mor.DID) *int64 { return d.ID }),
	stringField("did", "The number.", func(d *mor.DID) *string { return &d.Number }),
	stringField("provider", "Provider name.", func(d *mor.DID) *string { return d.Provider }),
	stringField("language", "Language.", func(d *mor.DID) *string { return d.Language }),
	stringField("status", "Status as MOR shows it: `Free`, `Reserved`, `Active`, `Closed` or `Terminated`.", func(d *mor.DID) *string { return d.Status }),
	stringField("reseller", "Name of the reseller the DID is assigned to.", func(d *mor.DID) *string { return d.Reseller }),
	stringField("owner", "Display name of the owner (`System Admin` for the admin).", func(d *mor.DID) *string { return d.Owner }),
	stringField("device", "Device the DID routes to, as `TECH/name` (e.g. `IAX2/101`).", func(d *mor.DID) *string { return d.Device }),
	stringField("dial_plan", "Dial plan the DID routes to, as `name (type)`.", func(d *mor.DID) *string { return d.DialPlan }),
	stringField("simultaneous_call_limit", "`Unlimited` or a number.", func(d *mor.DID) *string { return d.SimultaneousCallLimit }),
	stringField("comment", "Comment, when set.", func(d *mor.DID) *string { return d.Comment }),
	stringField("tone_zone", "Tone zone.", func(d *mor.DID) *string { return d.ToneZone }),
)

func (d *didsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dids"
}

func (d *didsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Searches MOR's DIDs (phone numbers) with `dids_get`. Every filter is optional; without filters it lists every DID the API user may see. " +
			"MOR's quirk of adding every reseller-assigned DID to a `reserved` search is undone: only DIDs of the requested status are returned. " +
			"For an admin, MOR's `free` and `active` searches leave out DIDs assigned to a reseller (MOR adds `reseller_id = 0` to them), " +
			"so those DIDs show only in a search without `status`: to see them, search without `status` and filter on `status` in HCL (see the example).",
		Attributes: map[string]schema.Attribute{
			"did_number": schema.StringAttribute{
				Description: "DID number to match, exactly unless it holds `%` (any run of characters) or `_` (one character), as SQL LIKE.",
				Optional:    true,
			},
			"status": schema.StringAttribute{
				Description: "Only DIDs in this status: `free`, `reserved`, `active`, `closed` or `terminated` (any case). " +
					"For an admin, `free` and `active` leave out DIDs assigned to a reseller.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(mor.DIDStatuses...)},
			},
			"owner":           schema.StringAttribute{Description: "Only DIDs of the owner with this display name (e.g. `John Doe`, or `System Admin`).", Optional: true},
			"dialplan_id":     schema.Int64Attribute{Description: "Only DIDs routed to this dial plan.", Optional: true},
			"user_id":         schema.Int64Attribute{Description: "Only DIDs of this user.", Optional: true},
			"device_id":       schema.Int64Attribute{Description: "Only DIDs routed to this device.", Optional: true},
			"provider_id":     schema.Int64Attribute{Description: "Only DIDs of this provider.", Optional: true},
			"language":        schema.StringAttribute{Description: "Only DIDs with this language.", Optional: true},
			"hide_terminated": schema.BoolAttribute{Description: "Leave terminated DIDs out.", Optional: true},
			"dids": didFields.attribute("The matching DIDs, sorted by number then id; empty when nothing matches. " +
				"Fields MOR does not send to this API user's role are null (only admins and accountants see `provider` and `reseller`; simple users see no `dial_plan` or `tone_zone`)."),
		},
	}
}

func (d *didsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req, resp)
}

func (d *didsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state didsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dids, err := d.client.DIDs(ctx, mor.DIDFilter{
		Number:         state.DIDNumber.ValueString(),
		Status:         state.Status.ValueString(),
		Owner:          state.Owner.ValueString(),
		DialplanID:     state.DialplanID.ValueInt64Pointer(),
		UserID:         state.UserID.ValueInt64Pointer(),
		DeviceID:       state.DeviceID.ValueInt64Pointer(),
		ProviderID:     state.ProviderID.ValueInt64Pointer(),
		Language:       state.Language.ValueString(),
		HideTerminated: state.HideTerminated.ValueBoolPointer(),
	})
	if err != nil {
		addClientError(ctx, &resp.Diagnostics, "MOR DIDs", err)
		return
	}
	resp.Diagnostics.Append(setComputed(&resp.State, req.Config.Raw, map[string]tftypes.Value{"dids": didList(dids)})...)
}

// didList maps dids_get entries, sorted by number then id.
func didList(dids []mor.DID) tftypes.Value {
	sorted := pointersTo(dids)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return int64OrZero(a.ID) < int64OrZero(b.ID)
	})
	return didFields.value(sorted)
}
