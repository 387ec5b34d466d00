// Command morbench is `make bench`: the decode benchmarks and an end-to-end
// `terraform plan` benchmark, measured in one run and printed as one table.
// It exits non-zero when a target of issue 5 is missed.
//
// Plan benchmark: 1,000 mor_device lookups (for_each over a mor_devices list)
// plus mor_dids and mor_device_clis, against the simulator with 0 ms and
// 20 ms latency, next to a floor of the same shape made of terraform_data.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
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

// ---- decode benchmarks ------------------------------------------------------

type decodeRow struct {
	name            string
	mbps, baseline  float64
	allocs, bytes   int64
	heapRatio       float64
	heapRatioExists bool
}

var benchLine = regexp.MustCompile(`^Benchmark(\w+?)(EncodingXML)?-\d+\s+\d+\s+\d+ ns/op\s+([\d.]+) MB/s\s+(\d+) B/op\s+(\d+) allocs/op`)
var heapLine = regexp.MustCompile(`(\d+k \w+): allocated \d+ bytes while decoding, result holds \d+: ([\d.]+)x`)

func decodeBenchmarks(root, benchtime string) ([]decodeRow, error) {
	cmd := exec.Command("go", "test", "-run", "TestDecodePeakHeapWithinTwiceResult", "-v", "-bench", "Decode", "-benchtime", benchtime, "-count", "1", "./internal/mor/")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("decode benchmarks: %w\n%s", err, out)
	}
	rows := map[string]*decodeRow{}
	var order []string
	heap := map[string]float64{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := heapLine.FindStringSubmatch(line); m != nil {
			heap[m[1]], _ = strconv.ParseFloat(m[2], 64)
		}
		m := benchLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		r := rows[m[1]]
		if r == nil {
			r = &decodeRow{name: m[1]}
			rows[m[1]] = r
			order = append(order, m[1])
		}
		mbps, _ := strconv.ParseFloat(m[3], 64)
		if m[2] != "" {
			r.baseline = mbps
			continue
		}
		r.mbps = mbps
		r.bytes, _ = strconv.ParseInt(m[4], 10, 64)
		r.allocs, _ = strconv.ParseInt(m[5], 10, 64)
	}
	var out2 []decodeRow
	for _, name := range order {
		r := rows[name]
		key := map[string]string{"DecodeDIDs100k": "100k DIDs", "DecodeDevices20k": "20k devices"}[name]
		r.heapRatio, r.heapRatioExists = heap[key]
		out2 = append(out2, *r)
	}
	if len(out2) == 0 {
		return nil, fmt.Errorf("no benchmark results in:\n%s", out)
	}
	return out2, nil
}

func printDecode(rows []decodeRow) (failed bool) {
	fmt.Println("Decoding (go test -bench Decode ./internal/mor/): targets >= 125 MB/s, peak heap <= 2x the result")
	fmt.Printf("  %-22s %10s %14s %9s %14s %16s\n", "answer", "MB/s", "encoding/xml", "speed-up", "allocs/op", "peak heap/result")
	for _, r := range rows {
		mark := "ok"
		if r.mbps < 125 || !r.heapRatioExists || r.heapRatio > 2 {
			mark, failed = "MISS", true
		}
		label := map[string]string{"DecodeDIDs100k": "dids_get, 100,000 DIDs", "DecodeDevices20k": "devices_get, 20,000"}[r.name]
		fmt.Printf("  %-22s %10.1f %14.1f %8.1fx %14d %15.2fx  %s\n", label, r.mbps, r.baseline, r.mbps/r.baseline, r.allocs, r.heapRatio, mark)
	}
	fmt.Println()
	return failed
}

// ---- plan benchmark ---------------------------------------------------------

type planResult struct {
	latency                time.Duration
	wall, floor            time.Duration
	cpu                    time.Duration
	peakRSS                int64
	requests, distinct     int64
	maxInFlight, maxConcur int64
}

