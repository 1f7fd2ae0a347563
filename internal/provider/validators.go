package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// endpointURL validates the endpoint argument at plan time with the same rules as its
// environment variable, so a typo fails validate rather than the first request.
func endpointURL() validator.String { return endpointValidator{} }

type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "value must be an absolute http:// or https:// URL with a host"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := smsapi.CheckEndpointURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid SMS Endpoint", fmt.Sprintf("The endpoint %s.", err))
	}
}

// positiveDuration validates Go duration strings such as "30s" that must be above zero.
func positiveDuration() validator.String { return durationValidator{} }

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return `value must be a positive Go duration such as "30s" or "2m"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%q is not a positive duration; use a number with a unit such as \"30s\", \"90s\" or \"2m\".", raw))
	}
}
