// Package provider maps the MOR API client (internal/mor) onto Terraform
// schemas. It holds no HTTP or XML code: every call goes through mor.Client.
package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// Environment variables the provider reads when the configuration leaves a
// value out.
const (
	envURL        = "MOR_URL"
	envUsername   = "MOR_USERNAME"
	envSecretKey  = "MOR_API_SECRET_KEY" //nolint:gosec // the variable's name, not a credential
	envPassword   = "MOR_PASSWORD"
	envUniqueHash = "MOR_UNIQUEHASH"
)

// retryWait bounds the backoff between retries. The in-process tests shorten
// it; users tune retries with max_retries.
var retryWait = struct{ min, max time.Duration }{time.Second, 30 * time.Second}

var (
	_ provider.Provider                       = (*morProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*morProvider)(nil)
	_ provider.ProviderWithFunctions          = (*morProvider)(nil)
)

type morProvider struct {
	version string
	// client is the configured client, for the protocol server's direct
	// reads (protocol_server.go); data sources get it through Configure.
	client atomic.Pointer[mor.Client]
}

type providerModel struct {
	URL                   types.String  `tfsdk:"url"`
	Username              types.String  `tfsdk:"username"`
	APISecretKey          types.String  `tfsdk:"api_secret_key"`
	Password              types.String  `tfsdk:"password"`
	UniqueHash            types.String  `tfsdk:"uniquehash"`
	HTTPMethod            types.String  `tfsdk:"http_method"`
	RequestTimeout        types.String  `tfsdk:"request_timeout"`
	MaxRetries            types.Int64   `tfsdk:"max_retries"`
	MaxConcurrentRequests types.Int64   `tfsdk:"max_concurrent_requests"`
	MaxRequestsPerSecond  types.Float64 `tfsdk:"max_requests_per_second"`
	CACertFile            types.String  `tfsdk:"ca_cert_file"`
	Insecure              types.Bool    `tfsdk:"insecure"`
	MaxResponseBytes      types.Int64   `tfsdk:"max_response_bytes"`
}

func (p *morProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "mor"
	resp.Version = p.version
}

func (p *morProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads DIDs, devices, caller IDs and users from a Kolmisoft MOR billing system through its hashed XML API. " +
			"The provider is read-only and contacts MOR only when a data source or ephemeral resource is read.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Description: "MOR web root, e.g. `https://mor.example.com/billing`. A URL without a path means `/billing`. " +
					"May also be set with the `" + envURL + "` environment variable.",
				Optional: true,
			},
			"username": schema.StringAttribute{
				Description: "Login name of the MOR API user (the API's `u`). May also be set with `" + envUsername + "`.",
				Optional:    true,
			},
			"api_secret_key": schema.StringAttribute{
				Description: "MOR's API secret key (Settings > API), used to sign every request. Never sent: only hashes made with it are. " +
					"May also be set with `" + envSecretKey + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"password": schema.StringAttribute{
				Description: "Login password of the API user, sent as `p` only when set. `mor_users` needs it (MOR's `users_get` identifies the API user by it); " +
					"the other data sources do not, except on MOR releases before 2013. With `http_method = \"GET\"` it is sent to `users_get` alone, " +
					"to keep it out of the other requests' URLs (so MOR 12 and older need POST). May also be set with `" + envPassword + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"uniquehash": schema.StringAttribute{
				Description: "The API user's unique hash (MOR: the user's details), which `mor_users` sends as `uniquehash` in place of `password` when no password is set. " +
					"May also be set with `" + envUniqueHash + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"http_method": schema.StringAttribute{
				Description: "`POST` (default) sends parameters in the body, keeping request hashes out of web server logs. " +
					"`GET` works only when MOR's \"Allow GET API\" is on.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("POST", "GET")},
			},
			"request_timeout": schema.StringAttribute{
				Description: "Time limit for one HTTP request, answer included, as a Go duration (`30s`, `2m`), counted from when the request has a slot " +
					"(see `max_concurrent_requests`): waiting for one is not part of it. Default `" + mor.DefaultTimeout.String() + "`.",
				Optional:   true,
				Validators: []validator.String{requestTimeoutValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				Description: "How many times a transient failure (connection error, timeout, HTTP 429 or 5xx) of one read is retried, " +
					"with exponential backoff, or after the wait an HTTP 429 or 503 asks for in Retry-After (not retried when that is over 30 seconds, and no request of the run is sent until that wait is over: try again later). MOR's own error answers are never retried, nor failures that would repeat (a TLS version or http/https mismatch, " +
					"a server wanting a TLS client certificate, an HTTP 101 Switching Protocols, a body that does not match its Content-Encoding or whose gzip stream " +
					"ends early, a proxy asking for credentials). Retries also draw on a budget shared by the whole run: " +
					"it starts at " + strconv.Itoa(mor.RetryBudgetTokens) + " tokens, each transient failure takes one, each answer from MOR gives back " + strconv.FormatFloat(mor.RetryBudgetRefill, 'g', -1, 64) +
					", and retries stop while half or less is left; with none left (every recent request failed), requests are not sent but one every 30 seconds, " +
					"and the other reads fail at once. So a MOR that fails everything, or hangs, gets at most " + strconv.Itoa(mor.RetryBudgetTokens) +
					" requests and then one every 30 seconds. From 0 to 10; default " + strconv.Itoa(mor.DefaultMaxRetries) + ".",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 10)},
			},
			"max_concurrent_requests": schema.Int64Attribute{
				Description: "Most requests in progress at MOR at once, and most connections open to it. A request given up on at `request_timeout` " +
					"keeps its slot while MOR may still work on it: until its answer comes (and is dropped), or for one more `request_timeout`, " +
					"when its connection is closed. From 1 to 64; default " + strconv.Itoa(mor.DefaultMaxConcurrentRequests) + ".",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 64)},
			},
			"max_requests_per_second": schema.Float64Attribute{
				Description: "Most HTTP requests sent to MOR per second, retries included, for the whole run (no burst: requests are spaced at least " +
					"1/rate seconds apart). At least 0.01. Default: no limit.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0.01)},
			},
			"max_response_bytes": schema.Int64Attribute{
				Description: "Largest answer accepted, in bytes after decompression; larger answers fail the read instead of filling memory. " +
					"At least 1024; default 268435456 (256 MiB, room for about 650,000 DIDs). While it reads a list, the provider holds about 4 times the answer's size: " +
					"size this cap to the memory the machine running Terraform can spare; the default allows about 800 MB, and 41943040 (40 MiB) about 100,000 DIDs and 150 MB.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1024)},
			},
			"ca_cert_file": schema.StringAttribute{
				Description: "Path of a PEM file with CA certificates to trust, in addition to the system's, for MOR's HTTPS certificate.",
				Optional:    true,
			},
			"insecure": schema.BoolAttribute{
				Description: "Skip verification of MOR's TLS certificate. Default false. Only for testing: anyone in the path could read the answers.",
				Optional:    true,
			},
		},
	}
}