func planBenchmarks(bin, provider, terraform string, lookups, rounds int) ([]planResult, error) {
	data := morsim.Generate(11, morsim.Sizes{Users: 1, Devices: lookups, DIDs: 2000, CLIs: 500})
	userID := data.Users[len(data.Users)-1].ID
	sim := morsim.New(data, morsim.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer func() { _ = srv.Shutdown(context.Background()) }()

	work := filepath.Join(bin, "bench")
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	morDir, floorDir, pluginDir := filepath.Join(work, "mor"), filepath.Join(work, "floor"), filepath.Join(work, "plugins")
	for _, d := range []string{morDir, floorDir, pluginDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	rusage := filepath.Join(work, "rusage.txt")
	wrapper := fmt.Sprintf("#!/bin/sh\nexec %q -wrap-provider %q %q \"$@\"\n", self, provider, rusage)
	if err := os.WriteFile(filepath.Join(pluginDir, "terraform-provider-mor"), []byte(wrapper), 0o755); err != nil {
		return nil, err
	}
	rc := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"mor-terraform/mor\" = %q\n  }\n  direct {}\n}\n", pluginDir)), 0o600); err != nil {
		return nil, err
	}
	morConfig := fmt.Sprintf(`terraform {
  required_providers {
    mor = { source = "mor-terraform/mor" }
  }
}
provider "mor" {
  max_concurrent_requests = %d
}
data "mor_devices" "all" {
  user_id = %d
}
data "mor_device" "each" {
  for_each  = { for d in data.mor_devices.all.devices : tostring(d.device_id) => d.device_id }
  device_id = each.value
}
data "mor_dids" "all" {}
data "mor_device_clis" "all" {}
output "devices" { value = length(data.mor_device.each) }
`, terraformParallelism, userID)
	floorConfig := fmt.Sprintf(`locals {
  ids = [for i in range(%d) : tostring(i)]
}
resource "terraform_data" "list" {}
resource "terraform_data" "each" {
  for_each = toset(local.ids)
  input    = each.key
}
resource "terraform_data" "dids" {}
resource "terraform_data" "clis" {}
output "devices" { value = length(terraform_data.each) }
`, lookups)
	if err := os.WriteFile(filepath.Join(morDir, "main.tf"), []byte(morConfig), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(floorDir, "main.tf"), []byte(floorConfig), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"MOR_URL=http://"+l.Addr().String()+"/billing", "MOR_USERNAME=admin", "MOR_API_SECRET_KEY="+data.APIKey)
	plan := func(dir string) (time.Duration, error) {
		cmd := exec.Command(terraform, "-chdir="+dir, "plan", "-input=false", "-lock=false", "-no-color", "-parallelism="+strconv.Itoa(terraformParallelism))
		cmd.Env = env
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("terraform plan in %s: %w\n%s", dir, err, lastLines(out, 30))
		}
		return time.Since(start), nil
	}
	// The floor has only the built-in provider, but still wants an init.
	initCmd := exec.Command(terraform, "-chdir="+floorDir, "init", "-input=false", "-no-color")
	initCmd.Env = env
	if out, err := initCmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("terraform init (floor): %w\n%s", err, out)
	}
	// A warm-up plan of each, so file caches do not favour either.
	if _, err := plan(floorDir); err != nil {
		return nil, err
	}
	if _, err := plan(morDir); err != nil {
		return nil, err
	}
	distinct := int64(lookups + 3) // devices_get, 1,000 x device_details_get, dids_get, device_clis_get

	var results []planResult
	for _, latency := range benchLatencies {
		sim.ClearFaults()
		if latency > 0 {
			sim.SetFault("", morsim.Fault{Latency: latency})
		}
		var walls, floors, cpus []time.Duration
		var peak, requests, maxInFlight int64
		for range rounds {
			floor, err := plan(floorDir)
			if err != nil {
				return nil, err
			}
			_ = os.Remove(rusage)
			sim.ResetStats()
			wall, err := plan(morDir)
			if err != nil {
				return nil, err
			}
			cpu, rss, err := readRusage(rusage)
			if err != nil {
				return nil, err
			}
			st := sim.Stats()
			walls, floors, cpus = append(walls, wall), append(floors, floor), append(cpus, cpu)
			peak, requests, maxInFlight = max(peak, rss), max(requests, st.Requests), max(maxInFlight, st.MaxInFlight)
		}
		results = append(results, planResult{latency: latency, wall: median(walls), floor: median(floors), cpu: median(cpus),
			peakRSS: peak, requests: requests, distinct: distinct, maxInFlight: maxInFlight, maxConcur: terraformParallelism})
	}
	return results, nil
}

func printPlans(results []planResult, lookups int) (failed bool) {
	fmt.Printf("terraform plan: %d mor_device lookups (for_each over mor_devices) + mor_dids + mor_device_clis; median of the rounds\n", lookups)
	fmt.Printf("  floor: the same shape of terraform_data; parallelism %d, max_concurrent_requests %d\n", terraformParallelism, terraformParallelism)
	fmt.Printf("  %-8s %9s %9s %9s %-26s %12s %9s %16s\n", "latency", "wall", "floor", "ratio", "target", "provider CPU", "peak RSS", "requests/distinct")
	for _, r := range results {
		bound := r.floor
		limit := 1.5
		target := "wall <= 1.5x floor"
		if r.latency > 0 {
			bound = r.floor + time.Duration(lookups/terraformParallelism)*r.latency
			limit = 1.2
			target = fmt.Sprintf("<= 1.2x (floor+%s)", (time.Duration(lookups/terraformParallelism) * r.latency).Round(time.Millisecond))
		}
		ratio := float64(r.wall) / float64(bound)
		mark := "ok"
		if ratio > limit || r.requests != r.distinct || r.maxInFlight > r.maxConcur {
			mark, failed = "MISS", true
		}
		fmt.Printf("  %-8s %8.2fs %8.2fs %8.2fx %-26s %11.2fs %7d MB %8d/%-7d %s\n",
			r.latency.String(), r.wall.Seconds(), r.floor.Seconds(), ratio, target, r.cpu.Seconds(), r.peakRSS/1024, r.requests, r.distinct, mark)
	}
	fmt.Println()
	return failed
}

// ---- provider wrapper ---------------------------------------------------------

// wrapProvider runs the real provider with this process's stdio (go-plugin's
// handshake goes through stdout) and appends its CPU time and peak RSS to a
// file when it exits.
func wrapProvider(real, rusageFile string, args []string) int {
	cmd := exec.Command(real, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "morbench wrapper:", err)
		return 1
	}
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		if f, ferr := os.OpenFile(rusageFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil {
			fmt.Fprintf(f, "%d %d\n", cpu.Nanoseconds(), ru.Maxrss)
			_ = f.Close()
		}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return 0
}

// readRusage sums the CPU time and takes the largest peak RSS (KiB) of the
// provider processes one plan started.
func readRusage(path string) (time.Duration, int64, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, fmt.Errorf("no provider usage recorded: %w", err)
	}
	var cpu time.Duration
	var rss int64
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		ns, _ := strconv.ParseInt(f[0], 10, 64)
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		cpu += time.Duration(ns)
		rss = max(rss, kb)
	}
	return cpu, rss, nil
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
