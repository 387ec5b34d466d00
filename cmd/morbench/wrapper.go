package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

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
