package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ function.Function = (*parseDeviceRefFunction)(nil)

func newParseDeviceRefFunction() function.Function { return &parseDeviceRefFunction{} }

type parseDeviceRefFunction struct{}

var deviceRefAttrTypes = map[string]attr.Type{"protocol": types.StringType, "name": types.StringType}

func (f *parseDeviceRefFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_device_ref"
}

func (f *parseDeviceRefFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Splits a device as MOR names it, SIP/1251, into technology and name",
		Description: "Splits the `device` of a `mor_dids` or `mor_device_clis` entry, `TECHNOLOGY/name`, at its first `/`: " +
			"`\"SIP/1251\"` gives `{ protocol = \"SIP\", name = \"1251\" }`. The name is MOR's device name (the Asterisk peer), " +
			"which is the SIP/IAX2 `username` of a device that registers with one, so `mor_device`'s `device_username` finds it; an IP-authenticated " +
			"device's name (`ipauth…`) is not its username: find it by `name` among its owner's devices (`mor_devices`, then `mor_device`). " +
			"Null (a DID routed to no device) gives null. Text without a technology, a `/` or a name, " +
			"or with spaces in the name, is an error.",
		Parameters: []function.Parameter{function.StringParameter{
			Name:           "device",
			Description:    "A device as MOR writes it, e.g. `SIP/1251` or `IAX2/101`; null gives null.",
			AllowNullValue: true,
		}},
		Return: function.ObjectReturn{AttributeTypes: deviceRefAttrTypes},
	}
}

func (f *parseDeviceRefFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text types.String
	resp.Error = req.Arguments.Get(ctx, &text)
	if resp.Error != nil {
		return
	}
	if text.IsNull() {
		resp.Error = resp.Result.Set(ctx, types.ObjectNull(deviceRefAttrTypes))
		return
	}
	ref, err := mor.ParseDeviceRef(text.ValueString())
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "Invalid MOR device: "+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, struct {
		Protocol string `tfsdk:"protocol"`
		Name     string `tfsdk:"name"`
	}{ref.Protocol, ref.Name})
}
