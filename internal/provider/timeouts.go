package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// timeoutsAttribute is every data source's nested `timeouts = { read = "..." }` argument, the form
// terraform-plugin-framework-timeouts recommends for new providers, with descriptions for the docs
// and a read timeout that must be above zero.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	attribute := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Bound on the whole read, every page and retry included, as a Go duration such as `\"30s\"` or " +
			"`\"45m\"`. Defaults to `\"20m\"`.",
	})
	nested, ok := attribute.(schema.SingleNestedAttribute)
	if !ok {
		return attribute
	}
	nested.MarkdownDescription = "Time limits of this data source, for example `timeouts = { read = \"30m\" }`."
	if read, ok := nested.Attributes["read"].(schema.StringAttribute); ok {
		read.Validators = append(read.Validators, positiveReadTimeout)
		nested.Attributes["read"] = read
	}
	return nested
}

// positiveDuration rejects a duration that is not above zero, when Terraform validates the
// configuration rather than at the first read. The duration types check only that the value
// parses, and "0s" or "-1m" would then make every read fail at once.
type positiveDuration struct {
	summary string // the diagnostic's summary
	detail  string // its detail, with %q for the value
}

var (
	positiveReadTimeout    = positiveDuration{"Invalid Read Timeout", "timeouts.read is %q; it bounds the whole read and must be above zero, such as \"20m\"."}
	positiveRequestTimeout = positiveDuration{"Invalid Duration", "%q is not a positive duration; use a number with a unit such as \"30s\" or \"2m\"."}
)

func (positiveDuration) Description(context.Context) string {
	return "must be a duration above zero"
}

func (v positiveDuration) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v positiveDuration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, fmt.Sprintf(v.detail, req.ConfigValue.ValueString()))
	}
}
