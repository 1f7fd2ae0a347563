package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// The reference model is the straightforward way to write the tasks: typed structs with tfsdk
// tags, written by the framework's reflection. It is far too slow for ten thousand tasks, which
// is why the provider has a hand-written flattener, but it is the definition of right: the
// flattener must produce exactly the value the reflective path produces.

type refDataSourceModel struct {
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
	Tasks               []refTask      `tfsdk:"tasks"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

type refTask struct {
	ID                   types.String         `tfsdk:"id"`
	Name                 types.String         `tfsdk:"name"`
	Type                 types.String         `tfsdk:"type"`
	OSType               types.String         `tfsdk:"os_type"`
	State                types.String         `tfsdk:"state"`
	EstimateCompleteTime types.Int64          `tfsdk:"estimate_complete_time"`
	CreateDate           types.Int64          `tfsdk:"create_date"`
	Priority             types.Int64          `tfsdk:"priority"`
	SpeedLimit           types.Int64          `tfsdk:"speed_limit"`
	MigrateSpeed         types.Float64        `tfsdk:"migrate_speed"`
	CompressRate         types.Float64        `tfsdk:"compress_rate"`
	StartTargetServer    types.Bool           `tfsdk:"start_target_server"`
	ErrorJSON            types.String         `tfsdk:"error_json"`
	TotalTime            types.Int64          `tfsdk:"total_time"`
	MigrationIP          types.String         `tfsdk:"migration_ip"`
	SubTasks             []refSubTask         `tfsdk:"sub_tasks"`
	SourceServer         *refSourceServer     `tfsdk:"source_server"`
	EnterpriseProjectID  types.String         `tfsdk:"enterprise_project_id"`
	TargetServer         *refTargetServer     `tfsdk:"target_server"`
	LogCollectStatus     types.String         `tfsdk:"log_collect_status"`
	CloneServer          *refCloneServer      `tfsdk:"clone_server"`
	Syncing              types.Bool           `tfsdk:"syncing"`
	NetworkCheckInfo     *refNetworkCheckInfo `tfsdk:"network_check_info"`
	SpecialConfig        []refConfig          `tfsdk:"special_config"`
	TotalCPUUsage        types.Float64        `tfsdk:"total_cpu_usage"`
	AgentCPUUsage        types.Float64        `tfsdk:"agent_cpu_usage"`
	TotalMemUsage        types.Float64        `tfsdk:"total_mem_usage"`
	AgentMemUsage        types.Float64        `tfsdk:"agent_mem_usage"`
	TotalDiskIO          types.Float64        `tfsdk:"total_disk_io"`
	AgentDiskIO          types.Float64        `tfsdk:"agent_disk_io"`
	NeedMigrationTest    types.Bool           `tfsdk:"need_migration_test"`
	SubtaskInfo          types.String         `tfsdk:"subtask_info"`
}

type refSubTask struct {
	ID           types.Int64  `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Progress     types.Int64  `tfsdk:"progress"`
	StartDate    types.Int64  `tfsdk:"start_date"`
	EndDate      types.Int64  `tfsdk:"end_date"`
	ProcessTrace types.String `tfsdk:"process_trace"`
}

type refSourceServer struct {
	ID        types.String `tfsdk:"id"`
	IP        types.String `tfsdk:"ip"`
	Name      types.String `tfsdk:"name"`
	OSType    types.String `tfsdk:"os_type"`
	OSVersion types.String `tfsdk:"os_version"`
	OEMSystem types.Bool   `tfsdk:"oem_system"`
	State     types.String `tfsdk:"state"`
}

type refTargetServer struct {
	ID        types.String `tfsdk:"id"`
	VMID      types.String `tfsdk:"vm_id"`
	Name      types.String `tfsdk:"name"`
	IP        types.String `tfsdk:"ip"`
	OSType    types.String `tfsdk:"os_type"`
	OSVersion types.String `tfsdk:"os_version"`
}

type refCloneServer struct {
	VMID types.String `tfsdk:"vm_id"`
	Name types.String `tfsdk:"name"`
}

