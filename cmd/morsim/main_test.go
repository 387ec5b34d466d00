package main

import (
	"path/filepath"
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
