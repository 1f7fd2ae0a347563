package provider

import (
	"context"
	"fmt"
	"math/big"

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

// wholeNumberBetween validates a number argument declared as a Number rather than an Int64: the
// framework's Int64 conversion refuses 1.5 or a number beyond int64 with an error that blames the
// provider, so the argument accepts any number and this says what the user must write instead.
func wholeNumberBetween(minimum, maximum int64) validator.Number {
	return wholeNumberValidator{minimum: minimum, maximum: maximum}
}

type wholeNumberValidator struct{ minimum, maximum int64 }

func (v wholeNumberValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a whole number between %d and %d", v.minimum, v.maximum)
}

func (v wholeNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := req.ConfigValue.ValueBigFloat()
	if i, acc := n.Int64(); acc == big.Exact && i >= v.minimum && i <= v.maximum {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("%s must be a whole number between %d and %d, got %s.", req.Path, v.minimum, v.maximum, numberText(n)))
}

// numberText writes a number as a user would: whole numbers in full (up to 30 digits), others in
// the shortest form that reads back the same.
func numberText(n *big.Float) string {
	if n.IsInt() && n.MantExp(nil) <= 100 {
		return n.Text('f', 0)
	}
	return n.Text('g', -1)
}