type refNetworkCheckInfo struct {
	DomainConnectivity      types.Bool    `tfsdk:"domain_connectivity"`
	DestinationConnectivity types.Bool    `tfsdk:"destination_connectivity"`
	NetworkDelay            types.Float64 `tfsdk:"network_delay"`
	NetworkJitter           types.Float64 `tfsdk:"network_jitter"`
	MigrationSpeed          types.Float64 `tfsdk:"migration_speed"`
	LossPercentage          types.Float64 `tfsdk:"loss_percentage"`
	CPUUsage                types.Float64 `tfsdk:"cpu_usage"`
	MemUsage                types.Float64 `tfsdk:"mem_usage"`
	EvaluationResult        types.String  `tfsdk:"evaluation_result"`
}

type refConfig struct {
	ConfigKey    types.String `tfsdk:"config_key"`
	ConfigValue  types.String `tfsdk:"config_value"`
	ConfigStatus types.String `tfsdk:"config_status"`
}

func refTaskOf(t *smsapi.Task) refTask {
	r := refTask{
		ID:                   types.StringPointerValue(t.ID),
		Name:                 types.StringPointerValue(t.Name),
		Type:                 types.StringPointerValue(t.Type),
		OSType:               types.StringPointerValue(t.OSType),
		State:                types.StringPointerValue(t.State),
		EstimateCompleteTime: types.Int64PointerValue(t.EstimateCompleteTime),
		CreateDate:           types.Int64PointerValue(t.CreateDate),
		Priority:             types.Int64PointerValue(t.Priority),
		SpeedLimit:           types.Int64PointerValue(t.SpeedLimit),
		MigrateSpeed:         types.Float64PointerValue(t.MigrateSpeed),
		CompressRate:         types.Float64PointerValue(t.CompressRate),
		StartTargetServer:    types.BoolPointerValue(t.StartTargetServer),
		ErrorJSON:            types.StringPointerValue(t.ErrorJSON),
		TotalTime:            types.Int64PointerValue(t.TotalTime),
		MigrationIP:          types.StringPointerValue(t.MigrationIP),
		EnterpriseProjectID:  types.StringPointerValue(t.EnterpriseProjectID),
		LogCollectStatus:     types.StringPointerValue(t.LogCollectStatus),
		Syncing:              types.BoolPointerValue(t.Syncing),
		TotalCPUUsage:        types.Float64PointerValue(t.TotalCPUUsage),
		AgentCPUUsage:        types.Float64PointerValue(t.AgentCPUUsage),
		TotalMemUsage:        types.Float64PointerValue(t.TotalMemUsage),
		AgentMemUsage:        types.Float64PointerValue(t.AgentMemUsage),
		TotalDiskIO:          types.Float64PointerValue(t.TotalDiskIO),
		AgentDiskIO:          types.Float64PointerValue(t.AgentDiskIO),
		NeedMigrationTest:    types.BoolPointerValue(t.NeedMigrationTest),
		SubtaskInfo:          types.StringPointerValue(t.SubtaskInfo),
	}
	// A nil slice is a null list and an empty one an empty list, in the reflective path too.
	if t.SubTasks != nil {
		r.SubTasks = make([]refSubTask, len(t.SubTasks))
		for i, s := range t.SubTasks {
			r.SubTasks[i] = refSubTask{
				ID:           types.Int64PointerValue(s.ID),
				Name:         types.StringPointerValue(s.Name),
				Progress:     types.Int64PointerValue(s.Progress),
				StartDate:    types.Int64PointerValue(s.StartDate),
				EndDate:      types.Int64PointerValue(s.EndDate),
				ProcessTrace: types.StringPointerValue(s.ProcessTrace),
			}
		}
	}
	if s := t.SourceServer; s != nil {
		r.SourceServer = &refSourceServer{
			ID: types.StringPointerValue(s.ID), IP: types.StringPointerValue(s.IP), Name: types.StringPointerValue(s.Name),
			OSType: types.StringPointerValue(s.OSType), OSVersion: types.StringPointerValue(s.OSVersion),
			OEMSystem: types.BoolPointerValue(s.OEMSystem), State: types.StringPointerValue(s.State),
		}
	}
	if s := t.TargetServer; s != nil {
		r.TargetServer = &refTargetServer{
			ID: types.StringPointerValue(s.ID), VMID: types.StringPointerValue(s.VMID), Name: types.StringPointerValue(s.Name),
			IP: types.StringPointerValue(s.IP), OSType: types.StringPointerValue(s.OSType), OSVersion: types.StringPointerValue(s.OSVersion),
		}
	}
	if s := t.CloneServer; s != nil {
		r.CloneServer = &refCloneServer{VMID: types.StringPointerValue(s.VMID), Name: types.StringPointerValue(s.Name)}
	}
	if n := t.NetworkCheckInfo; n != nil {
		r.NetworkCheckInfo = &refNetworkCheckInfo{
			DomainConnectivity:      types.BoolPointerValue(n.DomainConnectivity),
			DestinationConnectivity: types.BoolPointerValue(n.DestinationConnectivity),
			NetworkDelay:            types.Float64PointerValue(n.NetworkDelay),
			NetworkJitter:           types.Float64PointerValue(n.NetworkJitter),
			MigrationSpeed:          types.Float64PointerValue(n.MigrationSpeed),
			LossPercentage:          types.Float64PointerValue(n.LossPercentage),
			CPUUsage:                types.Float64PointerValue(n.CPUUsage),
			MemUsage:                types.Float64PointerValue(n.MemUsage),
			EvaluationResult:        types.StringPointerValue(n.EvaluationResult),
		}
	}
	if t.SpecialConfig != nil {
		r.SpecialConfig = make([]refConfig, len(t.SpecialConfig))
		for i, c := range t.SpecialConfig {
			r.SpecialConfig[i] = refConfig{
				ConfigKey:    types.StringPointerValue(c.ConfigKey),
				ConfigValue:  types.StringPointerValue(c.ConfigValue),
				ConfigStatus: types.StringPointerValue(c.ConfigStatus),
			}
		}
	}
	return r
}

