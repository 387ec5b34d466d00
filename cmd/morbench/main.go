// Command morbench is `make bench`: the decode benchmarks, an end-to-end
// `terraform plan` benchmark (old against new when given a baseline
// revision), the scale table of large lists through `terraform apply`, and
// per-lookup cost against an http data source, measured in one run and
// printed as tables. It exits non-zero when a target is missed.
//
// Provider CPU time and peak memory come from the provider's own process,
// wrapped (see wrapper.go); Terraform's own CPU is its rusage less the
// providers'.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	// Wrapper mode: Terraform starts this in the provider's place.
	if len(os.Args) > 3 && os.Args[1] == "-wrap-provider" {
		os.Exit(wrapProvider(os.Args[2], os.Args[3], os.Args[4:]))
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "morbench:", err)
		os.Exit(1)
	}
}

var allTables = []string{"decode", "plan", "scale", "lookups"}

func run() error {
	root := flag.String("root", ".", "repository root")
	lookups := flag.Int("lookups", 1000, "mor_device lookups in the plan benchmark")
	rounds := flag.Int("rounds", 3, "runs per scenario (one for scale rows above 10,000 records); the median is reported")
	benchtime := flag.String("benchtime", "5x", "-benchtime of the decode benchmarks")
	baseline := flag.String("baseline", "", "git revision of a provider to compare the plan benchmark with (empty: none)")
	httpProvider := flag.String("http-provider", "", "terraform-provider-http binary for the per-lookup comparison")
	httpVersion := flag.String("http-version", "", "its version, for the table")
	devices := flag.Int("devices", 20000, "devices of the mor_devices row of the scale table")
	httpLookups := flag.Int("http-lookups", 600, "device lookups in the per-lookup comparison")
	tables := flag.String("tables", strings.Join(allTables, ","), "tables to measure, comma-separated: "+strings.Join(allTables, ", "))
	flag.Parse()

	want := strings.Split(*tables, ",")
	for _, t := range want {
		if !slices.Contains(allTables, t) {
			return fmt.Errorf("-tables: unknown table %q (known: %s)", t, strings.Join(allTables, ", "))
		}
	}
	rootDir, err := filepath.Abs(*root)
	if err != nil {
		return err
	}
	h := &harness{bin: filepath.Join(rootDir, "bin")}
	provider := filepath.Join(h.bin, "terraform-provider-mor")
	if _, err := os.Stat(provider); err != nil {
		return fmt.Errorf("%s: run `make bench`, which builds the provider first", provider)
	}
	if h.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH"); h.terraform == "" {
		if h.terraform, err = exec.LookPath("terraform"); err != nil {
			return errors.New("no terraform: run `make bench`, which finds or installs one")
		}
	}
	if h.self, err = os.Executable(); err != nil {
		return err
	}
	if slices.Contains(want, "lookups") {
		if *httpProvider == "" {
			return errors.New("-http-provider: the lookups table needs a terraform-provider-http binary (`make bench` builds one)")
		}
		if *httpProvider, err = filepath.Abs(*httpProvider); err != nil {
			return err
		}
	}
	current := providerBuild{label: "current", path: provider}
	var old *providerBuild
	if *baseline != "" && slices.Contains(want, "plan") {
		b, err := buildBaseline(rootDir, h.bin, *baseline)
		if err != nil {
			return err
		}
		old = &b
	}

	host, _ := os.Hostname()
	fmt.Printf("morbench on %s, %d CPUs, %s, %s; load average at the start %s\n\n", host, numCPU(), goVersion(),
		firstLine(exec.Command(h.terraform, "version")), loadAverage())
	failed := false
	if slices.Contains(want, "decode") {
		rows, err := decodeBenchmarks(rootDir, *benchtime)
		if err != nil {
			return err
		}
		failed = printDecode(rows) || failed
	}
	if slices.Contains(want, "plan") {
		plans, err := h.planBenchmarks(current, old, *lookups, *rounds)
		if err != nil {
			return err
		}
		failed = printPlans(plans, *lookups) || failed
	}
	if slices.Contains(want, "scale") {
		scaleFailed, err := h.scaleBenchmarks(provider, *devices, *rounds)
		if err != nil {
			return err
		}
		failed = scaleFailed || failed
	}
	if slices.Contains(want, "lookups") {
		rows, err := h.lookupBenchmarks(provider, *httpProvider, "http (hashicorp/http "+*httpVersion+")", *httpLookups, *rounds)
		if err != nil {
			return err
		}
		failed = printLookups(rows, *httpLookups) || failed
	}
	if failed {
		return errors.New("a target was missed (marked FAIL)")
	}
	return nil
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

// loadAverage is the 1-minute load average: other work on the machine slows
// every figure down.
func loadAverage() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}