func (p *morProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.client.Store(nil) // a failed configuration leaves none, as the framework forgets its provider data
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Unknown values (from resources not yet created) cannot configure a
	// client; say so on the attribute at fault.
	for _, a := range []struct {
		value     interface{ IsUnknown() bool }
		attr, env string
	}{
		{cfg.URL, "url", envURL}, {cfg.Username, "username", envUsername}, {cfg.APISecretKey, "api_secret_key", envSecretKey},
		{cfg.Password, "password", envPassword}, {cfg.UniqueHash, "uniquehash", envUniqueHash}, {cfg.HTTPMethod, "http_method", ""}, {cfg.RequestTimeout, "request_timeout", ""},
		{cfg.MaxRetries, "max_retries", ""}, {cfg.MaxConcurrentRequests, "max_concurrent_requests", ""}, {cfg.MaxRequestsPerSecond, "max_requests_per_second", ""},
		{cfg.CACertFile, "ca_cert_file", ""}, {cfg.Insecure, "insecure", ""}, {cfg.MaxResponseBytes, "max_response_bytes", ""},
	} {
		if a.value.IsUnknown() {
			fix := "Set it to a value known at plan time."
			if a.env != "" {
				fix = "Set it to a value known at plan time, or leave it out and set the " + a.env + " environment variable."
			}
			resp.Diagnostics.AddAttributeError(path.Root(a.attr), "Unknown MOR Provider Setting",
				"The value of "+a.attr+" is not known until apply, but the provider must be configured before any data source is read. "+fix)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// An empty string set in the block is not "left out": it would hide the
	// environment variable, so it is refused, naming both.
	for _, a := range []struct {
		value     types.String
		attr, env string
		optional  bool
	}{
		{cfg.URL, "url", envURL, false}, {cfg.Username, "username", envUsername, false}, {cfg.APISecretKey, "api_secret_key", envSecretKey, false},
		{cfg.Password, "password", envPassword, true}, {cfg.UniqueHash, "uniquehash", envUniqueHash, true},
	} {
		if d, bad := emptySetting(a.value, a.attr, a.env, a.optional); bad {
			resp.Diagnostics.Append(d)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// Configuration wins over the environment.
	rawURL := stringOrEnv(cfg.URL, envURL)
	username := stringOrEnv(cfg.Username, envUsername)
	key := stringOrEnv(cfg.APISecretKey, envSecretKey)
	password := stringOrEnv(cfg.Password, envPassword)
	uniqueHash := stringOrEnv(cfg.UniqueHash, envUniqueHash)
	for _, m := range []struct{ value, attr, env, what string }{
		{rawURL, "url", envURL, "the MOR web root, e.g. https://mor.example.com/billing"},
		{username, "username", envUsername, "the login name of the MOR API user"},
		{key, "api_secret_key", envSecretKey, "MOR's API secret key (MOR: Settings > API)"},
	} {
		if m.value == "" {
			resp.Diagnostics.AddAttributeError(path.Root(m.attr), "Missing MOR Provider Setting",
				"The provider needs "+m.attr+": "+m.what+". Set "+m.attr+" in the provider block or the "+m.env+" environment variable.")
		}
	}
	baseURL, err := mor.NormalizeBaseURL(rawURL)
	if rawURL != "" && err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Invalid MOR URL",
			err.Error()+". Set url (or "+envURL+") to MOR's web root, e.g. https://mor.example.com/billing.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// Settings left out stay zero: the client applies its defaults.
	mcfg := mor.Config{
		BaseURL:               baseURL,
		Username:              username,
		SecretKey:             key,
		Password:              password,
		UniqueHash:            uniqueHash,
		HTTPMethod:            cfg.HTTPMethod.ValueString(),
		MaxConcurrentRequests: int(cfg.MaxConcurrentRequests.ValueInt64()),
		MaxRequestsPerSecond:  cfg.MaxRequestsPerSecond.ValueFloat64(),
		MaxResponseBytes:      cfg.MaxResponseBytes.ValueInt64(),
		RetryWaitMin:          retryWait.min,
		RetryWaitMax:          retryWait.max,
		CACertFile:            cfg.CACertFile.ValueString(),
		Insecure:              cfg.Insecure.ValueBool(),
		UserAgent:             "terraform-provider-mor/" + p.version + " (+https://registry.terraform.io/providers/mor-terraform/mor)",
		Log:                   apiLogger(key, password, uniqueHash),
	}
	if !cfg.RequestTimeout.IsNull() {
		// Checked again: a value unknown at validation is first seen here.
		d, invalid := parseRequestTimeout(cfg.RequestTimeout.ValueString())
		if invalid != nil {
			resp.Diagnostics.Append(invalid)
			return
		}
		mcfg.Timeout = d
	}
	if !cfg.MaxRetries.IsNull() {
		n := int(cfg.MaxRetries.ValueInt64())
		mcfg.MaxRetries = &n
	}

	resp.Diagnostics.Append(securityWarnings(mcfg)...)

	client, err := mor.New(mcfg)
	var cfgErr *mor.ConfigError
	if errors.As(err, &cfgErr) {
		if attr, ok := settingAttribute(cfgErr.Setting); ok {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid MOR Provider Setting", err.Error()+". Check "+attr+".")
			return
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Configure the MOR Client", err.Error()+". Check the provider settings.")
		return
	}
	tflog.Debug(ctx, "MOR client configured", map[string]any{"url": baseURL, "username": username})
	p.client.Store(client)
	resp.DataSourceData = client
	resp.EphemeralResourceData = client
}

func (p *morProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newDevicesDataSource,
		newDeviceDataSource,
		newDIDsDataSource,
		newDeviceCLIsDataSource,
		newUsersDataSource,
	}
}

func (p *morProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newDeviceCredentialsEphemeralResource,
	}
}

func (p *morProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

// settingAttribute is the attribute that sets a client setting.
func settingAttribute(s mor.Setting) (string, bool) {
	switch s {
	case mor.SettingBaseURL:
		return "url", true
	case mor.SettingUsername:
		return "username", true
	case mor.SettingSecretKey:
		return "api_secret_key", true
	case mor.SettingHTTPMethod:
		return "http_method", true
	case mor.SettingMaxRetries:
		return "max_retries", true
	case mor.SettingCACertFile:
		return "ca_cert_file", true
	case mor.SettingMaxRequestsPerSecond:
		return "max_requests_per_second", true
	}
	return "", false
}

// clientFrom takes the *mor.Client the provider built from a Configure
// request's provider data, of a data source or an ephemeral resource.
func clientFrom(providerData any, diags *diag.Diagnostics) *mor.Client {
	if providerData == nil {
		return nil // the provider is not configured yet (validation)
	}
	client, ok := providerData.(*mor.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *mor.Client, got %T. This is a bug in the provider; please report it.", providerData))
	}
	return client
}
