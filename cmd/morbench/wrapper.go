package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The provider wrapper: Terraform starts it (through a one-line script in a
// dev_overrides directory) in the provider's place. It runs the real provider
// as its child with its own stdio (go-plugin's handshake goes through stdout)
// and environment, forwards Terraform's signals, and when the child exits
// appends the child's CPU time and peak RSS, and its own CPU time, to a file.
// No /usr/bin/time needed: the numbers come from wait4's rusage.
func wrapProvider(real, usageFile string, args []string) int {
	cmd := exec.Command(real, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "morbench wrapper:", err)
		return 1
	}
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(signals)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		var self syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
		if f, ferr := os.OpenFile(usageFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil {
			fmt.Fprintf(f, "%d %d %d\n", cpuOf(ru).Nanoseconds(), ru.Maxrss, cpuOf(&self).Nanoseconds())
			_ = f.Close()
		}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return 0
}

// cpuOf is user plus system time.
func cpuOf(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// providerUsage is what the wrappers of one Terraform run recorded.
type providerUsage struct {
	cpu      time.Duration // the providers' user+sys, summed over their processes
	peakRSS  int64         // KiB, the largest of the processes
	wrappers time.Duration // the wrappers' own CPU time
	starts   int           // provider processes Terraform started
}

// readUsage reads the lines the wrappers of one Terraform run wrote.
func readUsage(path string) (providerUsage, error) {
	var u providerUsage
	raw, err := os.ReadFile(path)
	if err != nil {
		return u, fmt.Errorf("no provider usage recorded: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return u, fmt.Errorf("%s: malformed line %q", path, sc.Text())
		}
		var n [3]int64
		for i := range n {
			if n[i], err = strconv.ParseInt(f[i], 10, 64); err != nil {
				return u, fmt.Errorf("%s: %w", path, err)
			}
		}
		u.cpu += time.Duration(n[0])
		u.peakRSS = max(u.peakRSS, n[1])
		u.wrappers += time.Duration(n[2])
		u.starts++
	}
	return u, nil
}
