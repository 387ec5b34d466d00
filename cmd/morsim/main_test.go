package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The file -write-data writes is what -data reads back: the same dataset.
func TestWriteDataIsWhatDataReads(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "dataset.json")
	err := run([]string{"-write-data", file, "-seed", "7", "-resellers", "1", "-users", "4", "-devices", "9", "-dids", "5", "-clis", "3"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := morsim.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := morsim.Generate(7, morsim.Sizes{Resellers: 1, Users: 4, Devices: 9, DIDs: 5, CLIs: 3})
	// JSON leaves out empty lists, which read back as nil.
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("-data read back a dataset other than the one -write-data wrote (-want +got):\n%s", diff)
	}
}

// A dataset edited by hand with a misspelt field is refused, not served
// with that field left out.
func TestDataWithAnUnknownFieldIsRefused(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "dataset.json")
	if err := os.WriteFile(file, []byte(`{"api_key": "k", "userz": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-data", file, "-write-data", filepath.Join(t.TempDir(), "out.json")}); err == nil || !strings.Contains(err.Error(), `unknown field "userz"`) {
		t.Errorf("-data with a misspelt field: %v, want it refused", err)
	}
	// Nor is a file holding more than the dataset (two pasted together).
	if err := os.WriteFile(file, []byte(`{"api_key": "k"} {"api_key": "other"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-data", file, "-write-data", filepath.Join(t.TempDir(), "out.json")}); err == nil || !strings.Contains(err.Error(), "more after the dataset") {
		t.Errorf("-data with two objects: %v, want it refused", err)
	}
}

// Flags are parsed without exiting the process: a bad one is an error, -h
// is not.
func TestFlagsAreParsedWithoutExiting(t *testing.T) {
	t.Parallel()
	if err := run([]string{"-no-such-flag"}); err == nil {
		t.Error("an unknown flag gave no error")
	}
	if err := run([]string{"-h"}); err != nil {
		t.Errorf("-h: %v, want none", err)
	}
}
