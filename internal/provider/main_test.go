package provider

import (
	"net"
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// In-process providers retry after milliseconds, not seconds.
	retryWait.min, retryWait.max = 5*time.Millisecond, 20*time.Millisecond
	// Go's own resolver rejects malformed host names before sending any
	// query, so the DNS-failure tests send nothing over the network.
	net.DefaultResolver.PreferGo = true
	// terraform-plugin-testing serves the provider as
	// registry.terraform.io/hashicorp/mor unless told another host, while
	// OpenTofu resolves the configurations' "mor" on its own registry.
	if cli, err := loadCLIUnderTest(); err == nil && cli.tofu && os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
	code := m.Run()
	if builtProvider.dir != "" {
		_ = os.RemoveAll(builtProvider.dir)
	}
	os.Exit(code)
}
