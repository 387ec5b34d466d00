package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The scale table: one list data source read by `terraform apply` from an
// empty state, against a simulator holding that many records.

// Targets of the scale table.
const (
	maxProviderShare = 0.25 // provider CPU over Terraform's own CPU in the same run
	maxPeakRSSMB     = 400
	maxGrowth        = 11.0 // provider CPU and RSS for 10x the data
)

type scaleCase struct {
	label  string
	series string // rows of one series grow 10x each, and are checked for growth
	sizes  morsim.Sizes
	// bounded rows are checked against the CPU and memory bounds.
	bounded bool
	config  func(data *morsim.Dataset) string
	want    int // the output n the apply must give
	// prepare, when set, changes the generated data and gives want.
	prepare func(data *morsim.Dataset) int
}

func scaleCases(devices int) []scaleCase {
	dids := func(*morsim.Dataset) string {
		return morRequirement + "data \"mor_dids\" \"all\" {}\noutput \"n\" { value = length(data.mor_dids.all.dids) }\n"
	}
	cases := []scaleCase{}
	for _, n := range []int{1000, 10000, 100000} {
		cases = append(cases, scaleCase{label: fmt.Sprintf("mor_dids, %s DIDs", thousands(n)), series: "dids",
			sizes: morsim.Sizes{Users: 1, DIDs: n}, bounded: n == 100000, config: dids, want: n})
	}
	return append(cases,
		scaleCase{label: "mor_devices, " + thousands(devices), sizes: morsim.Sizes{Users: 1, Devices: devices}, bounded: true, want: devices,
			config: func(d *morsim.Dataset) string {
				// Every device belongs to the one user: a devices_get read is per user.
				return morRequirement + fmt.Sprintf("data \"mor_devices\" \"all\" {\n  user_id = %d\n}\noutput \"n\" { value = length(data.mor_devices.all.devices) }\n", d.Users[len(d.Users)-1].ID)
			}},
		// A status search: as MOR answered it to the provider before (only
		// the DIDs in that status, served here as the whole dataset), and as
		// the provider makes it now (every DID, filtered by the provider).
		scaleCase{label: "mor_dids active, before", sizes: morsim.Sizes{Users: 1, DIDs: 100000},
			prepare: func(d *morsim.Dataset) int {
				d.DIDs = activeDIDs(d.DIDs)
				return len(d.DIDs)
			},
			config: func(*morsim.Dataset) string {
				return morRequirement + "data \"mor_dids\" \"active\" {}\noutput \"n\" { value = length(data.mor_dids.active.dids) }\n"
			}},
		scaleCase{label: "mor_dids active, 100,000", sizes: morsim.Sizes{Users: 1, DIDs: 100000},
			prepare: func(d *morsim.Dataset) int { return len(activeDIDs(d.DIDs)) },
			config: func(*morsim.Dataset) string {
				return morRequirement + "data \"mor_dids\" \"active\" {\n  status = \"active\"\n}\noutput \"n\" { value = length(data.mor_dids.active.dids) }\n"
			}},
		scaleCase{label: "mor_device_clis, 50,000", sizes: morsim.Sizes{Users: 1, Devices: 100, CLIs: 50000}, bounded: true, want: 50000,
			config: func(*morsim.Dataset) string {
				return morRequirement + "data \"mor_device_clis\" \"all\" {}\noutput \"n\" { value = length(data.mor_device_clis.all.clis) }\n"
			}},
	)
}

type scaleResult struct {
	scaleCase
	rounds       int
	wall         time.Duration
	providerCPU  time.Duration
	terraformCPU time.Duration
	peakRSS      int64 // KiB
	stateBytes   int64
}

// scaleBenchmarks runs each case `rounds` times up to 10,000 records and
// once above, where one apply takes long enough to be steady, and prints each
// row as it is measured.
func (h *harness) scaleBenchmarks(provider string, devices, rounds int) (failed bool, err error) {
	printScaleHeader()
	var prev *scaleResult
	for i, c := range scaleCases(devices) {
		data := morsim.Generate(13, c.sizes)
		if c.prepare != nil {
			c.want = c.prepare(data)
		}
		sim, err := startSim(data, morsim.Options{})
		if err != nil {
			return failed, err
		}
		r, err := h.scaleCase(i, c, data, sim, provider, rounds)
		sim.close()
		if err != nil {
			return failed, fmt.Errorf("%s: %w", c.label, err)
		}
		failed = printScaleRow(&r, prev) || failed
		prev = &r
	}
	fmt.Println()
	return failed, nil
}

