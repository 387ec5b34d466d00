package main

import (
	"flag"
	"fmt"
	"io"
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
	// The standard library writes to the standard logger on its own, and
	// what it writes can quote MOR's answer: net/http logs the bytes a
	// server sends after its Content-Length ("Unsolicited response received
	// on idle HTTP channel"), device passwords included. Terraform copies a
	// provider's stderr into its log, so that logger writes nowhere; the
	// provider logs through tflog alone. Neither go-plugin nor tf6server
	// sets the logger's output, so this holds while serving.
	log.SetOutput(io.Discard)
	err := tf6server.Serve("registry.terraform.io/mor-terraform/mor", provider.NewProtocolServer(version), opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
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
