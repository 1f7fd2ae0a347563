package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// providerDataOf is the Configure of every data source: it returns the configured provider's
// data, or nil while Terraform validates configuration before the provider is configured.
func providerDataOf(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
	}
	return data
}

// beginRead starts the Read of a data source whose state is built as one tftypes value: it
// checks that the provider is configured, masks its secrets in every log line of ctx, and
// applies timeouts.read (default defaultReadTimeout) from the configuration. It returns the
// configured attributes, which the state repeats, and a cancel function, or ok false after
// adding a diagnostic.
func beginRead(ctx context.Context, data *providerData, name string, config tfsdk.Config, diags *diag.Diagnostics) (_ context.Context, _ map[string]tftypes.Value, _ time.Duration, cancel context.CancelFunc, ok bool) {
	if data == nil {
		diags.AddError("Provider Not Configured",
			"The sms provider was not configured before "+name+" was read. This is a bug in the provider; please report it.")
		return ctx, nil, 0, nil, false
	}
	ctx = tflog.MaskLogStrings(ctx, data.secrets...)
	var configured map[string]tftypes.Value
	if err := config.Raw.As(&configured); err != nil {
		diags.AddError("Invalid Configuration", "The configuration of "+name+" could not be read: "+err.Error())
		return ctx, nil, 0, nil, false
	}
	var to timeouts.Value
	diags.Append(config.GetAttribute(ctx, path.Root("timeouts"), &to)...)
	if diags.HasError() {
		return ctx, nil, 0, nil, false
	}
	readTimeout, d := to.Read(ctx, defaultReadTimeout)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, nil, 0, nil, false
	}
	ctx, cancel = context.WithTimeout(ctx, readTimeout)
	return ctx, configured, readTimeout, cancel, true
}
