package provider

import (
	"net"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// securityWarnings are the configuration's risks worth a warning: each is
// said once, when the provider is configured.
func securityWarnings(cfg mor.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	if cfg.HTTPMethod == "GET" {
		detail := "With http_method = \"GET\" every request hash is part of the URL, so web server and proxy access logs keep it. " +
			"For dids_get and device_clis_get the hash depends on the API key alone and is as good as the key."
		switch {
		case cfg.Password != "":
			detail += " mor_users' URL also holds the login password (password / MOR_PASSWORD)."
		case cfg.UniqueHash != "":
			detail += " mor_users' URL also holds the unique hash (uniquehash / MOR_UNIQUEHASH), which stands in for the password."
		}
		diags.AddAttributeWarning(path.Root("http_method"), "MOR Request Hashes Sent in URLs", detail+" Prefer POST (the default).")
	}
	if cfg.Insecure {
		diags.AddAttributeWarning(path.Root("insecure"), "MOR TLS Certificate Not Verified",
			"insecure = true skips verification of MOR's certificate: anyone in the network path could read the answers, device SIP secrets included. "+
				"Use ca_cert_file to trust a private CA instead.")
	}
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		diags.AddAttributeWarning(path.Root("url"), "MOR API Used Without TLS",
			"The MOR URL uses http:// to "+u.Hostname()+": request hashes (as good as the API key for some methods) and device SIP secrets travel in clear. "+
				"Use https:// if MOR offers it.")
	}
	return diags
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
