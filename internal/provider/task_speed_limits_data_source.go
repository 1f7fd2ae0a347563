package provider

import (
	"context"
	"errors"
	"maps"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*taskSpeedLimitsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*taskSpeedLimitsDataSource)(nil)
)

// NewTaskSpeedLimitsDataSource is the constructor the provider registers.
func NewTaskSpeedLimitsDataSource() datasource.DataSource {
	return &taskSpeedLimitsDataSource{}
}

// taskSpeedLimitsDataSource is sms_task_speed_limits: the rate limits of one migration task by
// time of day, GET /v3/tasks/{task_id}/speed-limit.
type taskSpeedLimitsDataSource struct {
	data *providerData
}

// The SDK names the call ShowsSpeedLimits; neither it nor the API reference names its IAM action,
// so the diagnostic names the task's own read action and says that this one is not confirmed.
var taskSpeedLimitsTarget = readTarget{
	dataSource: "sms_task_speed_limits", request: "GET /v3/tasks/{task_id}/speed-limit", what: "task speed limits",
	title: "SMS Task Speed Limits", body: "a task's speed limits",
	permission: "read a task's speed limits: grant the IAM policy actions that read migration tasks, " +
		"such as sms:server:getTask; the action of this request is not confirmed",
}

func (d *taskSpeedLimitsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task_speed_limits"
}

// taskIDAttribute is the task_id argument of the data sources that read one task or a part of
// it, checked at plan time.
func taskIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: "ID of the migration task to read (path parameter `task_id`), as `sms_tasks` returns it. " +
			"Letters, digits, `-`, `_` and `.` only (current task ids are 36-character UUIDs; older API pages allowed " +
			"up to 255 characters). A task that does not exist fails the read with an error naming the id.",
		Validators: []validator.String{stringvalidator.RegexMatches(taskIDRegexp,
			"must be a task id: 1 to 255 letters, digits, '-', '_' or '.', not starting with '.'")},
	}
}

func (d *taskSpeedLimitsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := apiAttributes(reflect.TypeFor[smsapi.TaskSpeedLimits]())
	attrs["task_id"] = taskIDAttribute()
	attrs["timeouts"] = timeoutsAttribute(ctx)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the rate limits of one Huawei Cloud SMS migration task by time of day " +
			"(`GET /v3/tasks/{task_id}/speed-limit`). `speed_limit` is an empty list for a task without limits. " +
			"One request per read. Fields the API returns as null or leaves out are null here, never `\"\"` or `0`.",
		Attributes: attrs,
	}
}

func (d *taskSpeedLimitsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req, resp)
}

func (d *taskSpeedLimitsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, taskSpeedLimitsTarget, req, resp, readTaskSpeedLimits)
}

func readTaskSpeedLimits(ctx context.Context, r *dataSourceRead) error {
	taskID, err := requiredTaskID(r)
	if err != nil {
		return err
	}
	limits, err := r.client.ShowTaskSpeedLimits(ctx, taskID)
	if err != nil {
		return err
	}
	maps.Copy(r.state, apiObjectAttributes(reflect.ValueOf(limits).Elem(), r.stateType))
	return nil
}

// requiredTaskID returns the configured task_id.
func requiredTaskID(r *dataSourceRead) (string, error) {
	taskID := r.args.str("task_id")
	if r.args.err != nil {
		return "", r.args.err
	}
	if taskID == nil {
		return "", &argumentError{name: "task_id", err: errors.New("is required")}
	}
	return *taskID, nil
}
