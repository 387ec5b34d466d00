package provider

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// providerSchemas are the provider's schemas as Terraform gets them.
func providerSchemas(t *testing.T) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	schemas, err := NewProtocolServer("test")().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return schemas
}

func schemaAttribute(s *tfprotov6.Schema, name string) *tfprotov6.SchemaAttribute {
	for _, a := range s.Block.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// What docs/index.md and the guides say about settings, data sources and
// secrets agrees with the schemas: the settings table, the names they use,
// and where each way of reading a device stores its secrets.
func TestDocsAgreeWithSchemas(t *testing.T) {
	t.Parallel()
	schemas := providerSchemas(t)
	index := string(readFile(t, "../../docs/index.md"))
	guides, err := filepath.Glob("../../docs/guides/*.md")
	if err != nil || len(guides) == 0 {
		t.Fatalf("no guides: %v", err)
	}

	// The settings table: each setting, its variable and whether it is sensitive.
	rows := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| `(MOR_[A-Z_]+)` \\| (.*) \\|$").FindAllStringSubmatch(index, -1)
	inTable := map[string]bool{}
	for _, row := range rows {
		name, env, what := row[1], row[2], row[3]
		inTable[name] = true
		attr := schemaAttribute(schemas.Provider, name)
		switch {
		case attr == nil:
			t.Errorf("docs/index.md lists setting %s, which the provider does not have", name)
		case !strings.Contains(attr.Description, env):
			t.Errorf("docs/index.md says %s is set by %s; its description does not", name, env)
		case attr.Sensitive != strings.Contains(what, "sensitive"):
			t.Errorf("docs/index.md says %s sensitive: %v; the schema: %v", name, strings.Contains(what, "sensitive"), attr.Sensitive)
		}
	}
	for _, attr := range schemas.Provider.Block.Attributes {
		if strings.Contains(attr.Description, "`MOR_") && !inTable[attr.Name] {
			t.Errorf("%s may be set from the environment; docs/index.md's table lacks it", attr.Name)
		}
	}

	// Every data source and ephemeral resource the pages name is the
	// provider's (mor_api is the log subsystem).
	known := map[string]bool{"mor_api": true}
	for name := range schemas.DataSourceSchemas {
		known[name] = true
	}
	for name := range schemas.EphemeralResourceSchemas {
		known[name] = true
	}
	pages := map[string]string{"docs/index.md": index}
	for _, g := range guides {
		pages["docs/guides/"+filepath.Base(g)] = string(readFile(t, g))
	}
	for page, text := range pages {
		for _, m := range regexp.MustCompile("(?:`|(?:data|ephemeral) \")(mor_[a-z_]+)(?:`|\")").FindAllStringSubmatch(text, -1) {
			if !known[m[1]] {
				t.Errorf("%s names %s, which the provider does not have", page, m[1])
			}
		}
	}

	// The guide's table: a way of reading that stores secrets in "the plan
	// and the state" stores them in sensitive attributes of that source; one
	// that stores them "nowhere" with include_secrets false has that setting.
	secretsGuide := pages["docs/guides/device-secrets.md"]
	tableRows := regexp.MustCompile("(?m)^\\| `(data|ephemeral) \"(mor_[a-z_]+)\"`(.*?) \\| (.*) \\|$").FindAllStringSubmatch(secretsGuide, -1)
	if len(tableRows) < 5 {
		t.Fatalf("the Device secrets guide's table has %d rows", len(tableRows))
	}
	for _, row := range tableRows {
		kind, name, how, where := row[1], row[2], row[3], row[4]
		s := schemas.DataSourceSchemas[name]
		if kind == "ephemeral" {
			s = schemas.EphemeralResourceSchemas[name]
		}
		if s == nil {
			continue // reported above
		}
		if strings.Contains(how, "include_secrets") && schemaAttribute(s, "include_secrets") == nil {
			t.Errorf("the guide reads %s with include_secrets, which it does not have", name)
		}
		if !strings.HasPrefix(where, "the plan and the state") {
			continue
		}
		stored := 0
		for _, m := range regexp.MustCompile("`([a-z0-9_]+)`").FindAllStringSubmatch(where, -1) {
			if attr := schemaAttribute(s, m[1]); attr != nil {
				stored++
				if !attr.Sensitive {
					t.Errorf("the guide says %s stores its secrets in %s, which is not sensitive", name, m[1])
				}
			}
		}
		if stored == 0 {
			t.Errorf("the guide's row for %s %s names none of its attributes", name, how)
		}
	}
}

// A data source with a sensitive attribute has include_secrets, as
// docs/index.md's Security section says (that those attributes are null
// without it is TestDeviceDataSourceSecretsOnlyWhenAsked's to show);
// mor_devices' list holds no secret field.
func TestSensitiveAttributesComeWithIncludeSecrets(t *testing.T) {
	t.Parallel()
	for name, s := range providerSchemas(t).DataSourceSchemas {
		for _, attr := range s.Block.Attributes {
			if attr.Sensitive && schemaAttribute(s, "include_secrets") == nil {
				t.Errorf("%s.%s is sensitive, but %s has no include_secrets", name, attr.Name, name)
			}
		}
	}
	devices := schemaAttribute(providerSchemas(t).DataSourceSchemas["mor_devices"], "devices")
	list, ok := devices.Type.(tftypes.List)
	elem, isObject := list.ElementType.(tftypes.Object)
	if !ok || !isObject || devices.Sensitive {
		t.Fatalf("mor_devices' devices is %v, sensitive %v", devices.Type, devices.Sensitive)
	}
	for field := range elem.AttributeTypes {
		if strings.Contains(field, "secret") {
			t.Errorf("mor_devices' devices elements hold %s", field)
		}
	}
}
