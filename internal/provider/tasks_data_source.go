package provider

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*tasksDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*tasksDataSource)(nil)
)

// defaultReadTimeout bounds a whole read when `timeouts.read` is unset. Reading
// 65,535 tasks takes well under a minute, so this only stops reads that are stuck.
const defaultReadTimeout = 20 * time.Minute

// tasksEncoding writes the tasks attribute directly when the provider runs under NewServer.
var tasksEncoding = mustListEncoding[smsapi.Task]("tasks", tasksTFType)

// NewTasksDataSource is the constructor the provider registers.
func NewTasksDataSource() datasource.DataSource {
	return &tasksDataSource{}
}

// tasksDataSource is sms_tasks: every task that matches the filters, over every page.
type tasksDataSource struct {
	data *providerData
}

// tasksDataSourceModel is the data source's configuration and state, except the tasks
// themselves, which are written as raw values by the flattener.
type tasksDataSourceModel struct {
	ID                  types.String   `tfsdk:"id"`
	State               types.String   `tfsdk:"state"`
	Name                types.String   `tfsdk:"name"`
	TaskID              types.String   `tfsdk:"task_id"`
	SourceServerID      types.String   `tfsdk:"source_server_id"`
	EnterpriseProjectID types.String   `tfsdk:"enterprise_project_id"`
	PageSize            types.Int64    `tfsdk:"page_size"`
	SummaryOnly         types.Bool     `tfsdk:"summary_only"`
	TotalCount          types.Int64    `tfsdk:"total_count"`
	StateCounts         types.Map      `tfsdk:"state_counts"`
	TaskStates          types.Map      `tfsdk:"task_states"`
	Tasks               tasksValue     `tfsdk:"tasks"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (d *tasksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tasks"
}

func filterAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: description + " Unset filters are not sent.",
		Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
	}
}

func (d *tasksDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Huawei Cloud SMS migration tasks (`GET /v3/tasks`), reading every page, " +
			"for use in outputs, `for` expressions and CI gates: a `precondition` or `postcondition` stops the plan, " +
			"while a `check` block only warns. A read returns every matching task once or fails; it never returns part of " +
			"a listing that contradicts its own count.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Identifier derived from the filters: the same filters give the same id, run after run, " +
					"so it does not show up as a change in plans.",
			},
			"state": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only tasks in this state (query `state`). Validated at plan time, so a typo fails the plan " +
					"instead of returning no tasks and passing a gate. One of: `" + strings.Join(smsapi.TaskStates, "`, `") + "`.",
				Validators: []validator.String{stringvalidator.OneOf(smsapi.TaskStates...)},
			},
			"name":                  filterAttribute("Only the task with this name (query `name`)."),
			"task_id":               filterAttribute("Only the task with this ID (query `id`)."),
			"source_server_id":      filterAttribute("Only tasks of this source server (query `source_server_id`)."),
			"enterprise_project_id": filterAttribute("Only tasks of this enterprise project (query `enterprise_project_id`)."),
			"page_size": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Tasks requested per page (query `limit`), between 1 and 200; defaults to `200`. " +
					"The result does not depend on it; larger pages need fewer requests.",
				Validators: []validator.Int64{int64validator.Between(1, smsapi.MaxPageSize)},
			},
			"summary_only": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "When true, every page is still read but `tasks` is left null, keeping only `total_count`, " +
					"`state_counts` and `task_states`. Use it for gates over tens of thousands of tasks: the plan is faster " +
					"and the state far smaller. Defaults to `false`.",
			},
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of tasks that match the filters, as the API counts them (`count`).",
			},
			"state_counts": schema.MapAttribute{
				Computed:    true,
				ElementType: types.Int64Type,
				MarkdownDescription: "Number of returned tasks in each state, keyed by state; states with no task are absent, " +
					"so use `lookup(data.sms_tasks.all.state_counts, \"MIGRATE_FAIL\", 0)`. Tasks without a state are not counted.",
			},
			"task_states": schema.MapAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "State of each returned task, keyed by task ID. Set in both modes; tasks without an ID " +
					"are left out.",
			},
			"tasks":    tasksAttribute(),
			"timeouts": timeoutsAttribute(ctx),
		},
	}
}

func (d *tasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req, resp)
}

