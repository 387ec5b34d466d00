// Command releasecheck checks a goreleaser dist folder for what the Terraform
// Registry expects of a provider release: a zip per platform holding the
// provider binary named for the version, a SHA256SUMS file whose sums match
// every zip and the registry manifest, and a manifest naming protocol 6.0.
//
//	go run ./scripts/releasecheck dist
//	go run ./scripts/releasecheck -platforms linux_amd64 dist
//
// -platforms names the platforms that must have a zip (default: the ones
// Terraform users run most), for a snapshot built for fewer.
package main

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const (
	name     = "terraform-provider-mor"
	manifest = "terraform-registry-manifest.json"
)

// The platforms Terraform users run most; a release without one of them is broken.
var requiredPlatforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"}

func main() {
	platforms := flag.String("platforms", strings.Join(requiredPlatforms, ","), "comma-separated platforms that must have a zip")
	flag.Parse()
	dist := "dist"
	if flag.NArg() > 0 {
		dist = flag.Arg(0)
	}
	summary, err := check(dist, strings.Split(*platforms, ","))
	if err != nil {
		fmt.Fprintf(os.Stderr, "releasecheck: %s: %v\n", dist, err)
		os.Exit(1)
	}
	fmt.Println("releasecheck:", summary)
}

func check(dist string, required []string) (string, error) {
	sumsFiles, err := filepath.Glob(filepath.Join(dist, name+"_*_SHA256SUMS"))
	if err != nil || len(sumsFiles) != 1 {
		return "", fmt.Errorf("want one %s_<version>_SHA256SUMS, found %d", name, len(sumsFiles))
	}
	version := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(sumsFiles[0]), name+"_"), "_SHA256SUMS")
	sums, err := readSums(sumsFiles[0])
	if err != nil {
		return "", err
	}

	manifestName := fmt.Sprintf("%s_%s_manifest.json", name, version)
	if err := checkManifest(sums[manifestName]); err != nil {
		return "", fmt.Errorf("%s: %w", manifestName, err)
	}

	zips, err := filepath.Glob(filepath.Join(dist, name+"_"+version+"_*.zip"))
	if err != nil {
		return "", err
	}
	if len(zips) != len(sums)-1 {
		return "", fmt.Errorf("%d zips in the folder, %d in SHA256SUMS besides the manifest", len(zips), len(sums)-1)
	}
	var platforms []string
	for _, path := range zips {
		base := filepath.Base(path)
		want, listed := sums[base]
		if !listed {
			return "", fmt.Errorf("%s is not in SHA256SUMS", base)
		}
		got, err := fileSum(path)
		if err != nil {
			return "", err
		}
		if got != want {
			return "", fmt.Errorf("%s: SHA256SUMS says %s, the file's sum is %s", base, want, got)
		}
		platform := strings.TrimSuffix(strings.TrimPrefix(base, name+"_"+version+"_"), ".zip")
		if err := checkZip(path, version, platform); err != nil {
			return "", fmt.Errorf("%s: %w", base, err)
		}
		platforms = append(platforms, platform)
	}
	for _, p := range required {
		if !slices.Contains(platforms, p) {
			return "", fmt.Errorf("no zip for %s", p)
		}
	}
	return fmt.Sprintf("version %s: %d platform zips (%s), SHA256SUMS and manifest as the registry expects",
		version, len(platforms), strings.Join(platforms, " ")), nil
}

// readSums reads "<sha256>  <file name>" lines.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path) //nolint:gosec // a file in the dist folder named on the command line
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		sum, file, ok := strings.Cut(scanner.Text(), "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("%s: line %q is not \"<sha256>  <file>\"", path, scanner.Text())
		}
		sums[file] = sum
	}
	return sums, scanner.Err()
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path) //nolint:gosec // a file in the dist folder named on the command line
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkManifest checks that SHA256SUMS lists the repository's manifest under
// the release's name and that the manifest names protocol 6.0.
func checkManifest(listedSum string) error {
	if listedSum == "" {
		return fmt.Errorf("not in SHA256SUMS")
	}
	got, err := fileSum(manifest)
	if err != nil {
		return err
	}
	if got != listedSum {
		return fmt.Errorf("SHA256SUMS says %s, %s's sum is %s", listedSum, manifest, got)
	}
	raw, err := os.ReadFile(manifest)
	if err != nil {
		return err
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		return fmt.Errorf("want version 1 and protocol_versions [6.0], got %d and %v", m.Version, m.Metadata.ProtocolVersions)
	}
	return nil
}

// checkZip checks that the zip holds the provider binary at its root, named
// terraform-provider-mor_v<version> (.exe on Windows), as the registry
// installs it.
func checkZip(path, version, platform string) error {
	r, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	want := name + "_v" + version
	if strings.HasPrefix(platform, "windows_") {
		want += ".exe"
	}
	var names []string
	for _, f := range r.File {
		if f.Name == want && f.UncompressedSize64 > 0 {
			return nil
		}
		names = append(names, f.Name)
	}
	return fmt.Errorf("no %s at its root: holds %v", want, names)
}
