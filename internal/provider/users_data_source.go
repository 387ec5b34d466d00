package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var (
	_ datasource.DataSourceWithConfigure = (*usersDataSource)(nil)
	_ stateReader                        = (*usersDataSource)(nil)
)

func newUsersDataSource() datasource.DataSource { return &usersDataSource{} }

type usersDataSource struct {
	client *mor.Client
}

// userTypes are the values of usertype MOR knows.
var userTypes = []string{"admin", "accountant", "reseller", "partner", "user"}

// userFields are the attributes of each element of users. balance is a
// string: MOR sends a decimal (12.5000) that a number would round and
// reformat; tonumber() turns it into one where needed.
var userFields = newListOf(
	int64Field("id", "User id.", func(u *mor.User) *int64 { return &u.ID }),
	stringField("username", "Login name.", func(u *mor.User) *string { return u.Username }),
	stringField("first_name", "First name.", func(u *mor.User) *string { return u.FirstName }),
	stringField("last_name", "Last name.", func(u *mor.User) *string { return u.LastName }),
	stringField("usertype", "`admin`, `accountant`, `reseller`, `partner` or `user`.", func(u *mor.User) *string { return u.UserType }),
	int64Field("owner_id", "Id of the owner: `0` for the admin, else the reseller (or, for a reseller, the partner) the user belongs to.", func(u *mor.User) *int64 { return u.OwnerID }),
	boolField("blocked", "Whether the user is blocked.", func(u *mor.User) *bool { return u.Blocked }),
	boolField("hidden", "Whether the user is hidden in MOR's user lists; null from MOR releases before late 2025, which do not send it.", func(u *mor.User) *bool { return u.Hidden }),
	int64Field("lcr_id", "Id of the user's LCR.", func(u *mor.User) *int64 { return u.LCRID }),
	int64Field("tariff_id", "Id of the user's tariff.", func(u *mor.User) *int64 { return u.TariffID }),
	stringField("balance", "Balance as MOR sends it, a decimal string such as `12.5000` (`tonumber()` makes it a number).", func(u *mor.User) *string { return u.Balance }),
)

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the MOR users the API user may see, with MOR's `users_get` (MOR X8 and later): the admin sees every user but itself, " +
			"an accountant every user but accountants, a reseller its own users, a partner its resellers and their users; a simple user may not list users. " +
			"`users_get` identifies the API user by its login password: the provider's `password` (or `MOR_PASSWORD`) must be set, " +
			"or else its `uniquehash` (`MOR_UNIQUEHASH`), or the read fails before anything is sent. The filters are applied by the provider to MOR's answer: MOR's `users_get` has none.",
		Attributes: map[string]schema.Attribute{
			"owner_id": schema.Int64Attribute{
				Description: "Only users with this owner: `0` for the admin's own users, a reseller's id for that reseller's users. Applied by the provider; a user MOR sends without an `owner_id` fails the read.",
				Optional:    true,
				Validators:  atLeastZero,
			},
			"usertype": schema.StringAttribute{
				Description: "Only users of this type: `admin`, `accountant`, `reseller`, `partner` or `user`, in any ASCII letter case. Applied by the provider, which compares MOR's types in any ASCII letter case too; a user MOR sends without a `usertype`, or with a type none of these five, fails the read.",
				Optional:    true,
				Validators:  oneOfInASCIICase(userTypes...),
			},
			"users": userFields.attribute("The users, blocked ones included, sorted by `id`; empty when MOR finds none (its \"No Users found\"). " +
				"Fields MOR does not send are null."),
		},
	}
}

func (d *usersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readThroughFramework(ctx, d, d.client, req, resp)
}

func (d *usersDataSource) readState(ctx context.Context, client *mor.Client, config configAttributes) (map[string]computedValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	users, err := client.Users(ctx)
	if errors.Is(err, mor.ErrPasswordRequired) {
		diags.AddError("MOR Password Required", "mor_users reads MOR's users_get, which identifies the API user by its login password, "+
			"and no password is configured. Set password in the provider block or the MOR_PASSWORD environment variable "+
			"(the API user's MOR login password; it is sent as p, and kept out of logs and state), or the user's unique hash as uniquehash / MOR_UNIQUEHASH.")
		return nil, diags
	}
	var apiErr *mor.APIError
	if errors.As(err, &apiErr) && apiErr.Known == "Access Denied" {
		addAPIError(&diags, "MOR Users", apiErr, usersAccessDenied(client))
		return nil, diags
	}
	if err != nil {
		addClientError(ctx, &diags, "MOR Users", err)
		return nil, diags
	}
	list, problem := userList(users, config.Int64("owner_id"), config.String("usertype"))
	if problem != "" {
		diags.AddError("Unable to Filter MOR Users", problem)
		return nil, diags
	}
	return map[string]computedValue{"users": list}, diags
}

// usersAccessDenied is the hint for users_get's Access Denied, which names
// the credential that identified the API user.
func usersAccessDenied(client *mor.Client) string {
	setting, identifiedBy := "password / MOR_PASSWORD", "login password"
	if client.UsersByUniqueHash() {
		setting, identifiedBy = "uniquehash / MOR_UNIQUEHASH", "unique hash"
	}
	return "Check username / MOR_USERNAME and " + setting + ": users_get identifies the API user by username and " + identifiedBy + ", " +
		"and MOR gives this answer to an unknown user, a wrong " + identifiedBy + ", and a simple user (who may not list users)."
}

// userList maps users_get entries that pass the filters, sorted by id. A
// user without the field a filter is on, or of a type MOR does not have,
// cannot be judged, and leaving it out would make the list narrower than
// MOR's answer may mean: that is an error, whose detail problem is. Types
// are compared in any letter case.
func userList(users []mor.User, ownerID *int64, userType string) (list computedValue, problem string) {
	kept := make([]*mor.User, 0, len(users))
	for _, u := range pointersTo(users) {
		if ownerID != nil {
			if u.OwnerID == nil {
				return nil, unjudgedUser(u.ID, "owner_id")
			}
			if *u.OwnerID != *ownerID {
				continue
			}
		}
		if userType != "" {
			if u.UserType == nil {
				return nil, unjudgedUser(u.ID, "usertype")
			}
			if !slices.ContainsFunc(userTypes, func(known string) bool { return mor.EqualFoldASCII(known, *u.UserType) }) {
				return nil, fmt.Sprintf("MOR's users_get answer gives user %d a usertype that is none of %s, so the usertype filter cannot tell "+
					"whether that user belongs in the list. Read mor_users without usertype to list every user, or check that user in MOR.", u.ID, strings.Join(userTypes, ", "))
			}
			if !mor.EqualFoldASCII(*u.UserType, userType) {
				continue
			}
		}
		kept = append(kept, u)
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].ID < kept[j].ID })
	return userFields.of(kept), ""
}

// unjudgedUser says that MOR sent a user without the field a filter is on.
func unjudgedUser(id int64, field string) string {
	return fmt.Sprintf("MOR's users_get answer gives user %d no %s (or an empty one), so the %s filter cannot tell whether that user belongs in the list. "+
		"Read mor_users without %s to list every user (%s null where MOR sends none), or check that user in MOR.", id, field, field, field, field)
}
