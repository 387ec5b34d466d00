package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ function.Function = (*parseDialPlanFunction)(nil)

func newParseDialPlanFunction() function.Function { return &parseDialPlanFunction{} }

type parseDialPlanFunction struct{}

var dialPlanAttrTypes = map[string]attr.Type{"name": types.StringType, "type": types.StringType}

func (f *parseDialPlanFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_dial_plan"
}

func (f *parseDialPlanFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Splits a DID's dial plan, IVR menu (ivr), into name and type",
		Description: "Splits the `dial_plan` of a `mor_dids` entry, `name (type)`, at its last parentheses: " +
			"`\"ivr main (ivr)\"` gives `{ name = \"ivr main\", type = \"ivr\" }`, and a name may hold parentheses of its own. " +
			"Null (a DID routed to no dial plan) gives null. Text without a name, or not ending in a one-word type in parentheses, is an error.",
		Parameters: []function.Parameter{function.StringParameter{
			Name:           "dial_plan",
			Description:    "A dial plan as MOR writes it for a DID, e.g. `IVR menu (ivr)`; null gives null.",
			AllowNullValue: true,
		}},
		Return: function.ObjectReturn{AttributeTypes: dialPlanAttrTypes},
	}
}

func (f *parseDialPlanFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text types.String
	resp.Error = req.Arguments.Get(ctx, &text)
	if resp.Error != nil {
		return
	}
	if text.IsNull() {
		resp.Error = resp.Result.Set(ctx, types.ObjectNull(dialPlanAttrTypes))
		return
	}
	plan, err := mor.ParseDialPlan(text.ValueString())
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "Invalid MOR dial plan: "+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, struct {
		Name string `tfsdk:"name"`
		Type string `tfsdk:"type"`
	}{plan.Name, plan.Type})
}
