package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithValidateConfig = (*tasksDataSource)(nil)

// ValidateConfig rejects a timeouts.read that is not above zero. The timeouts attribute checks only
// that the value parses, and "0s" or "-1m" would then make every read fail at once.
func (d *tasksDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	at := path.Root("timeouts").AtName("read")
	var read types.String
	if diags := req.Config.GetAttribute(ctx, at, &read); diags.HasError() || read.IsNull() || read.IsUnknown() {
		return // No timeouts, or a value the attribute's own validator reports.
	}
	if d, err := time.ParseDuration(read.ValueString()); err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(at, "Invalid Read Timeout",
			fmt.Sprintf("timeouts.read is %q; it bounds the whole read and must be above zero, such as \"20m\".", read.ValueString()))
	}
}
