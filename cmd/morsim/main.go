// Command morsim runs the MOR API simulator on loopback and prints its URL and
// credentials, for the demo and for trying the provider by hand.
//
//	go run ./cmd/morsim -env-file /tmp/mor.env
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "morsim:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	// ContinueOnError: run is called by tests too, which must not exit.
	flags := flag.NewFlagSet("morsim", flag.ContinueOnError)
	listen := flags.String("listen", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	dataFile := flags.String("data", "", "JSON dataset to serve, in the shape -write-data writes (default: a generated one)")
	writeData := flags.String("write-data", "", "write the dataset as JSON to this file and exit: a starting point for -data")
	seed := flags.Uint64("seed", morsim.DemoSeed, "seed of the generated dataset")
	sizes := morsim.DemoSizes
	flags.IntVar(&sizes.Resellers, "resellers", sizes.Resellers, "resellers to generate")
	flags.IntVar(&sizes.Users, "users", sizes.Users, "users to generate")
	flags.IntVar(&sizes.Devices, "devices", sizes.Devices, "devices to generate")
	flags.IntVar(&sizes.DIDs, "dids", sizes.DIDs, "DIDs to generate")
	flags.IntVar(&sizes.CLIs, "clis", sizes.CLIs, "CLIs to generate")
	var opts morsim.Options
	flags.BoolVar(&opts.Legacy, "legacy", false, "act as a release older than X4 (device_list only)")
	flags.BoolVar(&opts.AllowGET, "allow-get", false, "accept GET requests")
	flags.BoolVar(&opts.NoHashCheck, "no-hash-check", false, "switch the hash check off")
	flags.BoolVar(&opts.GzipDevices, "gzip-devices", false, "gzip devices_get answers")
	flags.DurationVar(&opts.Latency, "latency", 0, "delay every answer by this much")
	envFile := flags.String("env-file", "", "also write MOR_URL, MOR_USERNAME, MOR_API_SECRET_KEY and MOR_PASSWORD to this file")
	statsFile := flags.String("stats-file", "", "write the request counters as JSON to this file on exit")
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}

	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-listen %s: the simulator only listens on loopback", *listen)
	}

	var data *morsim.Dataset
	if *dataFile != "" {
		if data, err = morsim.LoadFile(*dataFile); err != nil {
			return err
		}
	} else {
		data = morsim.Generate(*seed, sizes)
	}
	if *writeData != "" {
		raw, err := json.MarshalIndent(data, "", "  ") //nolint:gosec // the simulator's made-up dataset, written where its operator asked
		if err != nil {
			return err
		}
		return os.WriteFile(*writeData, append(raw, '\n'), 0o600)
	}
	sim := morsim.New(data, opts)

	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	url := "http://" + l.Addr().String() + "/billing"
	// The admin's login password: mor_users (users_get) needs it.
	var password string
	for _, u := range data.Users {
		if u.Username == "admin" {
			password = u.Password
		}
	}
	env := fmt.Sprintf("MOR_URL=%s\nMOR_USERNAME=admin\nMOR_API_SECRET_KEY=%s\nMOR_PASSWORD=%s\n", url, data.APIKey, password)
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(env), 0o600); err != nil {
			return err
		}
	}
	fmt.Printf("morsim: simulated MOR at %s (%d users, %d devices, %d DIDs, %d CLIs); stats at %s\n"+
		"morsim: every generated user's password is its username followed by -pass (reseller1-pass, user1-pass), for mor_users\n%s",
		url, len(data.Users), len(data.Devices), len(data.DIDs), len(data.CLIs),
		strings.TrimSuffix(url, "/billing")+"/_sim/stats", env)

	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if *statsFile != "" {
		stats, err := json.Marshal(sim.Stats())
		if err != nil {
			return err
		}
		return os.WriteFile(*statsFile, stats, 0o600)
	}
	return nil
}
