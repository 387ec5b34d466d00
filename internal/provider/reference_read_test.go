package provider

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The reference for TestProtocolReadMatchesFramework: each data source read
// as the framework's documentation writes one, with a model struct filled
// from the client and set with resp.State.Set (the framework's reflection).
// It shares nothing with the protocol server's path but the client and the
// schema: no configAttributes, no readState, no computedValue, no field
// table.

// referenceReads are the reference reads by data source type name; a data
// source the protocol server serves without one here fails the test.
var referenceReads = map[string]func(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics{
	"mor_dids":        referenceDIDs,
	"mor_devices":     referenceDevices,
	"mor_device_clis": referenceCLIs,
	"mor_device":      referenceDeviceDetails,
	"mor_users":       referenceUsers,
}

// referenceProvider is the provider with its data sources' reads replaced
// by the reference reads.
type referenceProvider struct{ *morProvider }

func (p *referenceProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, newReal := range p.morProvider.DataSources(ctx) {
		var md datasource.MetadataResponse
		newReal().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "mor"}, &md)
		if read, ok := referenceReads[md.TypeName]; ok {
			out = append(out, func() datasource.DataSource { return &referenceDataSource{real: newReal(), read: read} })
		}
	}
	return out
}

// referenceDataSource has the real data source's name and schema and the
// reference read.
type referenceDataSource struct {
	real   datasource.DataSource
	client *mor.Client
	read   func(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics
}

func (d *referenceDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	d.real.Metadata(ctx, req, resp)
}

func (d *referenceDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

func (d *referenceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	d.client, _ = req.ProviderData.(*mor.Client)
}

func (d *referenceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.client == nil {
		resp.Diagnostics.AddError("Reference Read Without a Client", "the provider was not configured")
		return
	}
	resp.Diagnostics.Append(d.read(ctx, d.client, req.Config, &resp.State)...)
}

// configuredReference is the reference provider configured as username.
func configuredReference(t *testing.T, target benchTarget, username string) tfprotov6.ProviderServer {
	t.Helper()
	server := providerserver.NewProtocol6(&referenceProvider{&morProvider{version: "reference"}})()
	configure(t, server, target, username)
	return server
}

func referenceError(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Reference Read Failed", err.Error())
	return diags
}

type referenceDIDsModel struct {
	DIDNumber      types.String   `tfsdk:"did_number"`
	Status         types.String   `tfsdk:"status"`
	Owner          types.String   `tfsdk:"owner"`
	DialplanID     types.Int64    `tfsdk:"dialplan_id"`
	UserID         types.Int64    `tfsdk:"user_id"`
	DeviceID       types.Int64    `tfsdk:"device_id"`
	ProviderID     types.Int64    `tfsdk:"provider_id"`
	Language       types.String   `tfsdk:"language"`
	HideTerminated types.Bool     `tfsdk:"hide_terminated"`
	DIDs           []referenceDID `tfsdk:"dids"`
}

type referenceDID struct {
	ID                    types.Int64  `tfsdk:"id"`
	DID                   types.String `tfsdk:"did"`
	Provider              types.String `tfsdk:"provider"`
	Language              types.String `tfsdk:"language"`
	Status                types.String `tfsdk:"status"`
	Reseller              types.String `tfsdk:"reseller"`
	Owner                 types.String `tfsdk:"owner"`
	Device                types.String `tfsdk:"device"`
	DialPlan              types.String `tfsdk:"dial_plan"`
	SimultaneousCallLimit types.String `tfsdk:"simultaneous_call_limit"`
	Comment               types.String `tfsdk:"comment"`
	ToneZone              types.String `tfsdk:"tone_zone"`
}

func referenceDIDs(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var m referenceDIDsModel
	if diags := config.Get(ctx, &m); diags.HasError() {
		return diags
	}
	dids, err := client.DIDs(ctx, mor.DIDFilter{
		Number: m.DIDNumber.ValueString(), Status: m.Status.ValueString(), Owner: m.Owner.ValueString(),
		DialplanID: m.DialplanID.ValueInt64Pointer(), UserID: m.UserID.ValueInt64Pointer(), DeviceID: m.DeviceID.ValueInt64Pointer(),
		ProviderID: m.ProviderID.ValueInt64Pointer(), Language: m.Language.ValueString(), HideTerminated: m.HideTerminated.ValueBoolPointer(),
	})
	if err != nil {
		return referenceError(err)
	}
	dids = slices.Clone(dids)
	sort.SliceStable(dids, func(i, j int) bool {
		if dids[i].Number != dids[j].Number {
			return dids[i].Number < dids[j].Number
		}
		return m.idOf(dids[i]) < m.idOf(dids[j])
	})
	m.DIDs = []referenceDID{}
	for _, d := range dids {
		m.DIDs = append(m.DIDs, referenceDID{
			ID: types.Int64PointerValue(d.ID), DID: types.StringValue(d.Number), Provider: types.StringPointerValue(d.Provider),
			Language: types.StringPointerValue(d.Language), Status: types.StringPointerValue(d.Status), Reseller: types.StringPointerValue(d.Reseller),
			Owner: types.StringPointerValue(d.Owner), Device: types.StringPointerValue(d.Device), DialPlan: types.StringPointerValue(d.DialPlan),
			SimultaneousCallLimit: types.StringPointerValue(d.SimultaneousCallLimit), Comment: types.StringPointerValue(d.Comment),
			ToneZone: types.StringPointerValue(d.ToneZone),
		})
	}
	return state.Set(ctx, &m)
}

// idOf is a DID's id for sorting, a missing id first.
func (referenceDIDsModel) idOf(d mor.DID) int64 {
	if d.ID == nil {
		return 0
	}
	return *d.ID
}

type referenceDevicesModel struct {
	UserID         types.Int64       `tfsdk:"user_id"`
	IncludeSecrets types.Bool        `tfsdk:"include_secrets"`
	Devices        []referenceDevice `tfsdk:"devices"`
	Secrets        types.Map         `tfsdk:"secrets"`
}

type referenceDevice struct {
	DeviceID      types.Int64  `tfsdk:"device_id"`
	DeviceType    types.String `tfsdk:"device_type"`
	IPAddr        types.String `tfsdk:"ipaddr"`
	Port          types.Int64  `tfsdk:"port"`
	Username      types.String `tfsdk:"username"`
	CallerID      types.String `tfsdk:"callerid"`
	DevicegroupID types.Int64  `tfsdk:"devicegroup_id"`
	PrimaryDevice types.Bool   `tfsdk:"primary_device"`
}

func referenceDevices(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var m referenceDevicesModel
	if diags := config.Get(ctx, &m); diags.HasError() {
		return diags
	}
	devices, err := client.Devices(ctx, m.UserID.ValueInt64())
	if err != nil {
		return referenceError(err)
	}
	devices = slices.Clone(devices)
	sort.SliceStable(devices, func(i, j int) bool { return devices[i].DeviceID < devices[j].DeviceID })
	m.Devices = []referenceDevice{}
	secrets := map[string]attr.Value{}
	for _, d := range devices {
		m.Devices = append(m.Devices, referenceDevice{
			DeviceID: types.Int64Value(d.DeviceID), DeviceType: types.StringPointerValue(d.DeviceType), IPAddr: types.StringPointerValue(d.IPAddr),
			Port: types.Int64PointerValue(d.Port), Username: types.StringPointerValue(d.Username), CallerID: types.StringPointerValue(d.CallerID),
			DevicegroupID: types.Int64PointerValue(d.DevicegroupID), PrimaryDevice: types.BoolPointerValue(d.PrimaryDevice),
		})
		secrets[strconv.FormatInt(d.DeviceID, 10)] = types.StringPointerValue(d.Secret)
	}
	m.Secrets = types.MapNull(types.StringType)
	if m.IncludeSecrets.ValueBool() {
		m.Secrets = types.MapValueMust(types.StringType, secrets)
	}
	return state.Set(ctx, &m)
}

type referenceCLIsModel struct {
	DeviceID types.Int64    `tfsdk:"device_id"`
	UserID   types.Int64    `tfsdk:"user_id"`
	CLIs     []referenceCLI `tfsdk:"clis"`
}

type referenceCLI struct {
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

func referenceCLIs(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var m referenceCLIsModel
	if diags := config.Get(ctx, &m); diags.HasError() {
		return diags
	}
	clis, err := client.CLIs(ctx, mor.CLIFilter{DeviceID: m.DeviceID.ValueInt64Pointer(), UserID: m.UserID.ValueInt64Pointer()})
	if err != nil {
		return referenceError(err)
	}
	clis = slices.Clone(clis)
	sort.SliceStable(clis, func(i, j int) bool { return clis[i].ID < clis[j].ID })
	m.CLIs = []referenceCLI{}
	for _, c := range clis {
		m.CLIs = append(m.CLIs, referenceCLI{
			ID: types.Int64Value(c.ID), CLI: types.StringPointerValue(c.CLI), Device: types.StringPointerValue(c.Device),
			Description: types.StringPointerValue(c.Description), Domain: types.StringPointerValue(c.Domain), IVR: types.StringPointerValue(c.IVR),
			AddedAt: types.StringPointerValue(c.AddedAt), UpdatedAt: types.StringPointerValue(c.UpdatedAt), Comment: types.StringPointerValue(c.Comment),
			EmailCallback: types.BoolPointerValue(c.EmailCallback), Banned: types.BoolPointerValue(c.Banned),
		})
	}
	return state.Set(ctx, &m)
}

type referenceDeviceModel struct {
	DeviceID         types.Int64  `tfsdk:"device_id"`
	DeviceUsername   types.String `tfsdk:"device_username"`
	UserID           types.Int64  `tfsdk:"user_id"`
	Name             types.String `tfsdk:"name"`
	Username         types.String `tfsdk:"username"`
	DeviceType       types.String `tfsdk:"device_type"`
	Description      types.String `tfsdk:"description"`
	Extension        types.String `tfsdk:"extension"`
	CallerID         types.String `tfsdk:"callerid"`
	Host             types.String `tfsdk:"host"`
	IPAddr           types.String `tfsdk:"ipaddr"`
	Port             types.Int64  `tfsdk:"port"`
	Transport        types.String `tfsdk:"transport"`
	Context          types.String `tfsdk:"context"`
	NAT              types.String `tfsdk:"nat"`
	Permit           types.String `tfsdk:"permit"`
	Deny             types.String `tfsdk:"deny"`
	Allow            types.String `tfsdk:"allow"`
	Disallow         types.String `tfsdk:"disallow"`
	DTMFMode         types.String `tfsdk:"dtmfmode"`
	Insecure         types.String `tfsdk:"insecure"`
	CallLimit        types.Int64  `tfsdk:"call_limit"`
	Language         types.String `tfsdk:"language"`
	AudioCodecs      types.List   `tfsdk:"audio_codecs"`
	VideoCodecs      types.List   `tfsdk:"video_codecs"`
	Secret           types.String `tfsdk:"secret"`
	MD5Secret        types.String `tfsdk:"md5secret"`
	RemoteSecret     types.String `tfsdk:"remotesecret"`
	PIN              types.String `tfsdk:"pin"`
	Attributes       types.Map    `tfsdk:"attributes"`
	IncludeSecrets   types.Bool   `tfsdk:"include_secrets"`
	SecretAttributes types.Map    `tfsdk:"secret_attributes"`
}

func referenceDeviceDetails(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var m referenceDeviceModel
	if diags := config.Get(ctx, &m); diags.HasError() {
		return diags
	}
	d, err := client.DeviceDetails(ctx, mor.DeviceQuery{ID: m.DeviceID.ValueInt64Pointer(), Username: m.DeviceUsername.ValueString()})
	if err != nil {
		return referenceError(err)
	}
	own := map[string]bool{"id": true, "user_id": true, "port": true, "call_limit": true}
	column := func(name string) types.String {
		own[name] = true
		if v := d.Fields[name]; v != "" {
			return types.StringValue(v)
		}
		return types.StringNull()
	}
	m.Name, m.Username, m.DeviceType, m.Description = column("name"), column("username"), column("device_type"), column("description")
	m.Extension, m.CallerID, m.Host, m.IPAddr = column("extension"), column("callerid"), column("host"), column("ipaddr")
	m.Transport, m.Context, m.NAT, m.Permit, m.Deny = column("transport"), column("context"), column("nat"), column("permit"), column("deny")
	m.Allow, m.Disallow, m.DTMFMode, m.Insecure, m.Language = column("allow"), column("disallow"), column("dtmfmode"), column("insecure"), column("language")
	m.Secret, m.MD5Secret, m.RemoteSecret, m.PIN = column("secret"), column("md5secret"), column("remotesecret"), column("pin")
	withSecrets := m.IncludeSecrets.ValueBool()
	if !withSecrets {
		m.Secret, m.MD5Secret, m.RemoteSecret, m.PIN = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	}
	if m.DeviceID.IsNull() {
		m.DeviceID = types.Int64PointerValue(d.ID)
	}
	if m.DeviceUsername.IsNull() {
		m.DeviceUsername = m.Username
	}
	m.UserID, m.Port, m.CallLimit = types.Int64PointerValue(d.UserID), types.Int64PointerValue(d.Port), types.Int64PointerValue(d.CallLimit)
	codecs := func(names []string) types.List {
		if names == nil {
			return types.ListNull(types.StringType)
		}
		elems := []attr.Value{}
		for _, n := range names {
			elems = append(elems, types.StringValue(n))
		}
		return types.ListValueMust(types.StringType, elems)
	}
	m.AudioCodecs, m.VideoCodecs = codecs(d.AudioCodecs), codecs(d.VideoCodecs)
	for _, secret := range mor.SecretDeviceFields {
		own[secret] = true
	}
	// The credential rule as the docs state it: auth, setvar, and names
	// holding secret, pass, pin, key or token in any case.
	credential := func(name string) bool {
		lower := strings.ToLower(name)
		if lower == "auth" || lower == "setvar" {
			return true
		}
		for _, part := range []string{"secret", "pass", "pin", "key", "token"} {
			if strings.Contains(lower, part) {
				return true
			}
		}
		return false
	}
	rest, credentials := map[string]attr.Value{}, map[string]attr.Value{}
	for name, v := range d.Fields {
		switch {
		case own[name]:
		case credential(name):
			credentials[name] = types.StringValue(v)
		default:
			rest[name] = types.StringValue(v)
		}
	}
	m.Attributes = types.MapValueMust(types.StringType, rest)
	m.SecretAttributes = types.MapNull(types.StringType)
	if withSecrets {
		m.SecretAttributes = types.MapValueMust(types.StringType, credentials)
	}
	return state.Set(ctx, &m)
}

type referenceUsersModel struct {
	OwnerID  types.Int64     `tfsdk:"owner_id"`
	UserType types.String    `tfsdk:"usertype"`
	Users    []referenceUser `tfsdk:"users"`
}

type referenceUser struct {
	ID        types.Int64  `tfsdk:"id"`
	Username  types.String `tfsdk:"username"`
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	UserType  types.String `tfsdk:"usertype"`
	OwnerID   types.Int64  `tfsdk:"owner_id"`
	Blocked   types.Bool   `tfsdk:"blocked"`
	Hidden    types.Bool   `tfsdk:"hidden"`
	LCRID     types.Int64  `tfsdk:"lcr_id"`
	TariffID  types.Int64  `tfsdk:"tariff_id"`
	Balance   types.String `tfsdk:"balance"`
}

func referenceUsers(ctx context.Context, client *mor.Client, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var m referenceUsersModel
	if diags := config.Get(ctx, &m); diags.HasError() {
		return diags
	}
	users, err := client.Users(ctx)
	if err != nil {
		return referenceError(err)
	}
	users = slices.Clone(users)
	sort.SliceStable(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	m.Users = []referenceUser{}
	for _, u := range users {
		if !m.OwnerID.IsNull() && (u.OwnerID == nil || *u.OwnerID != m.OwnerID.ValueInt64()) {
			continue
		}
		if !m.UserType.IsNull() && (u.UserType == nil || !strings.EqualFold(*u.UserType, m.UserType.ValueString())) {
			continue
		}
		m.Users = append(m.Users, referenceUser{
			ID: types.Int64Value(u.ID), Username: types.StringPointerValue(u.Username), FirstName: types.StringPointerValue(u.FirstName),
			LastName: types.StringPointerValue(u.LastName), UserType: types.StringPointerValue(u.UserType), OwnerID: types.Int64PointerValue(u.OwnerID),
			Blocked: types.BoolPointerValue(u.Blocked), Hidden: types.BoolPointerValue(u.Hidden), LCRID: types.Int64PointerValue(u.LCRID), TariffID: types.Int64PointerValue(u.TariffID),
			Balance: types.StringPointerValue(u.Balance),
		})
	}
	return state.Set(ctx, &m)
}

type equivalenceRead struct {
	dataSource string
	config     map[string]tftypes.Value
	fails      bool // MOR answers with an error for it
}

// equivalenceReads are the reads of TestProtocolReadMatchesFramework by
// role: every filter set once, and reads MOR refuses.
func equivalenceReads(t *testing.T, data *morsim.Dataset) map[string][]equivalenceRead {
	t.Helper()
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	yes := tftypes.NewValue(tftypes.Bool, true)
	users := map[int64]morsim.User{}
	var user1, reseller morsim.User
	for _, u := range data.Users {
		users[u.ID] = u
		switch u.Username {
		case "user1":
			user1 = u
		case "reseller1":
			reseller = u
		}
	}
	device := data.Devices[0]
	var cli morsim.CLI
	for _, c := range data.CLIs {
		if c.DeviceID != 0 {
			cli = c
			break
		}
	}
	// DIDs for the filters that name a user, device, provider, language
	// and dial plan.
	var byDevice, byDialplan morsim.DID
	for _, d := range data.DIDs {
		if d.UserID != 0 && d.Language != "" && d.DeviceID != 0 && byDevice.ID == 0 {
			byDevice = d
		}
		if d.DialplanID != 0 && byDialplan.ID == 0 {
			byDialplan = d
		}
	}
	var resellerDevice morsim.Device
	for _, d := range data.Devices {
		if reseller.ID != 0 && users[d.UserID].OwnerID == reseller.ID {
			resellerDevice = d
			break
		}
	}
	if byDevice.ID == 0 || byDialplan.ID == 0 || cli.ID == 0 || user1.ID == 0 || resellerDevice.ID == 0 {
		t.Fatal("the dataset lacks a DID with a user, device and language, one with a dial plan, a CLI, user1, or a device of reseller1's users")
	}
	return map[string][]equivalenceRead{
		"admin": {
			{"mor_dids", nil, false},
			{"mor_dids", map[string]tftypes.Value{"status": str("active"), "hide_terminated": yes}, false},
			{"mor_dids", map[string]tftypes.Value{"did_number": str("no such number")}, false},
			{"mor_dids", map[string]tftypes.Value{
				"did_number": str(byDevice.Number), "owner": str(users[byDevice.UserID].Name), "user_id": num(byDevice.UserID),
				"device_id": num(byDevice.DeviceID), "provider_id": num(byDevice.ProviderID), "language": str(byDevice.Language),
			}, false},
			{"mor_dids", map[string]tftypes.Value{"dialplan_id": num(byDialplan.DialplanID)}, false},
			{"mor_devices", map[string]tftypes.Value{"user_id": num(device.UserID)}, false},
			{"mor_devices", map[string]tftypes.Value{"user_id": num(device.UserID), "include_secrets": yes}, false},
			{"mor_devices", map[string]tftypes.Value{"user_id": num(999999)}, true},
			{"mor_device_clis", nil, false},
			{"mor_device_clis", map[string]tftypes.Value{"user_id": num(device.UserID)}, false},
			{"mor_device_clis", map[string]tftypes.Value{"device_id": num(cli.DeviceID)}, false},
			{"mor_device_clis", map[string]tftypes.Value{"device_id": num(999999)}, true},
			{"mor_device", map[string]tftypes.Value{"device_id": num(device.ID)}, false},
			{"mor_device", map[string]tftypes.Value{"device_username": str(device.Fields["username"])}, false},
			{"mor_device", map[string]tftypes.Value{"device_id": num(999999)}, true},
			{"mor_device", map[string]tftypes.Value{"device_username": str("nobody")}, true},
			{"mor_device", map[string]tftypes.Value{"device_id": num(device.ID), "include_secrets": yes}, false},
			{"mor_device", map[string]tftypes.Value{"device_username": str(device.Fields["username"]), "include_secrets": tftypes.NewValue(tftypes.Bool, false)}, false},
			{"mor_users", nil, false},
			{"mor_users", map[string]tftypes.Value{"owner_id": num(0), "usertype": str("user")}, false},
		},
		// A reseller sees its own users' devices and CLIs.
		"reseller1": {
			{"mor_dids", nil, false},
			{"mor_devices", map[string]tftypes.Value{"user_id": num(resellerDevice.UserID), "include_secrets": yes}, false},
			{"mor_device_clis", map[string]tftypes.Value{"user_id": num(resellerDevice.UserID)}, false},
			{"mor_device", map[string]tftypes.Value{"device_id": num(resellerDevice.ID)}, false},
			{"mor_users", nil, false},
		},
		// A simple user reads DIDs only, with nulls where MOR leaves
		// fields out for its role.
		"user1": {
			{"mor_dids", nil, false},
			{"mor_dids", map[string]tftypes.Value{"status": str("active")}, false},
			{"mor_devices", map[string]tftypes.Value{"user_id": num(user1.ID)}, true},
			{"mor_device_clis", nil, true},
			{"mor_device", map[string]tftypes.Value{"device_id": num(device.ID)}, true},
			{"mor_users", nil, true},
		},
	}
}

// markNonNull records the attributes of v (an object) that are known and
// not null, and those of its lists' object elements as list.attribute.
func markNonNull(v tftypes.Value, prefix string, seen map[string]bool) {
	var attrs map[string]tftypes.Value
	if v.IsNull() || !v.IsKnown() || v.As(&attrs) != nil {
		return
	}
	for name, a := range attrs {
		if a.IsNull() || !a.IsKnown() {
			continue
		}
		seen[prefix+name] = true
		if list, ok := a.Type().(tftypes.List); ok {
			if _, ok := list.ElementType.(tftypes.Object); ok {
				var elems []tftypes.Value
				_ = a.As(&elems)
				for _, e := range elems {
					markNonNull(e, prefix+name+".", seen)
				}
			}
		}
	}
}

// allAttributes are the attributes of an object type, with those of its
// lists' object elements as list.attribute.
func allAttributes(typ tftypes.Object, prefix string) map[string]bool {
	out := map[string]bool{}
	for name, t := range typ.AttributeTypes {
		out[prefix+name] = true
		if list, ok := t.(tftypes.List); ok {
			if elem, ok := list.ElementType.(tftypes.Object); ok {
				for n := range allAttributes(elem, prefix+name+".") {
					out[n] = true
				}
			}
		}
	}
	return out
}
