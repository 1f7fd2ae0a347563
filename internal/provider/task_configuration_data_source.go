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
	_ datasource.DataSource              = (*taskConfigurationDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*taskConfigurationDataSource)(nil)
)

// NewTaskConfigurationDataSource is the constructor the provider registers.
func NewTaskConfigurationDataSource() datasource.DataSource {
	return &taskConfigurationDataSource{}
}

// taskConfigurationDataSource is sms_task_configuration: the advanced settings of one migration
// task, GET /v3/tasks/{task_id}/configuration-setting.
type taskConfigurationDataSource struct {
	data *providerData
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

func (d *taskConfigurationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task_configuration"
}

func (d *taskConfigurationDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := apiAttributes(reflect.TypeFor[smsapi.TaskConfiguration]())
	attrs["task_id"] = taskIDAttribute() // The API's task_id is the argument, checked against it.
	attrs["timeouts"] = timeoutsAttribute(ctx)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the advanced settings of one Huawei Cloud SMS migration task " +
			"(`GET /v3/tasks/{task_id}/configuration-setting`): its `migrate_type` and its `configurations`, " +
			"such as excluded directories, process counts and CPU, memory and I/O limits. One request per read. " +
			"Fields the API returns as null or leaves out are null here, never `\"\"`.",
		Attributes: attrs,
	}
}

func (d *taskConfigurationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req, resp)
}

func (d *taskConfigurationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, taskConfigurationTarget, req, resp, readTaskConfiguration)
}

func readTaskConfiguration(ctx context.Context, r *dataSourceRead) error {
	taskID, err := requiredTaskID(r)
	if err != nil {
		return err
	}
	config, err := r.client.ShowTaskConfiguration(ctx, taskID)
	if err != nil {
		return err
	}
	attrs := apiObjectAttributes(reflect.ValueOf(config).Elem(), r.stateType)
	delete(attrs, "task_id") // The client checked it against the argument, which stays as configured.
	maps.Copy(r.state, attrs)
	return nil
}
