package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ function.Function = (*aclAllowsAnyFunction)(nil)

func newACLAllowsAnyFunction() function.Function { return &aclAllowsAnyFunction{} }

type aclAllowsAnyFunction struct{}

func (f *aclAllowsAnyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "acl_allows_any"
}

func (f *aclAllowsAnyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Tells whether a device's permit or deny text covers every address",
		Description: "Reads MOR's `permit`/`deny` text as `parse_acl` does and returns true when its networks together cover every " +
			"IPv4 address or every IPv6 address: `0.0.0.0/0.0.0.0` (how MOR writes \"any\"), `::/0`, or pieces such as " +
			"`0.0.0.0/1;128.0.0.0/1`. For a device's `permit` that means calls are accepted from anywhere. Empty text and null " +
			"hold no networks and give false. Text `parse_acl` rejects is an error here too.",
		Parameters: []function.Parameter{aclParameter},
		Return:     function.BoolReturn{},
	}
}

func (f *aclAllowsAnyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	prefixes, funcErr := aclArgument(ctx, req)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	resp.Error = resp.Result.Set(ctx, mor.ACLCoversEveryAddress(prefixes))
}
