package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// requestTimeoutValidator accepts a positive Go duration. It says what is wrong
// in words of its own: the framework's duration type prints its detail with
// the parser's error glued to it, hard to read on a CLI.
type requestTimeoutValidator struct{}

var _ validator.String = requestTimeoutValidator{}

func (requestTimeoutValidator) Description(context.Context) string {
	return "a positive Go duration with a unit, such as 30s or 2m"
}

func (v requestTimeoutValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (requestTimeoutValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, invalid := parseRequestTimeout(req.ConfigValue.ValueString()); invalid != nil {
		resp.Diagnostics.Append(invalid)
	}
}

// parseRequestTimeout reads request_timeout, or says what is wrong with it:
// the validator, and Configure for a value unknown at validation, word it
// alike.
func parseRequestTimeout(value string) (time.Duration, diag.Diagnostic) {
	d, err := time.ParseDuration(value)
	var problem string
	switch {
	case err != nil && strings.Contains(err.Error(), "missing unit"):
		problem = "it has no unit"
	case err != nil:
		problem = "it is not a duration"
	case d <= 0:
		problem = "it is not positive"
	default:
		return d, nil
	}
	return 0, diag.NewAttributeErrorDiagnostic(path.Root("request_timeout"), "Invalid Request Timeout", fmt.Sprintf(
		"request_timeout is %q, and %s. Set a positive duration with its unit, such as \"30s\", \"90s\" or \"2m\" (units: ms, s, m, h).", value, problem))
}
