// Command morbench is `make bench`: the decode benchmarks and an end-to-end
// `terraform plan` benchmark, measured in one run and printed as one table.
// It exits non-zero when a target of issue 5 is missed.
//
// Plan benchmark: 1,000 mor_device lookups (for_each over a mor_devices list)
// plus mor_dids and mor_device_clis, against the simulator with 0 ms and
// 20 ms latency, next to a floor of the same shape made of terraform_data.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const terraformParallelism = 10 // Terraform's default -parallelism

var benchLatencies = []time.Duration{0, 20 * time.Millisecond}

func main() {
	// Wrapper mode: Terraform starts this in the provider's place; it runs
	// the real provider and records its CPU time and peak memory.
	if len(os.Args) > 3 && os.Args[1] == "-wrap-provider" {
		os.Exit(wrapProvider(os.Args[2], os.Args[3], os.Args[4:]))
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "morbench:", err)
		os.Exit(1)
	}
}

func run() error {
	root := flag.String("root", ".", "repository root")
	lookups := flag.Int("lookups", 1000, "mor_device lookups in the plan benchmark")
	rounds := flag.Int("rounds", 3, "plans per scenario; the median is reported")
	benchtime := flag.String("benchtime", "5x", "-benchtime of the decode benchmarks")
	flag.Parse()

	rootDir, err := filepath.Abs(*root)
	if err != nil {
		return err
	}
	bin := filepath.Join(rootDir, "bin")
	provider := filepath.Join(bin, "terraform-provider-mor")
	if _, err := os.Stat(provider); err != nil {
		return fmt.Errorf("%s: run `make bench`, which builds the provider first", provider)
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		if terraform, err = exec.LookPath("terraform"); err != nil {
			return errors.New("no terraform: run `make bench`, which finds or installs one")
		}
	}
	host, _ := os.Hostname()
	fmt.Printf("morbench on %s, %d CPUs, %s, %s\n\n", host, numCPU(), goVersion(), firstLine(exec.Command(terraform, "version")))

	failed := false
	decode, err := decodeBenchmarks(rootDir, *benchtime)
	if err != nil {
		return err
	}
	failed = printDecode(decode) || failed

	plans, err := planBenchmarks(bin, provider, terraform, *lookups, *rounds)
	if err != nil {
		return err
	}
	failed = printPlans(plans, *lookups) || failed
	if failed {
		return errors.New("a target was missed (marked MISS)")
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func firstLine(cmd *exec.Cmd) string {
	out, _ := cmd.Output()
	line, _, _ := strings.Cut(string(out), "\n")
	return line
}

func goVersion() string { return firstLine(exec.Command("go", "version")) }

func numCPU() int {
	raw, _ := os.ReadFile("/proc/cpuinfo")
	return max(1, strings.Count(string(raw), "processor\t:"))
}
