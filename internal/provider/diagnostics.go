package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// hints say what to do about each MOR message, by MOR's own words.
var hints = map[string]string{ //nolint:gosec // advice text naming settings, not credentials
	"Incorrect hash":            "Check api_secret_key / MOR_API_SECRET_KEY and that it is the key of the API user (MOR: Settings > API > API Secret Key).",
	"Bad login":                 "Check username / MOR_USERNAME: MOR knows no user of that name.",
	"API Requests are disabled": "An admin must switch the API on in MOR (Settings > API > Allow API).",
	"GET Requests are disabled": "Use http_method = \"POST\" (the default), or switch \"Allow GET API\" on in MOR. " +
		"If http_method is already POST, something in front of MOR turned the POST into a GET.",
	"API must have Secret Key": "Set an API secret key in MOR (Settings > API) and use the same value as api_secret_key.",
	"There is no such API":     "This MOR release does not offer the API method; the data source needs a newer MOR.",
	"user_id is empty":         "Set user_id.",
}

// methodHints say what to do about a message whose meaning depends on the
// method; they take precedence over hints.
var methodHints = map[string]map[string]string{
	"devices_get":     {"Access Denied": resellerUserHint("devices")},
	"device_list":     {"Access Denied": resellerUserHint("devices")},
	"device_clis_get": {"Access Denied": resellerUserHint("CLIs")},
}

// repeatedRefusalNote ends the detail of a read that failed with a refusal
// MOR gave an earlier request, without asking MOR.
const repeatedRefusalNote = ": MOR gave this answer to an earlier request of this run, and no later request can get past it, so the provider did not ask again"

// addAPIError reports MOR's own error message, quoted, and what to do. A
// refusal MOR gave an earlier request, which no later one can get past,
// says that MOR was not asked again.
func addAPIError(diags *diag.Diagnostics, what string, apiErr *mor.APIError, hint string) {
	repeated := ""
	if apiErr.Repeated {
		repeated = repeatedRefusalNote
	}
	addError(diags, "MOR Rejected the Request",
		fmt.Sprintf("MOR answered: %s. %s\n\n(while reading %s with %s%s)", apiErr.Message, hint, what, apiErr.Method, repeated))
}

// resellerUserHint explains MOR's Access Denied for a user outside the API
// user's scope, which the admin meets on a reseller's users.
func resellerUserHint(what string) string {
	return "MOR lets only the user's owner list its " + what + ": the admin (or an accountant with the permission) for the admin's users, " +
		"the reseller for its own. If the user belongs to a reseller, only that reseller's API user (or the user) may list them, not the admin: " +
		"configure a provider alias with the reseller's username and API key (provider \"mor\" { alias = \"reseller\" ... }) and read the user through it " +
		"(provider = mor.reseller); mor_users shows each user's owner_id."
}

// addDeviceReadError reports a failed device_details_get the same way for
// mor_device and mor_device_credentials: a device MOR does not find is an
// error on the attribute that named it, anything else as addClientError says.
func addDeviceReadError(ctx context.Context, diags *diag.Diagnostics, client *mor.Client, query mor.DeviceQuery, err error) {
	if !errors.Is(err, mor.ErrNotFound) {
		addClientError(ctx, diags, "the MOR Device", err)
		return
	}
	attr, sought := path.Root("device_username"), fmt.Sprintf("device_username %q", query.Username)
	if query.ID != nil {
		attr, sought = path.Root("device_id"), fmt.Sprintf("device_id %d", *query.ID)
	}
	detail := fmt.Sprintf("MOR answered: %s. No device with %s is in the API user's scope: it does not exist, or belongs to a user "+
		"the API user may not see. Check the value, and that the API user %q (the provider's username, or MOR_USERNAME) is the admin, "+
		"an accountant with device rights, or the reseller owning the device's user.", mor.ErrorMessage(err), sought, client.Username())
	if query.ID == nil {
		detail += " If the value is the name in a DID's or CLI's device (SIP/name), it is MOR's device name, which is not the username " +
			"of a device that authenticates by IP address (ipauth…): find that device by name among its owner's devices."
	}
	addAttributeError(diags, attr, "MOR Device Not Found", detail)
}

