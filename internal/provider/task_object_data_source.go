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

// taskObjectDataSource is a data source that reads one API object of a task by its task_id:
// sms_task (the task's detail) and the task's sub-resources. Its schema is the object's derived
// attributes, with task_id and timeouts; a new one is a constructor below.
type taskObjectDataSource[T any] struct {
	data *providerData
	// typeName follows the provider's name: "_task".
	typeName    string
	target      readTarget
	description string
	show        func(c *smsapi.Client, ctx context.Context, taskID string) (*T, error)
}

var (
	_ datasource.DataSource              = (*taskObjectDataSource[smsapi.TaskDetail])(nil)
	_ datasource.DataSourceWithConfigure = (*taskObjectDataSource[smsapi.TaskDetail])(nil)
)

// NewTaskDataSource is sms_task: the detail of one migration task, GET /v3/tasks/{task_id}, with
// every field of the response at the top level.
func NewTaskDataSource() datasource.DataSource {
	return &taskObjectDataSource[smsapi.TaskDetail]{typeName: "_task", target: taskTarget, show: (*smsapi.Client).ShowTask,
		description: "Reads one Huawei Cloud SMS migration task (`GET /v3/tasks/{task_id}`): every field of the " +
			"detail at the top level, including those the task list lacks, such as `start_date`, `finish_date`, " +
			"`remain_seconds` (the ETA), per-subtask `migrate_speed` and the target server's disks. One request per read. " +
			"Fields the API returns as null or leaves out are null here, never `\"\"`, `0` or `false`."}
}

// NewTaskSpeedLimitsDataSource is sms_task_speed_limits: the rate limits of one migration task by
// time of day, GET /v3/tasks/{task_id}/speed-limit.
func NewTaskSpeedLimitsDataSource() datasource.DataSource {
	return &taskObjectDataSource[smsapi.TaskSpeedLimits]{typeName: "_task_speed_limits", target: taskSpeedLimitsTarget,
		show: (*smsapi.Client).ShowTaskSpeedLimits,
		description: "Reads the rate limits of one Huawei Cloud SMS migration task by time of day " +
			"(`GET /v3/tasks/{task_id}/speed-limit`). `speed_limit` is an empty list for a task without limits. " +
			"One request per read. Fields the API returns as null or leaves out are null here, never `\"\"` or `0`."}
}

// NewTaskConfigurationDataSource is sms_task_configuration: the advanced settings of one migration
// task, GET /v3/tasks/{task_id}/configuration-setting.
func NewTaskConfigurationDataSource() datasource.DataSource {
	return &taskObjectDataSource[smsapi.TaskConfiguration]{typeName: "_task_configuration", target: taskConfigurationTarget,
		show: (*smsapi.Client).ShowTaskConfiguration,
		description: "Reads the advanced settings of one Huawei Cloud SMS migration task " +
			"(`GET /v3/tasks/{task_id}/configuration-setting`): its `migrate_type` and its `configurations`, " +
			"such as excluded directories, process counts and CPU, memory and I/O limits. One request per read. " +
			"Fields the API returns as null or leaves out are null here, never `\"\"`."}
}

var taskTarget = readTarget{
	dataSource: "sms_task", request: "GET /v3/tasks/{task_id}", what: "task", title: "SMS Task", body: "a task",
	permission: "read migration tasks: grant the IAM policy action sms:server:getTask",
}

// The SDK names the call ShowsSpeedLimits; neither it nor the API reference names its IAM action,
// so the diagnostic names the task's own read action and says that this one is not confirmed.
var taskSpeedLimitsTarget = readTarget{
	dataSource: "sms_task_speed_limits", request: "GET /v3/tasks/{task_id}/speed-limit", what: "task speed limits",
	title: "SMS Task Speed Limits", body: "a task's speed limits",
	permission: "read a task's speed limits: grant the IAM policy actions that read migration tasks, " +
		"such as sms:server:getTask; the action of this request is not confirmed",
}

// The SDK names the call ShowConfigSetting; neither it nor the API reference names its IAM
// action, so the diagnostic names the task's own read action and says that this one is not
// confirmed.
var taskConfigurationTarget = readTarget{
	dataSource: "sms_task_configuration", request: "GET /v3/tasks/{task_id}/configuration-setting",
	what: "task configuration", title: "SMS Task Configuration", body: "a task's configuration",
	permission: "read a task's configuration: grant the IAM policy actions that read migration tasks, " +
		"such as sms:server:getTask; the action of this request is not confirmed",
}

func (d *taskObjectDataSource[T]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeName
}

func (d *taskObjectDataSource[T]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := apiAttributes(reflect.TypeFor[T]())
	attrs["task_id"] = taskIDAttribute() // An object's own task_id is checked against it by the client.
	attrs["timeouts"] = timeoutsAttribute(ctx)
	resp.Schema = schema.Schema{MarkdownDescription: d.description, Attributes: attrs}
}

func (d *taskObjectDataSource[T]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req, resp)
}

func (d *taskObjectDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, d.target, req, resp, d.read)
}

func (d *taskObjectDataSource[T]) read(ctx context.Context, r *dataSourceRead) error {
	taskID := r.args.str("task_id")
	if r.args.err != nil {
		return r.args.err
	}
	if taskID == nil {
		return &argumentError{name: "task_id", err: errors.New("is required")}
	}
	object, err := d.show(r.client, ctx, *taskID)
	if err != nil {
		return err
	}
	attrs := apiObjectAttributes(reflect.ValueOf(object).Elem(), r.stateType)
	delete(attrs, "task_id") // The configured task_id stays, as the state's argument.
	maps.Copy(r.state, attrs)
	return nil
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
