package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

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