// addClientError turns a client error into a diagnostic that says what
// happened, quotes MOR verbatim, and says what to do. what names the read,
// e.g. "MOR DIDs".
func addClientError(ctx context.Context, diags *diag.Diagnostics, what string, err error) {
	var apiErr *mor.APIError
	var respErr *mor.ResponseError
	var transErr *mor.TransportError
	var redirErr *mor.RedirectError
	switch {
	case errors.Is(err, context.Canceled) || (errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil):
		addError(diags, "Read of "+what+" Cancelled", "Terraform stopped the read before MOR answered ("+err.Error()+").")
	case errors.As(err, &apiErr):
		hint := methodHints[apiErr.Method][apiErr.Known]
		if hint == "" {
			hint = hints[apiErr.Known]
		}
		if hint == "" {
			switch {
			case errors.Is(err, mor.ErrAuthentication):
				hint = "Check username / MOR_USERNAME: MOR does not accept this API user."
			case errors.Is(err, mor.ErrPermission):
				hint = "The API user may not read this. Use an admin API user, or give the accountant or reseller the permission in MOR."
			case errors.Is(err, mor.ErrNotFound):
				hint = "Check the ids in the configuration: MOR does not tell a missing record from one outside the API user's scope."
			default:
				hint = "See MOR's message above."
			}
		}
		addAPIError(diags, what, apiErr, hint)
	case errors.As(err, &redirErr):
		addError(diags, "MOR URL Redirected", fmt.Sprintf("Reading %s failed: %v. The provider never follows redirects: "+
			"a redirected POST loses its signed form, or is sent, hash included, to another address.\n\n%s", what, err, redirectAdvice(redirErr)))
	case errors.As(err, &transErr):
		check := "Check url / MOR_URL and that MOR is reachable from where Terraform runs"
		if transErr.Proxy != "" {
			check = fmt.Sprintf("Check url / MOR_URL, and the proxy in %s (or leave MOR's host out of it with NO_PROXY)", transErr.ProxyVariable)
		}
		advice := "; raise request_timeout or max_retries if MOR is slow."
		switch {
		case transErr.Unanswered:
			advice = "."
		case errors.Is(err, mor.ErrAskedToWait):
			advice = ": the read that met that answer says what it was. Run the plan again later."
		case errors.Is(err, mor.ErrTurnAfterDeadline):
			check, advice = "Raise max_requests_per_second", ", or give the read more time: nothing was sent to MOR."
		case errors.Is(err, mor.ErrNotSent):
			advice = ": the reads that failed before this one say what MOR answered. Run the plan again once MOR answers."
		case transErr.Permanent:
			advice = ": this fails the same way every time, so it was not retried."
		}
		addError(diags, "Unable to Reach MOR", fmt.Sprintf("Reading %s failed: %v.\n\n%s%s", what, err, check, advice))
	case errors.As(err, &respErr):
		hint := "Check that url / MOR_URL is MOR's web root (e.g. https://mor.example.com/billing): a proxy, a login or maintenance page may answer in MOR's place."
		switch {
		case errors.Is(err, mor.ErrValueTooLong):
			hint = "No MOR record holds a value that long, so raising max_response_bytes would not help: something other than MOR may answer in its place, or this MOR release is broken. " +
				"Check that url / MOR_URL is MOR's web root."
		case errors.Is(err, mor.ErrTooLarge):
			hint = "Narrow the read with filters, or raise max_response_bytes if MOR really holds that much."
		case errors.Is(err, mor.ErrUnexpectedAnswer):
			hint = "The provider uses an answer only when it has the shape of MOR's answer to the request, so as never to show a wrong or empty result. " +
				"Check that url / MOR_URL is MOR's web root and that nothing in front of MOR rewrites its answers; if this is MOR's own answer, please report it with your MOR release."
		}
		addError(diags, "Unusable Answer from MOR", fmt.Sprintf("Reading %s failed: %v.\n\n%s", what, err, hint))
	default:
		addError(diags, "Unable to Read "+what, err.Error())
	}
}

// addError adds an error whose detail may quote what came from the network:
// invisible characters other than line breaks are dropped, a second defence
// behind the client's own cleaning.
func addError(diags *diag.Diagnostics, summary, detail string) {
	diags.AddError(summary, withoutInvisible(detail))
}

// addAttributeError is addError for an error on an attribute.
func addAttributeError(diags *diag.Diagnostics, attr path.Path, summary, detail string) {
	diags.AddAttributeError(attr, summary, withoutInvisible(detail))
}

func withoutInvisible(detail string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && mor.IsInvisible(r) {
			return -1
		}
		return r
	}, detail)
}

// redirectAdvice says what to set url to, by where the redirect leads.
func redirectAdvice(e *mor.RedirectError) string {
	switch {
	case e.Target == mor.RedirectToHTTPS:
		return fmt.Sprintf("The server redirects http to https: set url / MOR_URL to %q.", e.SuggestedBaseURL)
	case e.Target == mor.RedirectOtherHost && e.SuggestedBaseURL != "":
		return fmt.Sprintf("The redirect leads to another host: check url / MOR_URL. If that host is your MOR server, set url / MOR_URL to %q.", e.SuggestedBaseURL)
	case e.Target == mor.RedirectOtherHost:
		return "The redirect leads to another host, and away from MOR's API: check url / MOR_URL."
	case e.SuggestedBaseURL != "":
		return fmt.Sprintf("Set url / MOR_URL to MOR's real web root, which the redirect suggests is %q.", e.SuggestedBaseURL)
	default:
		return "Set url / MOR_URL to MOR's real web root (e.g. https://mor.example.com/billing): the redirect leads away from MOR's API, to a login page perhaps."
	}
}
