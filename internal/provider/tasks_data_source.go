package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*tasksDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*tasksDataSource)(nil)
)

// tasksEncoding writes the tasks attribute directly when the provider runs under NewServer.
var tasksEncoding = directstate.MustList[smsapi.Task]("tasks", terraformTypeOf(tasksAttribute().GetType()), derivedOf)

// NewTasksDataSource is the constructor the provider registers.
func NewTasksDataSource() datasource.DataSource {
	return &tasksDataSource{}
}

// tasksDataSource is sms_tasks: every task that matches the filters, over every page.
type tasksDataSource struct {
	data *providerData
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
			"while a `check` block only warns. A read returns every matching task or fails; it never returns part of " +
			"a listing that contradicts its own count. A task seen again on a later page is kept once; the entries of " +
			"one page are all kept, as the API sends them.",
		Attributes: withAttributes(tasksFilters.dataSourceAttributes(), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Identifier derived from the filters: the same filters give the same id, run after run, " +
					"so it does not show up as a change in plans.",
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
			"wait":     waitAttribute(&smsapi.TaskWait, "sms_tasks"),
		}),
	}
}

func (d *tasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *tasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readWithWait(ctx, d.data, tasksTarget, req, resp, readTasks)
}

// tasksFilters are the filter arguments of sms_tasks, also those of the sms_wait action's tasks.
var tasksFilters = filterTable[smsapi.ListTasksQuery]{
	noun: "tasks",
	arguments: []filterArgument[smsapi.ListTasksQuery]{
		{name: "state", description: "Only tasks in this state (query `state`).", values: smsapi.TaskStates,
			str: func(q *smsapi.ListTasksQuery) **string { return &q.State }},
		{name: "name", description: "Only the task with this name (query `name`).",
			str: func(q *smsapi.ListTasksQuery) **string { return &q.Name }},
		{name: "task_id", description: "Only the task with this ID (query `id`).",
			str: func(q *smsapi.ListTasksQuery) **string { return &q.ID }},
		{name: "source_server_id", description: "Only tasks of this source server (query `source_server_id`).",
			str: func(q *smsapi.ListTasksQuery) **string { return &q.SourceServerID }},
		{name: "enterprise_project_id", description: "Only tasks of this enterprise project (query `enterprise_project_id`).",
			str: func(q *smsapi.ListTasksQuery) **string { return &q.EnterpriseProjectID }},
	},
	pageSizeDescription: "Tasks requested per page (query `limit`), a whole number between 1 and 200; defaults to `200`. " +
		"Each page after the first starts at the last task of the page before, so a listing of n tasks takes " +
		"1 + ceil((n - page_size) / (page_size - 1)) requests; `1` is asked as pages of 2. The result does not " +
		"depend on it; larger pages need fewer requests.",
	pageSize: func(q *smsapi.ListTasksQuery) *int { return &q.PageSize },
}

// tasksAttribute is the list of tasks, each with every field of smsapi.Task.
func tasksAttribute() schema.ListNestedAttribute {
	return listAttribute[smsapi.Task]("Tasks that match the filters, in the order the API returns them (never sorted).")
}

func readTasks(ctx context.Context, r *dataSourceRead) error {
	q := tasksFilters.query(&r.args)
	list, err := readListing(ctx, r, tasksEncoding, q.Values(), q.PageSize, func(ctx context.Context) (*smsapi.TaskList, error) {
		return waitForListing(ctx, r, &smsapi.TaskWait, func(ctx context.Context) (*smsapi.TaskList, error) {
			return r.client.ListTasks(ctx, q)
		})
	})
	if err != nil {
		return err
	}
	err = setCounts(r, list.Items, map[string]func(*smsapi.Task) *string{"state_counts": func(t *smsapi.Task) *string { return t.State }})
	if err != nil {
		return err
	}
	// task_states has an entry per task, so it goes the way of the tasks.
	taskStates := taskStatesOf(list.Items)
	if err := checkMapKeys("task_states", taskStates); err != nil {
		return err
	}
	if !directstate.PutStringMap(ctx, "task_states", taskStates) {
		r.state["task_states"] = stringMapValue(taskStates)
	}
	return nil
}

// taskStatesOf maps task ids to states; tasks without an id are left out.
func taskStatesOf(tasks []smsapi.Task) map[string]*string {
	taskStates := make(map[string]*string, len(tasks))
	for i := range tasks {
		if t := &tasks[i]; t.ID != nil {
			taskStates[*t.ID] = t.State
		}
	}
	return taskStates
}

// stringMapValue is a map of strings, a nil value as null, as a tftypes value.
func stringMapValue(m map[string]*string) tftypes.Value {
	values := make(map[string]tftypes.Value, len(m))
	for k, s := range m {
		values[k] = stringValue(s)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, values)
}
