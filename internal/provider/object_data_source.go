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

// objectDataSource is a data source that reads one API object, by an id argument or, for an
// object of the whole account, without one: sms_task, the task's sub-resources, a migration
// project, a source server's detail, a template. Its schema is the object's derived attributes,
// with the id argument and timeouts; a new one is a constructor.
type objectDataSource[T any] struct {
	data *providerData
	// typeName follows the provider's name: "_task".
	typeName    string
	target      readTarget
	description string
	// id is the argument the object is read by; nil when it has none.
	id   *idArgument
	show func(c *smsapi.Client, ctx context.Context, id string) (*T, error)
}

var (
	_ datasource.DataSource              = (*objectDataSource[smsapi.TaskDetail])(nil)
	_ datasource.DataSourceWithConfigure = (*objectDataSource[smsapi.TaskDetail])(nil)
)

// idArgument is the required argument that names the object to read, checked at plan time
// against the characters of the ids SMS issues. When the object has a field of the same name,
// the client checks it against the argument, and the argument is what the state keeps.
type idArgument struct {
	name        string
	description string
}

var taskIDArgument = &idArgument{name: "task_id", description: "ID of the migration task to read (path parameter " +
	"`task_id`), as `sms_tasks` returns it."}

func (a *idArgument) attribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: a.description + " Letters, digits, `-`, `_` and `.` only (current ids are 36-character " +
			"UUIDs; the API allows up to 255 characters). An id that names nothing fails the read with an error naming it.",
		Validators: []validator.String{stringvalidator.RegexMatches(idRegexp,
			"must be an id: 1 to 255 letters, digits, '-', '_' or '.', not starting with '.'")},
	}
}

// NewTaskDataSource is sms_task: the detail of one migration task, GET /v3/tasks/{task_id}, with
// every field of the response at the top level.
func NewTaskDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.TaskDetail]{typeName: "_task", target: taskTarget, id: taskIDArgument, show: (*smsapi.Client).ShowTask,
		description: "Reads one Huawei Cloud SMS migration task (`GET /v3/tasks/{task_id}`): every field of the " +
			"detail at the top level, including those the task list lacks, such as `start_date`, `finish_date`, " +
			"`remain_seconds` (the ETA), per-subtask `migrate_speed` and the target server's disks. One request per read. " +
			"Fields the API returns as null or leaves out are null here, never `\"\"`, `0` or `false`."}
}

// NewTaskSpeedLimitsDataSource is sms_task_speed_limits: the rate limits of one migration task by
// time of day, GET /v3/tasks/{task_id}/speed-limit.
func NewTaskSpeedLimitsDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.TaskSpeedLimits]{typeName: "_task_speed_limits", target: taskSpeedLimitsTarget, id: taskIDArgument,
		show: (*smsapi.Client).ShowTaskSpeedLimits,
		description: "Reads the rate limits of one Huawei Cloud SMS migration task by time of day " +
			"(`GET /v3/tasks/{task_id}/speed-limit`). `speed_limit` is an empty list for a task without limits. " +
			"One request per read. Fields the API returns as null or leaves out are null here, never `\"\"` or `0`."}
}

// NewTaskConfigurationDataSource is sms_task_configuration: the advanced settings of one migration
// task, GET /v3/tasks/{task_id}/configuration-setting.
func NewTaskConfigurationDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.TaskConfiguration]{typeName: "_task_configuration", target: taskConfigurationTarget, id: taskIDArgument,
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

func (d *objectDataSource[T]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeName
}

func (d *objectDataSource[T]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := apiAttributes(reflect.TypeFor[T]())
	if d.id != nil {
		attrs[d.id.name] = d.id.attribute()
	}
	attrs["timeouts"] = timeoutsAttribute(ctx)
	resp.Schema = schema.Schema{MarkdownDescription: d.description, Attributes: attrs}
}

func (d *objectDataSource[T]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *objectDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, d.target, req, resp, d.read)
}

func (d *objectDataSource[T]) read(ctx context.Context, r *dataSourceRead) error {
	var id string
	if d.id != nil {
		arg := r.args.str(d.id.name)
		if r.args.err != nil {
			return r.args.err
		}
		if arg == nil {
			return &argumentError{name: d.id.name, err: errors.New("is required")}
		}
		id = *arg
	}
	object, err := d.show(r.client, ctx, id)
	if err != nil {
		return err
	}
	// A map with two keys Terraform would store as one fails the read, naming the keys.
	if err := checkAPIMapKeys("", reflect.ValueOf(object)); err != nil {
		return err
	}
	attrs := apiObjectAttributes(reflect.ValueOf(object).Elem(), r.stateType)
	if d.id != nil {
		delete(attrs, d.id.name) // The configured id stays, as the state's argument.
	}
	maps.Copy(r.state, attrs)
	return nil
}
