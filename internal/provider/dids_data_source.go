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
	_ datasource.DataSourceWithConfigure = (*didsDataSource)(nil)
	_ stateReader                        = (*didsDataSource)(nil)
)

func newDIDsDataSource() datasource.DataSource { return &didsDataSource{} }

type didsDataSource struct {
	client *mor.Client
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
			"A `status` of `free`, `active` or `reserved` is applied by the provider: it asks MOR for the DIDs matching the other filters and keeps those in that status, " +
			"because MOR's own status search, for an admin or accountant, leaves DIDs assigned to a reseller out of `free` and `active` and adds every one of them to `reserved`. " +
			"Such a read transfers every DID matching the other filters, so it costs what a read without `status` costs. " +
			"`free`, `active` and `reserved` reads with the same other filters share one request.",
		Attributes: map[string]schema.Attribute{
			"did_number": schema.StringAttribute{
				Description: "DID number to match, exactly unless it holds `%` (any run of characters) or `_` (one character), as SQL LIKE. Not empty or blank.",
				Optional:    true,
				Validators:  textFilter,
			},
			"status": schema.StringAttribute{
				Description: "Only DIDs in this status: `free`, `reserved`, `active`, `closed` or `terminated` (in any ASCII letter case): every DID in that status the API user may see, " +
					"DIDs assigned to resellers and their users included.",
				Optional:   true,
				Validators: oneOfInASCIICase(mor.DIDStatuses...),
			},
			"owner":       schema.StringAttribute{Description: "Only DIDs of the owner with this display name (e.g. `John Doe`, or `System Admin`). Not empty or blank.", Optional: true, Validators: textFilter},
			"dialplan_id": schema.Int64Attribute{Description: "Only DIDs routed to this dial plan (ids start at 1).", Optional: true, Validators: atLeastOne},
			"user_id": schema.Int64Attribute{Description: "Only DIDs of this user (ids start at 1). MOR matches the id as a reseller too: for a reseller's id, the DIDs assigned to that reseller, its customers' included, are returned as well. " +
				"0 is refused, as MOR would match it as every DID not assigned to a reseller; filter the admin's DIDs with `owner = \"System Admin\"`.", Optional: true, Validators: atLeastOne},
			"device_id":       schema.Int64Attribute{Description: "Only DIDs routed to this device (ids start at 1).", Optional: true, Validators: atLeastOne},
			"provider_id":     schema.Int64Attribute{Description: "Only DIDs of this provider (ids start at 1).", Optional: true, Validators: atLeastOne},
			"language":        schema.StringAttribute{Description: "Only DIDs with this language. Not empty or blank.", Optional: true, Validators: textFilter},
			"hide_terminated": schema.BoolAttribute{Description: "Leave terminated DIDs out.", Optional: true},
			"dids": didFields.attribute("The matching DIDs, sorted by number then id; empty when nothing matches. " +
				"Fields MOR does not send to this API user's role are null (only admins and accountants see `provider` and `reseller`; simple users see no `dial_plan` or `tone_zone`)."),
		},
	}
}

func (d *didsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *didsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readThroughFramework(ctx, d, d.client, req, resp)
}

func (d *didsDataSource) readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	dids, err := client.DIDs(ctx, mor.DIDFilter{
		Number:         config.String("did_number"),
		Status:         config.String("status"),
		Owner:          config.String("owner"),
		DialplanID:     config.Int64("dialplan_id"),
		UserID:         config.Int64("user_id"),
		DeviceID:       config.Int64("device_id"),
		ProviderID:     config.Int64("provider_id"),
		Language:       config.String("language"),
		HideTerminated: config.Bool("hide_terminated"),
	})
	if err != nil {
		addClientError(ctx, &diags, "MOR DIDs", err)
		return nil, diags
	}
	return map[string]computedValue{"dids": didList(dids)}, diags
}

// didList maps dids_get entries, sorted by number then id.
func didList(dids []mor.DID) computedValue {
	sorted := pointersTo(dids)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return int64OrZero(a.ID) < int64OrZero(b.ID)
	})
	return didFields.of(sorted)
}