// referenceTasksValue writes tasks through State.Set with the data source's own schema and
// returns the resulting value of the tasks attribute.
func referenceTasksValue(t *testing.T, tasks []smsapi.Task) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	NewTasksDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	if schemaResp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", schemaResp.Diagnostics)
	}
	model := refDataSourceModel{
		StateCounts: types.MapNull(types.Int64Type),
		TaskStates:  types.MapNull(types.StringType),
		Tasks:       make([]refTask, len(tasks)),
		Timeouts:    timeouts.Value{Object: types.ObjectNull(timeoutsAttributeTypes(t, schemaResp))},
	}
	for i := range tasks {
		model.Tasks[i] = refTaskOf(&tasks[i])
	}
	state := tfsdk.State{Schema: schemaResp.Schema}
	if diags := state.Set(ctx, &model); diags.HasError() {
		t.Fatalf("reflective State.Set: %v", diags)
	}
	attributes := map[string]tftypes.Value{}
	if err := state.Raw.As(&attributes); err != nil {
		t.Fatal(err)
	}
	return attributes["tasks"]
}

// timeoutsAttributeTypes reads the attribute types of the timeouts attribute from the schema, so
// the reference model does not depend on which timeouts it declares.
func timeoutsAttributeTypes(t *testing.T, resp datasource.SchemaResponse) map[string]attr.Type {
	t.Helper()
	attribute, ok := resp.Schema.Attributes["timeouts"]
	if !ok {
		t.Fatal("the schema has no timeouts attribute")
	}
	objType, ok := attribute.GetType().(attr.TypeWithAttributeTypes)
	if !ok {
		t.Fatalf("the timeouts attribute is a %T, want an object type", attribute.GetType())
	}
	return objType.AttributeTypes()
}

// decodeAPITasks decodes task JSON the way the client does, into the client's own structs.
func decodeAPITasks(tb testing.TB, raw []json.RawMessage) []smsapi.Task {
	tb.Helper()
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range raw {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(r)
	}
	b.WriteByte(']')
	var tasks []smsapi.Task
	if err := json.Unmarshal([]byte(b.String()), &tasks); err != nil {
		tb.Fatalf("decoding tasks: %v", err)
	}
	return tasks
}

