package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildBaseline builds the provider as it was at a git revision, in a
// temporary worktree under bin/, for old-against-new figures from one run.
// The binary is kept under bin/baseline/ by commit, so later runs reuse it.
func buildBaseline(root, bin, rev string) (providerBuild, error) {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--verify", rev+"^{commit}").Output()
	if err != nil {
		return providerBuild{}, fmt.Errorf("baseline %q is not a commit of this repository: %w", rev, err)
	}
	commit := strings.TrimSpace(string(out))
	build := providerBuild{label: "baseline " + commit[:7], path: filepath.Join(bin, "baseline", "terraform-provider-mor-"+commit)}
	if _, err := os.Stat(build.path); err == nil {
		return build, nil
	}
	src := filepath.Join(bin, "baseline", "src-"+commit)
	_ = exec.Command("git", "-C", root, "worktree", "remove", "--force", src).Run() // a leftover of an interrupted run
	if out, err := exec.Command("git", "-C", root, "worktree", "add", "--detach", src, commit).CombinedOutput(); err != nil {
		return build, fmt.Errorf("git worktree add %s: %w\n%s", src, err, out)
	}
	defer func() { _ = exec.Command("git", "-C", root, "worktree", "remove", "--force", src).Run() }()
	cmd := exec.Command("go", "build", "-trimpath", "-o", build.path, ".")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return build, fmt.Errorf("building the baseline provider at %s: %w\n%s", commit[:7], err, out)
	}
	return build, nil
}
