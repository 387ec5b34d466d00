package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

const terraformParallelism = 10 // Terraform's default -parallelism

// harness is what every table shares: where things are and the Terraform to run.
type harness struct {
	bin       string // the repository's bin/, where the work directories go
	terraform string
	self      string // this executable, which is also the provider wrapper
}

// workspace is a Terraform working directory whose providers are wrapped to
// measure them.
type workspace struct {
	h     *harness
	dir   string
	usage string
	env   []string
}

// tfRun is one measured Terraform command.
type tfRun struct {
	wall         time.Duration
	terraformCPU time.Duration // Terraform's own: its rusage less its providers' and their wrappers'
	provider     providerUsage
}

// newWorkspace writes config as main.tf in bin/bench/name and a CLI
// configuration whose dev_overrides point each provider source at a wrapper
// of the given binary; env is added to the environment of every command.
func (h *harness) newWorkspace(name, config string, providers map[string]string, env ...string) (*workspace, error) {
	dir := filepath.Join(h.bin, "bench", name)
	plugins := filepath.Join(dir, ".plugins")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return nil, err
	}
	w := &workspace{h: h, dir: dir, usage: filepath.Join(dir, ".usage")}
	var overrides []string
	for source, binary := range providers {
		typ := source[strings.LastIndex(source, "/")+1:]
		script := fmt.Sprintf("#!/bin/sh\nexec %q -wrap-provider %q %q \"$@\"\n", h.self, binary, w.usage)
		if err := os.WriteFile(filepath.Join(plugins, "terraform-provider-"+typ), []byte(script), 0o755); err != nil {
			return nil, err
		}
		overrides = append(overrides, fmt.Sprintf("    %q = %q\n", source, plugins))
	}
	sort.Strings(overrides)
	rc := filepath.Join(dir, ".terraformrc")
	cli := "provider_installation {\n  dev_overrides {\n" + strings.Join(overrides, "") + "  }\n  direct {}\n}\n"
	if err := os.WriteFile(rc, []byte(cli), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	w.env = append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"), env...)
	return w, nil
}

// run runs one Terraform command in the workspace and measures it. Terraform
// waits for its provider processes, so its rusage includes theirs: Terraform's
// own CPU is what is left after taking out what the wrappers recorded.
func (w *workspace) run(args ...string) (tfRun, error) {
	if err := os.Remove(w.usage); err != nil && !os.IsNotExist(err) {
		return tfRun{}, err
	}
	cmd := exec.Command(w.h.terraform, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := tfRun{wall: time.Since(start)}
	if err != nil {
		return r, fmt.Errorf("terraform %s in %s: %w\n%s", args[0], w.dir, err, lastLines(out, 30))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return r, fmt.Errorf("no rusage for terraform %s", args[0])
	}
	if _, err := os.Stat(w.usage); os.IsNotExist(err) {
		r.terraformCPU = cpuOf(ru) // a configuration without wrapped providers
		return r, nil
	}
	if r.provider, err = readUsage(w.usage); err != nil {
		return r, err
	}
	r.terraformCPU = cpuOf(ru) - r.provider.cpu - r.provider.wrappers
	if r.terraformCPU < 0 {
		return r, fmt.Errorf("terraform %s: its rusage (%s) is less than its providers' (%s): a provider was not waited for", args[0], cpuOf(ru), r.provider.cpu)
	}
	return r, nil
}

func (w *workspace) plan() (tfRun, error) {
	return w.run("plan", "-input=false", "-lock=false", "-no-color", fmt.Sprintf("-parallelism=%d", terraformParallelism))
}

// apply applies from an empty state, so every round does the same work.
func (w *workspace) apply() (tfRun, error) {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(w.dir, f)); err != nil && !os.IsNotExist(err) {
			return tfRun{}, err
		}
	}
	return w.run("apply", "-auto-approve", "-input=false", "-lock=false", "-no-color", fmt.Sprintf("-parallelism=%d", terraformParallelism))
}

// morRequirement is the terraform block of configurations using the provider.
const morRequirement = `terraform {
  required_providers {
    mor = { source = "mor-terraform/mor" }
  }
}
`

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
