package provider

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
)

// The acceptance tests run whichever CLI TF_ACC_TERRAFORM_PATH names (or
// terraform on PATH): a Terraform or an OpenTofu binary, of any release
// the README promises. Tests of a feature that needs a newer CLI skip on
// older ones, saying why, through requireCLI.

// cliFeature is a CLI capability a test needs, with the first Terraform and
// OpenTofu releases that have it.
type cliFeature struct {
	name            string
	terraform, tofu string
}

var (
	featureFunctions = cliFeature{name: "provider-defined functions", terraform: "1.8.0", tofu: "1.7.0"}
	featureEphemeral = cliFeature{name: "ephemeral resources", terraform: "1.10.0", tofu: "1.11.0"}
	// OpenTofu (1.12.6 included) sends a null argument as a DynamicValue
	// with no data, which terraform-plugin-go cannot decode ("DynamicValue
	// had no JSON or msgpack data set").
	featureFunctionNullArguments = cliFeature{name: "null arguments to provider-defined functions", terraform: "1.8.0", tofu: ""}
	featureTestMocks             = cliFeature{name: "`test` with mock_provider and override_data", terraform: "1.7.0", tofu: "1.8.0"}
	// OpenTofu's override blocks take whole resources only, not one
	// instance of a for_each or count (opentofu/opentofu#3264). An empty
	// release: no OpenTofu release has it yet.
	featureTestOverrideInstances = cliFeature{name: "`test` override_data on one instance of a for_each", terraform: "1.7.0", tofu: ""}
	// Releases before this evaluate a for_each over a large list whose
	// elements hold sensitive values so slowly that a test would run for
	// hours (DESIGN.md, Performance, has the measurements).
	featureFastSensitiveForEach = cliFeature{name: "fast for_each over lists holding sensitive values", terraform: "1.10.0", tofu: "1.8.0"}

	// cliFeatures are the features README.md and docs/index.md list, with
	// the releases that bring them.
	cliFeatures = []cliFeature{featureFunctions, featureFunctionNullArguments, featureEphemeral, featureTestMocks, featureTestOverrideInstances, featureFastSensitiveForEach}
)

// testCLIInfo is the CLI under test: its path, whether it is OpenTofu, and
// its release.
type testCLIInfo struct {
	path    string
	tofu    bool
	version *version.Version
}

func (c testCLIInfo) String() string {
	name := "Terraform"
	if c.tofu {
		name = "OpenTofu"
	}
	return fmt.Sprintf("%s %s", name, c.version)
}

var testCLI struct {
	once sync.Once
	info testCLIInfo
	err  error
}

// testCLIPath is the CLI binary the tests run.
func testCLIPath() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("no terraform: set TF_ACC_TERRAFORM_PATH or run make test, which installs one")
	}
	return p, nil
}

// cliUnderTest is the CLI under test; the test fails when it cannot be run.
func cliUnderTest(t *testing.T) testCLIInfo {
	t.Helper()
	info, err := loadCLIUnderTest()
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// loadCLIUnderTest reads the CLI's name and release once per test run from
// its own `version` output ("Terraform v1.11.4", "OpenTofu v1.12.6").
func loadCLIUnderTest() (testCLIInfo, error) {
	testCLI.once.Do(func() {
		path, err := testCLIPath()
		if err != nil {
			testCLI.err = err
			return
		}
		cmd := exec.Command(path, "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			testCLI.err = fmt.Errorf("%s version: %w", path, err)
			return
		}
		first, _, _ := strings.Cut(string(out), "\n")
		name, v, ok := strings.Cut(strings.TrimSpace(first), " v")
		if !ok || (name != "Terraform" && name != "OpenTofu") {
			testCLI.err = fmt.Errorf("%s version printed %q, not \"Terraform vX.Y.Z\" or \"OpenTofu vX.Y.Z\"", path, first)
			return
		}
		parsed, err := version.NewVersion(v)
		if err != nil {
			testCLI.err = fmt.Errorf("%s version: %w", path, err)
			return
		}
		testCLI.info = testCLIInfo{path: path, tofu: name == "OpenTofu", version: parsed.Core()}
	})
	return testCLI.info, testCLI.err
}

// The README's and the docs' tables of features and the CLI releases they
// need are the features above, row for row.
func TestCLIFeaturesAreDocumented(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{"../../README.md", "../../templates/index.md.tmpl"} {
		raw, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		row := regexp.MustCompile(`(?m)^\| (.+?) \| Terraform (\S+) \| OpenTofu (\S+) \|$`)
		documented := map[string][2]string{}
		for _, m := range row.FindAllStringSubmatch(string(raw), -1) {
			documented[m[1]] = [2]string{m[2], m[3]}
		}
		for _, f := range cliFeatures {
			want := [2]string{strings.TrimSuffix(f.terraform, ".0"), strings.TrimSuffix(f.tofu, ".0")}
			if f.tofu == "" {
				want[1] = "none"
			}
			if got, ok := documented[f.name]; !ok || got != want {
				t.Errorf("%s: row for %q: Terraform %s, OpenTofu %s; want Terraform %s, OpenTofu %s", doc, f.name, got[0], got[1], want[0], want[1])
			}
			delete(documented, f.name)
		}
		for name := range documented {
			t.Errorf("%s lists %q, which cliFeatures does not", doc, name)
		}
	}
}

// requireCLI skips the test, naming the feature and the release it needs,
// when the CLI under test is older than that release.
func requireCLI(t *testing.T, f cliFeature) {
	t.Helper()
	cli := cliUnderTest(t)
	need := f.terraform
	if cli.tofu {
		need = f.tofu
	}
	if need == "" {
		t.Skipf("%s: this test needs %s, which no %s release has yet", cli, f.name, strings.Fields(cli.String())[0])
	}
	if cli.version.LessThan(version.Must(version.NewVersion(need))) {
		t.Skipf("%s: this test needs %s, which came with %s", cli, f.name, strings.Replace(cli.String(), cli.version.String(), need, 1))
	}
}
