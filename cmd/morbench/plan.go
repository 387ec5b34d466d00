package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

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
