package provider

import (
	"context"
	"maps"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*taskDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*taskDataSource)(nil)
)

// NewTaskDataSource is the constructor the provider registers.
func NewTaskDataSource() datasource.DataSource {
	return &taskDataSource{}
}

// taskDataSource is sms_task: the detail of one migration task, GET /v3/tasks/{task_id}, with
// every field of the response at the top level.
type taskDataSource struct {
	data *providerData
}

var taskTarget = readTarget{
	dataSource: "sms_task", request: "GET /v3/tasks/{task_id}", what: "task", title: "SMS Task", body: "a task",
	permission: "read migration tasks: grant the IAM policy action sms:server:getTask",
}

func (d *taskDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task"
}

func taskSchema(ctx context.Context) schema.Schema {
	attrs := apiAttributes(reflect.TypeFor[smsapi.TaskDetail]())
	attrs["task_id"] = taskIDAttribute()
	attrs["timeouts"] = timeoutsAttribute(ctx)
	return schema.Schema{
		MarkdownDescription: "Reads one Huawei Cloud SMS migration task (`GET /v3/tasks/{task_id}`): every field of the " +
			"detail at the top level, including those the task list lacks, such as `start_date`, `finish_date`, " +
			"`remain_seconds` (the ETA), per-subtask `migrate_speed` and the target server's disks. One request per read. " +
			"Fields the API returns as null or leaves out are null here, never `\"\"`, `0` or `false`.",
		Attributes: attrs,
	}
}

func (d *taskDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = taskSchema(ctx)
}

func (d *taskDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req, resp)
}

func (d *taskDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, taskTarget, req, resp, readTask)
}

func readTask(ctx context.Context, r *dataSourceRead) error {
	taskID, err := requiredTaskID(r)
	if err != nil {
		return err
	}
	detail, err := r.client.ShowTask(ctx, taskID)
	if err != nil {
		return err
	}
	maps.Copy(r.state, apiObjectAttributes(reflect.ValueOf(detail).Elem(), r.stateType))
	return nil
}
