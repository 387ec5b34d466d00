package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Each list data source can be filled by `terraform test`'s mock_data and
// override_data, so modules reading them can be tested without MOR. The
// elements given are whole (every attribute), as OpenTofu requires.
func TestListDataSourcesMockable(t *testing.T) {
	for _, tc := range []struct {
		dataSource, config, list string
		fields                   map[string]attr.Type
	}{
		{"mor_dids", "{}", "dids", didFields.elementType.AttrTypes},
		{"mor_devices", "{ user_id = 7 }", "devices", deviceFields.elementType.AttrTypes},
		{"mor_device_clis", "{}", "clis", cliFields.elementType.AttrTypes},
	} {
		t.Run(tc.dataSource, func(t *testing.T) {
			t.Parallel()
			requireCLI(t, featureTestMocks)
			addr := "data." + tc.dataSource + ".x"
			mocked, mockedChecks := mockElement(tc.fields, addr+"."+tc.list+"[0]", 1)
			first, firstChecks := mockElement(tc.fields, addr+"."+tc.list+"[0]", 2)
			second, secondChecks := mockElement(tc.fields, addr+"."+tc.list+"[1]", 3)
			config := morProviderRequirement + fmt.Sprintf(`data %q "x" %s
output "n" { value = length(%s.%s) }
`, tc.dataSource, tc.config, addr, tc.list)
			tests := fmt.Sprintf(`mock_provider "mor" {
  mock_data %[1]q {
    defaults = {
      %[2]s = [%[3]s]
    }
  }
}

run "mock_data" {
  assert {
    condition     = length(%[4]s.%[2]s) == 1 && alltrue([%[5]s])
    error_message = "mock_data did not fill %[2]s"
  }
}

run "override_data" {
  override_data {
    target = %[4]s
    values = {
      %[2]s = [%[6]s, %[7]s]
    }
  }
  assert {
    condition     = length(%[4]s.%[2]s) == 2 && alltrue([%[8]s])
    error_message = "override_data did not fill %[2]s"
  }
}
`, tc.dataSource, tc.list, mocked, addr, strings.Join(mockedChecks, ", "), first, second,
				strings.Join(append(firstChecks, secondChecks...), ", "))
			tf := newCLIRunner(t, config)
			if err := os.WriteFile(filepath.Join(tf.dir, "lists.tftest.hcl"), []byte(tests), 0o600); err != nil {
				t.Fatal(err)
			}
			out := tf.mustRun("test", "-no-color")
			if !strings.Contains(out, "2 passed, 0 failed") {
				t.Errorf("terraform test did not pass both runs:\n%s", out)
			}
		})
	}
}

// mockElement is an HCL object giving every field a value made from n, and
// the conditions that the element at ref holds those values.
func mockElement(fields map[string]attr.Type, ref string, n int) (string, []string) {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	var values, checks []string
	for _, name := range names {
		var v string
		switch fields[name] {
		case types.Int64Type:
			v = fmt.Sprint(1000 + n)
		case types.BoolType:
			v = fmt.Sprint(n%2 == 0)
		default:
			v = fmt.Sprintf("%q", fmt.Sprintf("%s-%d", name, n))
		}
		values = append(values, name+" = "+v)
		checks = append(checks, fmt.Sprintf("%s.%s == %s", ref, name, v))
	}
	return "{ " + strings.Join(values, ", ") + " }", checks
}
