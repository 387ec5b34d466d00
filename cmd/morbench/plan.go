package main

import (
	"fmt"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The plan benchmark: 1,000 mor_device lookups (for_each over a mor_devices
// list) plus mor_dids and mor_device_clis, against the simulator with 0 ms and
// 20 ms latency, next to a floor of the same shape made of terraform_data;
// with a baseline provider, the same plan with it too, for old against new.

var benchLatencies = []time.Duration{0, 20 * time.Millisecond}

type planResult struct {
	label                  string
	latency                time.Duration
	wall, floor            time.Duration
	cpu                    time.Duration
	peakRSS                int64
	requests, distinct     int64
	maxInFlight, maxConcur int64
}

// providerBuild is a provider binary and what to call it in tables.
type providerBuild struct {
	label, path string
}

func (h *harness) planBenchmarks(current providerBuild, baseline *providerBuild, lookups, rounds int) ([]planResult, error) {
	data := morsim.Generate(11, morsim.Sizes{Users: 1, Devices: lookups, DIDs: 2000, CLIs: 500})
	userID := data.Users[len(data.Users)-1].ID
	sim, err := startSim(data, morsim.Options{})
	if err != nil {
		return nil, err
	}
	defer sim.close()

	morConfig := morRequirement + fmt.Sprintf(`provider "mor" {
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
	builds := []providerBuild{current}
	if baseline != nil {
		builds = append(builds, *baseline)
	}
	var morSpaces []*workspace
	for i, b := range builds {
		w, err := h.newWorkspace(fmt.Sprintf("plan-%d", i), morConfig, map[string]string{"mor-terraform/mor": b.path}, sim.env()...)
		if err != nil {
			return nil, err
		}
		morSpaces = append(morSpaces, w)
	}
	floor, err := h.newWorkspace("plan-floor", floorConfig, nil)
	if err != nil {
		return nil, err
	}
	// The floor has only the built-in provider, but still wants an init.
	if _, err := floor.run("init", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	// A warm-up plan of each, so file caches do not favour either.
	for _, w := range append([]*workspace{floor}, morSpaces...) {
		if _, err := w.plan(); err != nil {
			return nil, err
		}
	}
	distinct := int64(lookups + 3) // devices_get, 1,000 x device_details_get, dids_get, device_clis_get

	var results []planResult
	for _, latency := range benchLatencies {
		sim.ClearFaults()
		if latency > 0 {
			sim.SetFault("", morsim.Fault{Latency: latency})
		}
		spaces := morSpaces
		if latency > 0 {
			spaces = morSpaces[:1] // old against new needs one latency only
		}
		type samples struct {
			walls, cpus               []time.Duration
			peak, requests, inFlights int64
		}
		per := make([]samples, len(spaces))
		var floors []time.Duration
		for range rounds {
			f, err := floor.plan()
			if err != nil {
				return nil, err
			}
			floors = append(floors, f.wall)
			for i, w := range spaces {
				sim.ResetStats()
				r, err := w.plan()
				if err != nil {
					return nil, err
				}
				st := sim.Stats()
				s := &per[i]
				s.walls, s.cpus = append(s.walls, r.wall), append(s.cpus, r.provider.cpu)
				s.peak, s.requests, s.inFlights = max(s.peak, r.provider.peakRSS), max(s.requests, st.Requests), max(s.inFlights, st.MaxInFlight)
			}
		}
		for i, s := range per {
			results = append(results, planResult{label: builds[i].label, latency: latency, wall: median(s.walls), floor: median(floors), cpu: median(s.cpus),
				peakRSS: s.peak, requests: s.requests, distinct: distinct, maxInFlight: s.inFlights, maxConcur: terraformParallelism})
		}
	}
	return results, nil
}

func printPlans(results []planResult, lookups int) (failed bool) {
	fmt.Printf("terraform plan: %d mor_device lookups (for_each over mor_devices) + mor_dids + mor_device_clis; median of the rounds\n", lookups)
	fmt.Printf("  floor: the same shape of terraform_data; parallelism %d, max_concurrent_requests %d\n", terraformParallelism, terraformParallelism)
	fmt.Printf("  %-18s %-8s %9s %9s %9s %-26s %12s %9s %16s\n", "provider", "latency", "wall", "floor", "ratio", "target", "provider CPU", "peak RSS", "requests/distinct")
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
			mark, failed = "FAIL", true
		}
		fmt.Printf("  %-18s %-8s %8.2fs %8.2fs %8.2fx %-26s %11.2fs %6d MB %8d/%-7d %s\n",
			r.label, r.latency.String(), r.wall.Seconds(), r.floor.Seconds(), ratio, target, r.cpu.Seconds(), r.peakRSS/1024, r.requests, r.distinct, mark)
	}
	if len(results) > 2 {
		// Old against new: the two rows at 0 ms latency.
		current, old := results[0], results[1]
		share := float64(current.cpu) / float64(old.cpu)
		mark := "ok"
		if share > 0.30 && current.cpu > 2500*time.Millisecond {
			mark, failed = "FAIL", true
		}
		fmt.Printf("  provider CPU at 0s, %s against %s: %.2fs against %.2fs = %.0f%%; target <= 30%% of old or <= 2.50s  %s\n",
			current.label, old.label, current.cpu.Seconds(), old.cpu.Seconds(), 100*share, mark)
	}
	fmt.Println()
	return failed
}
