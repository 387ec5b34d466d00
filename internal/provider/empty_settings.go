package provider

import (
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// emptySetting is the error for a provider setting set to "" in the
// provider block: the block wins over the environment, so an empty value
// hides the environment variable. An optional setting (password,
// uniquehash) may be empty when its variable is not set: it is then not
// sent, as when it is left out.
func emptySetting(value types.String, attr, env string, optional bool) (diag.Diagnostic, bool) {
	if value.IsNull() || value.IsUnknown() || value.ValueString() != "" {
		return nil, false
	}
	if os.Getenv(env) != "" {
		return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Empty MOR Provider Setting",
			attr+` is set to "" in the provider block. A value in the block wins over the environment, so this empty value overrides the `+
				env+` environment variable, which is set. Remove the `+attr+` line to use `+env+`, or set `+attr+` to the value MOR needs.`), true
	}
	if optional {
		return nil, false
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Empty MOR Provider Setting",
		attr+` is set to "" in the provider block, and MOR needs a value. Set it, or remove the line and set the `+env+` environment variable.`), true
}

// stringOrEnv is a setting's value: the configuration's, or else its
// environment variable's.
func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}
