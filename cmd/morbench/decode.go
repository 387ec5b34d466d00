package main

import (
	"bytes"
	"fmt"
	"os/exec"

	"golang.org/x/perf/benchfmt"
)

// The decode benchmarks of internal/mor, read as data: each benchmark reports
// MB/s, allocs/op and (ReportMetric) peak-heap/result; the encoding/xml
// baseline of an answer is the benchmark of the same name + "EncodingXML".

const (
	minDecodeMBps      = 125
	maxPeakHeapOverRes = 2
)

var decodeAnswers = []struct{ benchmark, label string }{
	{"DecodeDIDs100k", "dids_get, 100,000 DIDs"},
	{"DecodeDevices20k", "devices_get, 20,000"},
}

type decodeRow struct {
	label          string
	mbps, baseline float64
	allocs         float64
	heapRatio      float64
}

func decodeBenchmarks(root, benchtime string) ([]decodeRow, error) {
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkDecode", "-benchtime", benchtime, "-count", "1", "./internal/mor/")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("decode benchmarks: %w\n%s", err, out)
	}
	results := map[string]map[string]float64{} // benchmark -> unit -> value
	r := benchfmt.NewReader(bytes.NewReader(out), "go test -bench")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue // unit metadata or a line that is not a result
		}
		values := map[string]float64{}
		for _, v := range res.Values {
			unit, value := v.Unit, v.Value
			if v.OrigUnit != "" { // as reported, before benchfmt's tidying (MB/s, not B/s)
				unit, value = v.OrigUnit, v.OrigValue
			}
			values[unit] = value
		}
		results[string(res.Name.Base())] = values
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	var rows []decodeRow
	for _, a := range decodeAnswers {
		scanner, baseline := results[a.benchmark], results[a.benchmark+"EncodingXML"]
		if scanner == nil || baseline == nil {
			return nil, fmt.Errorf("no result of Benchmark%s or its EncodingXML baseline in:\n%s", a.benchmark, out)
		}
		rows = append(rows, decodeRow{label: a.label, mbps: scanner["MB/s"], baseline: baseline["MB/s"],
			allocs: scanner["allocs/op"], heapRatio: scanner["peak-heap/result"]})
	}
	return rows, nil
}

func printDecode(rows []decodeRow) (failed bool) {
	fmt.Printf("Decoding (go test -bench Decode ./internal/mor/): targets >= %d MB/s, peak heap <= %dx the result\n", minDecodeMBps, maxPeakHeapOverRes)
	fmt.Printf("  %-22s %10s %14s %9s %14s %16s\n", "answer", "MB/s", "encoding/xml", "speed-up", "allocs/op", "peak heap/result")
	for _, r := range rows {
		mark := "ok"
		if r.mbps < minDecodeMBps || r.heapRatio == 0 || r.heapRatio > maxPeakHeapOverRes {
			mark, failed = "FAIL", true
		}
		fmt.Printf("  %-22s %10.1f %14.1f %8.1fx %14.0f %15.2fx  %s\n", r.label, r.mbps, r.baseline, r.mbps/r.baseline, r.allocs, r.heapRatio, mark)
	}
	fmt.Println()
	return failed
}
