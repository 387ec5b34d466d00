package provider

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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

// builtProvider is this repository's provider binary, built once per test
// run for the tests that drive the terraform CLI themselves.
var builtProvider struct {
	once sync.Once
	dir  string
	err  error
}

func providerBinaryDir(t *testing.T) string {
	t.Helper()
	builtProvider.once.Do(func() {
		builtProvider.dir, builtProvider.err = os.MkdirTemp("", "mor-provider-")
		if builtProvider.err != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(builtProvider.dir, "terraform-provider-mor"), "../..").CombinedOutput()
		if err != nil {
			builtProvider.err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if builtProvider.err != nil {
		t.Fatal(builtProvider.err)
	}
	return builtProvider.dir
}

// cliRunner runs the terraform CLI in a scratch folder holding one
// configuration, with the built provider installed through dev_overrides
// (as `make demo` does). For what terraform-plugin-testing cannot do:
// for_each configurations, signals, and reading Terraform's own logs.
type cliRunner struct {
	t         *testing.T
	terraform string
	dir       string
	env       []string
}

func newCLIRunner(t *testing.T, config string, env ...string) *cliRunner {
	t.Helper()
	terraform := cliUnderTest(t).path
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, ".terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"mor-terraform/mor\" = %q\n  }\n  direct {}\n}\n", providerBinaryDir(t))
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"TF_CLI_CONFIG_FILE=" + rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	var inherited []string
	for _, kv := range os.Environ() {
		// The test decides logging and MOR settings itself.
		if !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "MOR_") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			inherited = append(inherited, kv)
		}
	}
	return &cliRunner{t: t, terraform: terraform, dir: dir, env: append(append(inherited, base...), env...)}
}

// command returns a terraform command in the runner's folder.
func (r *cliRunner) command(args ...string) *exec.Cmd {
	cmd := exec.Command(r.terraform, append([]string{"-chdir=" + r.dir}, args...)...)
	cmd.Env = r.env
	return cmd
}

// run runs terraform and returns its combined output.
func (r *cliRunner) run(args ...string) (string, error) {
	out, err := r.command(args...).CombinedOutput()
	return string(out), err
}

// mustRun runs terraform and fails the test when it fails.
func (r *cliRunner) mustRun(args ...string) string {
	r.t.Helper()
	out, err := r.run(args...)
	if err != nil {
		r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}
