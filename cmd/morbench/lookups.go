package main

import (
	"fmt"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// Per-lookup cost: device details by mor_device, against what a MOR user can
// do without this provider: hashicorp/http's data source with the hash made
// by sha1() and the answer taken apart by regex(). The http provider release
// the Go module proxy serves can only GET, so the simulator accepts GET ("Allow
// GET API" on); the mor provider POSTs as always.

type lookupResult struct {
	label string
	wall  time.Duration
	cpu   time.Duration
}

func (h *harness) lookupBenchmarks(morProvider, httpProvider, httpLabel string, lookups, rounds int) ([]lookupResult, error) {
	data := morsim.Generate(17, morsim.Sizes{Users: 1, Devices: lookups})
	sim, err := startSim(data, morsim.Options{AllowGET: true})
	if err != nil {
		return nil, err
	}
	defer sim.close()
	firstID := data.Devices[0].ID
	ids := fmt.Sprintf("locals {\n  ids = toset([for i in range(%d) : tostring(%d + i)])\n}\n", lookups, firstID)
	morConfig := morRequirement + ids + `data "mor_device" "each" {
  for_each  = local.ids
  device_id = tonumber(each.key)
}
output "usernames" { value = { for id, d in data.mor_device.each : id => d.username } }
`
	httpConfig := `terraform {
  required_providers {
    http = { source = "hashicorp/http" }
  }
}
variable "mor_url" { type = string }
variable "mor_key" { type = string }
` + ids + `data "http" "each" {
  for_each = local.ids
  url      = "${var.mor_url}/api/device_details_get?u=admin&device_id=${each.key}&hash=${sha1("${each.key}${var.mor_key}")}"
}
output "usernames" { value = { for id, d in data.http.each : id => regex("<username>([^<]*)</username>", d.body)[0] } }
`
	mor, err := h.newWorkspace("lookups-mor", morConfig, map[string]string{"mor-terraform/mor": morProvider}, sim.env()...)
	if err != nil {
		return nil, err
	}
	httpSpace, err := h.newWorkspace("lookups-http", httpConfig, map[string]string{"hashicorp/http": httpProvider},
		"TF_VAR_mor_url="+sim.url, "TF_VAR_mor_key="+sim.apiKey)
	if err != nil {
		return nil, err
	}
	spaces := []*workspace{mor, httpSpace}
	labels := []string{"mor_device", httpLabel}
	for _, w := range spaces { // warm-up
		if _, err := w.plan(); err != nil {
			return nil, err
		}
	}
	walls, cpus := make([][]time.Duration, len(spaces)), make([][]time.Duration, len(spaces))
	for range rounds {
		for i, w := range spaces {
			sim.ResetStats()
			r, err := w.plan()
			if err != nil {
				return nil, err
			}
			if got := sim.Stats().Requests; got != int64(lookups) {
				return nil, fmt.Errorf("%s: %d requests for %d lookups", labels[i], got, lookups)
			}
			walls[i], cpus[i] = append(walls[i], r.wall), append(cpus[i], r.provider.cpu)
		}
	}
	var results []lookupResult
	for i := range spaces {
		results = append(results, lookupResult{label: labels[i], wall: median(walls[i]), cpu: median(cpus[i])})
	}
	return results, nil
}

func printLookups(results []lookupResult, lookups int) (failed bool) {
	fmt.Printf("Device lookups: %d device_details_get answers in one terraform plan, mor_device against an http data source; median of the rounds\n", lookups)
	fmt.Printf("  %-28s %9s %13s %17s\n", "data source", "wall", "provider CPU", "CPU per lookup")
	for _, r := range results {
		fmt.Printf("  %-28s %8.2fs %12.2fs %14.2f ms\n", r.label, r.wall.Seconds(), r.cpu.Seconds(), perLookupMS(r.cpu, lookups))
	}
	mor, http := results[0], results[1]
	mark := "ok"
	if mor.cpu >= http.cpu {
		mark, failed = "FAIL", true
	}
	fmt.Printf("  target: mor_device cheaper per lookup: %.2f ms against %.2f ms  %s\n\n", perLookupMS(mor.cpu, lookups), perLookupMS(http.cpu, lookups), mark)
	return failed
}

func perLookupMS(cpu time.Duration, lookups int) float64 {
	return cpu.Seconds() * 1000 / float64(lookups)
}
