package main

import (
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/mor-terraform/terraform-provider-mor/internal/provider"
)

// version is set at build time by goreleaser (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else if logsUnread(os.Environ()) {
		// Terraform and OpenTofu show a provider's log lines only when
		// TF_LOG or TF_LOG_PROVIDER asks for them; otherwise they read
		// each line and drop it. The plugin SDK still formats every
		// trace line (the plugin's level is go-plugin's TRACE), a large
		// share of a lookup's work (DESIGN.md). When no logging variable is
		// set at all, nobody reads them, so they are not written: the
		// SDK's (TF_LOG_SDK) and the provider's own, whose level the SDK
		// takes from TF_LOG_PROVIDER_MOR (after the provider's name).
		_ = os.Setenv("TF_LOG_SDK", "off")
		_ = os.Setenv("TF_LOG_PROVIDER_MOR", "off")
	}
	err := tf6server.Serve("registry.terraform.io/mor-terraform/mor", provider.NewProtocolServer(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

// logsUnread tells whether the environment sets no logging variable of
// Terraform (TF_LOG…) or OpenTofu (TF_LOG…, TOFU_LOG…).
func logsUnread(environ []string) bool {
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if value != "" && (strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TOFU_LOG")) {
			return false
		}
	}
	return true
}
