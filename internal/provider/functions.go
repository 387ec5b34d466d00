package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// Functions are pure: they read MOR's text formats and never contact MOR,
// so they work without a configured provider.
func (p *morProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		newParseACLFunction,
		newACLAllowsAnyFunction,
		newParseDeviceRefFunction,
		newParseDialPlanFunction,
	}
}