func (h *harness) scaleCase(i int, c scaleCase, data *morsim.Dataset, sim *simServer, provider string, rounds int) (scaleResult, error) {
	w, err := h.newWorkspace(fmt.Sprintf("scale-%d", i), c.config(data), map[string]string{"mor-terraform/mor": provider}, sim.env()...)
	if err != nil {
		return scaleResult{}, err
	}
	if c.want > 10000 {
		rounds = 1
	}
	res := scaleResult{scaleCase: c, rounds: rounds}
	var walls, cpus, tfCPUs []time.Duration
	for range rounds {
		r, err := w.apply()
		if err != nil {
			return res, err
		}
		walls, cpus, tfCPUs = append(walls, r.wall), append(cpus, r.provider.cpu), append(tfCPUs, r.terraformCPU)
		res.peakRSS = max(res.peakRSS, r.provider.peakRSS)
	}
	res.wall, res.providerCPU, res.terraformCPU = median(walls), median(cpus), median(tfCPUs)
	state := filepath.Join(w.dir, "terraform.tfstate")
	fi, err := os.Stat(state)
	if err != nil {
		return res, err
	}
	res.stateBytes = fi.Size()
	n, err := stateOutput(state, "n")
	if err != nil {
		return res, err
	}
	if n != c.want {
		return res, fmt.Errorf("the apply read %d records, want %d", n, c.want)
	}
	return res, nil
}

// stateOutput reads a number output from a state file.
func stateOutput(path, name string) (int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var st struct {
		Outputs map[string]struct {
			Value json.Number `json:"value"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	n, err := st.Outputs[name].Value.Int64()
	return int(n), err
}

func printScaleHeader() {
	fmt.Println("Scale: terraform apply of one list data source from an empty state; median of the rounds")
	fmt.Printf("  targets: on the largest rows provider CPU <= %.0f%% of Terraform's own CPU and peak RSS <= %d MB; 10x the data <= %.0fx provider CPU and RSS\n",
		100*maxProviderShare, maxPeakRSSMB, maxGrowth)
	fmt.Printf("  %-26s %6s %10s %12s %13s %8s %9s %9s %14s\n", "data source, records", "rounds", "apply wall", "provider CPU", "Terraform CPU", "prov/TF", "peak RSS", "state MB", "growth CPU/RSS")
}

// printScaleRow prints r, checked for growth against prev when both are of
// one series.
func printScaleRow(r, prev *scaleResult) (failed bool) {
	share := float64(r.providerCPU) / float64(r.terraformCPU)
	var misses []string
	if r.bounded && share > maxProviderShare {
		misses = append(misses, "CPU share")
	}
	if r.bounded && r.peakRSS > maxPeakRSSMB*1024 {
		misses = append(misses, "RSS")
	}
	growth := "-"
	if prev != nil && prev.series != "" && prev.series == r.series {
		cpuGrowth := float64(r.providerCPU) / float64(prev.providerCPU)
		rssGrowth := float64(r.peakRSS) / float64(prev.peakRSS)
		growth = fmt.Sprintf("%.1fx/%.1fx", cpuGrowth, rssGrowth)
		if cpuGrowth > maxGrowth || rssGrowth > maxGrowth {
			misses = append(misses, "growth")
		}
	}
	mark := "ok"
	if len(misses) > 0 {
		mark, failed = "FAIL: "+strings.Join(misses, ", "), true
	}
	fmt.Printf("  %-26s %6d %9.2fs %11.2fs %12.2fs %7.0f%% %6d MB %9.1f %14s  %s\n",
		r.label, r.rounds, r.wall.Seconds(), r.providerCPU.Seconds(), r.terraformCPU.Seconds(), 100*share,
		r.peakRSS/1024, float64(r.stateBytes)/1e6, growth, mark)
	return failed
}

func activeDIDs(dids []morsim.DID) []morsim.DID {
	var out []morsim.DID
	for _, d := range dids {
		if d.Status == "active" {
			out = append(out, d)
		}
	}
	return out
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