func (d *tasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured",
			"The sms provider was not configured before sms_tasks was read. This is a bug in the provider; please report it.")
		return
	}
	ctx = withSecretMasks(ctx, d.data.secrets)

	var model tasksDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	readTimeout, diags := model.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	query := model.query()
	started := time.Now()
	list, err := d.data.client.ListTasks(ctx, query)
	if err != nil {
		addReadError(&resp.Diagnostics, ctx, err, readTimeout, d.data.method)
		return
	}
	tflog.Debug(ctx, "read SMS tasks", map[string]any{
		"count": list.Count, "tasks": len(list.Items), "pages": list.Requests,
		"duplicates_dropped": list.DuplicatesDropped, "reread": list.Reread,
		"duration_ms": time.Since(started).Milliseconds(),
	})
	addIncompleteWarning(&resp.Diagnostics, list)

	model.ID = types.StringValue(filtersID(query))
	model.PageSize = types.Int64Value(int64(query.PageSize))
	model.SummaryOnly = types.BoolValue(model.SummaryOnly.ValueBool())
	model.TotalCount = types.Int64Value(list.Count)
	stateCounts, taskStates := summarize(list.Items)
	model.StateCounts = int64MapValue(stateCounts)
	// task_states has an entry per task, so it goes the way of the tasks (see below).
	model.TaskStates = types.MapNull(types.StringType)
	if !putStringMap(ctx, "task_states", taskStates) {
		model.TaskStates = stringMapValue(taskStates)
	}
	// Null when summary_only keeps the tasks out of the state, and when the server writes them
	// into the encoded state itself (direct_read.go); set through the framework otherwise.
	model.Tasks = tasksValue{}
	if !model.SummaryOnly.ValueBool() && !tasksEncoding.put(ctx, list.Items) {
		model.Tasks = newTasksValue(flattenTasks(list.Items))
	}
	// On the framework path the API structs are no longer needed: let them go before the state
	// is encoded. The direct path keeps list.Items until the server writes the state from it.
	list = nil

	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// query maps the configured filters to the API's query; unset filters stay nil and are not sent.
func (m tasksDataSourceModel) query() smsapi.ListTasksQuery {
	pageSize := smsapi.MaxPageSize
	if !m.PageSize.IsNull() && !m.PageSize.IsUnknown() {
		pageSize = int(m.PageSize.ValueInt64())
	}
	return smsapi.ListTasksQuery{
		State:               m.State.ValueStringPointer(),
		Name:                m.Name.ValueStringPointer(),
		ID:                  m.TaskID.ValueStringPointer(),
		SourceServerID:      m.SourceServerID.ValueStringPointer(),
		EnterpriseProjectID: m.EnterpriseProjectID.ValueStringPointer(),
		PageSize:            pageSize,
	}
}

// filtersID hashes the filters (not the page size, which does not change the result), so the
// same filters give the same id on every run and every machine.
func filtersID(q smsapi.ListTasksQuery) string {
	values := url.Values{}
	set := func(key string, value *string) {
		if value != nil {
			values.Set(key, *value)
		}
	}
	set("state", q.State)
	set("name", q.Name)
	set("id", q.ID)
	set("source_server_id", q.SourceServerID)
	set("enterprise_project_id", q.EnterpriseProjectID)
	return filtersHash(values.Encode())
}

// summarize counts tasks by state and maps task ids to states.
func summarize(tasks []smsapi.Task) (stateCounts map[string]int64, taskStates map[string]*string) {
	stateCounts = map[string]int64{}
	taskStates = make(map[string]*string, len(tasks))
	for i := range tasks {
		t := &tasks[i]
		if t.State != nil {
			stateCounts[*t.State]++
		}
		if t.ID != nil {
			taskStates[*t.ID] = t.State
		}
	}
	return stateCounts, taskStates
}

// The maps are built as attr.Values directly: MapValueFrom would reflect over every element.

func int64MapValue(m map[string]int64) types.Map {
	values := make(map[string]attr.Value, len(m))
	for k, n := range m {
		values[k] = types.Int64Value(n)
	}
	return types.MapValueMust(types.Int64Type, values)
}

func stringMapValue(m map[string]*string) types.Map {
	values := make(map[string]attr.Value, len(m))
	for k, s := range m {
		values[k] = types.StringPointerValue(s)
	}
	return types.MapValueMust(types.StringType, values)
}