// assertSameTasksValue fails with the first differences when got is not exactly want.
func assertSameTasksValue(t *testing.T, got, want tftypes.Value) {
	t.Helper()
	if got.Equal(want) {
		return
	}
	diffs, err := got.Diff(want)
	if err != nil {
		t.Fatalf("the flattener's value differs from the reflective one, and they cannot be compared: %v", err)
	}
	var b strings.Builder
	for i, d := range diffs {
		if i == 10 {
			fmt.Fprintf(&b, "\n... and %d more", len(diffs)-i)
			break
		}
		fmt.Fprintf(&b, "\n%s: flattener %s, reflection %s", d.Path, valueString(d.Value1), valueString(d.Value2))
	}
	t.Fatalf("the flattener's value differs from the reflective one in %d place(s):%s", len(diffs), b.String())
}

func valueString(v *tftypes.Value) string {
	if v == nil {
		return "(absent)"
	}
	return v.String()
}

// The three tasks of the API reference's example, with their nulls, empty strings and shared id.
func TestFlattenTasks_MatchesReflectionOnExample(t *testing.T) {
	tasks := decodeAPITasks(t, emulator.ExampleTasks())
	if len(tasks) != 3 {
		t.Fatalf("got %d example tasks, want 3", len(tasks))
	}
	assertSameTasksValue(t, flattenTasks(tasks), referenceTasksValue(t, tasks))
}

// Generated tasks take every shape the API allows (null, absent, empty and filled nested
// values, numbers beyond 2^53 from task 13 on): one hundred of them cover the same statements of
// the flattener, the generator and the client's decoding as two thousand do (go test
// -coverprofile), in a twentieth of the time.
func TestFlattenTasks_MatchesReflectionOnGenerated(t *testing.T) {
	t.Parallel()
	tasks := decodeAPITasks(t, emulator.GenerateTasks(100, 11))
	assertSameTasksValue(t, flattenTasks(tasks), referenceTasksValue(t, tasks))
}

// An empty list stays an empty list, not null: zero matching tasks is an answer.
func TestFlattenTasks_EmptyIsNotNull(t *testing.T) {
	got := flattenTasks([]smsapi.Task{})
	if got.IsNull() || !got.IsKnown() {
		t.Fatalf("flattenTasks(empty) = %s, want an empty list", got)
	}
	assertSameTasksValue(t, got, referenceTasksValue(t, []smsapi.Task{}))
}

// tasksValue stands in for a framework list: null by default, the same Terraform value in and
// out, equal to what it was copied from, and convertible to a framework list on demand.
func TestTasksValue_BehavesAsAList(t *testing.T) {
	ctx := context.Background()
	var null tasksValue
	if !null.IsNull() || null.IsUnknown() {
		t.Fatal("the zero tasksValue is not null")
	}
	if raw, err := null.ToTerraformValue(ctx); err != nil || !raw.IsNull() || !raw.Type().Equal(tasksTFType) {
		t.Fatalf("null ToTerraformValue = %s, %v", raw, err)
	}

	raw := flattenTasks(decodeAPITasks(t, emulator.ExampleTasks()))
	got, err := tasksListType.ValueFromTerraform(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := got.(tasksValue)
	if !ok {
		t.Fatalf("ValueFromTerraform returned %T", got)
	}
	if out, _ := v.ToTerraformValue(ctx); !out.Equal(raw) {
		t.Error("the Terraform value changed on the way through")
	}
	if !v.Equal(v) || !v.Equal(newTasksValue(raw.Copy())) || v.Equal(null) || null.Equal(v) {
		t.Error("Equal does not follow the values")
	}
	if !v.Type(ctx).Equal(tasksListType) || v.String() != "<3 tasks>" {
		t.Errorf("Type %s, String %q", v.Type(ctx), v.String())
	}

	list, diags := v.ToListValue(ctx)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want, err := tasksListType.ListType.ValueFromTerraform(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if !list.Equal(want) || len(list.Elements()) != 3 {
		t.Errorf("ToListValue = %s, want the framework's own conversion", list)
	}
	if _, err := tasksListType.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)); err == nil {
		t.Error("a list of strings was accepted as tasks")
	}
}
