package provider

import (
	"context"
	"net/netip"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

var _ function.Function = (*parseACLFunction)(nil)

func newParseACLFunction() function.Function { return &parseACLFunction{} }

type parseACLFunction struct{}

// aclParameter is the permit/deny text both ACL functions take.
var aclParameter = function.StringParameter{
	Name: "text",
	Description: "A device's `permit` or `deny` as MOR stores it: entries `address/netmask` joined by `;`, the netmask dotted " +
		"(`255.255.255.0`) or a prefix length (`24`); an address without a netmask is one host. IPv4 or IPv6; an IPv4-mapped address (`::ffff:10.0.0.0/8`) is read as " +
		"the IPv4 one, its netmask too, and so is an IPv4-mapped netmask (`::ffff:255.0.0.0`), as Asterisk reads them. " +
		"Empty text and null (MOR sent nothing) hold no entries.",
	AllowNullValue: true,
}

func (f *parseACLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_acl"
}

func (f *parseACLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Turns a device's permit or deny text into CIDR networks",
		Description: "Reads MOR's `permit`/`deny` text and returns its networks in CIDR notation, in the text's order, with host bits " +
			"cleared as Asterisk clears them: `\"10.0.0.0/255.0.0.0;192.168.1.1/255.255.255.255\"` gives `[\"10.0.0.0/8\", \"192.168.1.1/32\"]`. " +
			"Empty entries, and entries of blanks alone, are ignored, so empty text or null gives `[]`; an entry holding a space is an error, as whether Asterisk strips it depends on the realtime driver that loads the device. An entry that is not an address with an optional " +
			"netmask (a host name, `dynamic`, a `,` separator) or whose dotted netmask is not contiguous (`255.0.255.0`, which no CIDR " +
			"prefix expresses), or whose prefix length has more than three digits (Asterisk reads only the first 30 characters of one), is an error naming the entry.",
		Parameters: []function.Parameter{aclParameter},
		Return:     function.ListReturn{ElementType: types.StringType},
	}
}

func (f *parseACLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	prefixes, funcErr := aclArgument(ctx, req)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	cidrs := make([]string, 0, len(prefixes))
	for _, p := range prefixes {
		cidrs = append(cidrs, p.String())
	}
	resp.Error = resp.Result.Set(ctx, cidrs)
}

// aclArgument parses the ACL text both ACL functions take; null is empty.
func aclArgument(ctx context.Context, req function.RunRequest) ([]netip.Prefix, *function.FuncError) {
	var text types.String
	if err := req.Arguments.Get(ctx, &text); err != nil {
		return nil, err
	}
	prefixes, err := mor.ParseACL(text.ValueString())
	if err != nil {
		return nil, function.NewArgumentFuncError(0, "Invalid MOR ACL: "+err.Error())
	}
	return prefixes, nil
}
