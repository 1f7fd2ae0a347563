package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// The flattener turns API structs straight into terraform-plugin-go values. Going through the
// framework's reflection (State.Set of a []struct model) costs several gigabytes of allocations
// for ten thousand tasks; building tftypes values directly costs a small fraction of that. A nil
// pointer becomes a null value of the attribute's type, so JSON null stays null in the state.
//
// tftypes values are immutable (Copy and As copy what they hand out), so one value can sit in
// many places of the tree. The flattener uses that to avoid allocations that dominate its cost:
// one null per type, one value per small whole number, and one value per distinct string of the
// fields that take a handful of values (states, OS types, step names). Unique fields (ids, names,
// addresses, dates) get values of their own.

// The primitive types as interface values: tftypes.String is a struct, and converting it to
// tftypes.Type on every call would allocate a copy each time.
var (
	stringType tftypes.Type = tftypes.String
	numberType tftypes.Type = tftypes.Number
	boolType   tftypes.Type = tftypes.Bool
)

// One null per type, shared by every task.
var (
	nullString       = tftypes.NewValue(stringType, nil)
	nullNumber       = tftypes.NewValue(numberType, nil)
	nullBool         = tftypes.NewValue(boolType, nil)
	trueValue        = tftypes.NewValue(boolType, true)
	falseValue       = tftypes.NewValue(boolType, false)
	nullSubTasks     = tftypes.NewValue(subTaskType, nil)
	nullSourceServer = tftypes.NewValue(sourceServerType, nil)
	nullTargetServer = tftypes.NewValue(targetServerType, nil)
	nullCloneServer  = tftypes.NewValue(cloneServerType, nil)
	nullNetworkCheck = tftypes.NewValue(networkCheckType, nil)
	nullSpecialConf  = tftypes.NewValue(specialConfType, nil)
)

// smallInts holds the Number values 0 to len-1: priorities, progress percentages, speed limits
// and zero rates fall in this range, and each would otherwise cost a big.Float of its own.
var smallInts = func() []tftypes.Value {
	values := make([]tftypes.Value, 1024)
	for i := range values {
		values[i] = tftypes.NewValue(numberType, new(big.Float).SetInt64(int64(i)))
	}
	return values
}()

// flattener holds the values shared within one flattenTasks call.
type flattener struct {
	enums map[string]tftypes.Value
}

// flattenTasks returns the value of the tasks attribute.
func flattenTasks(tasks []smsapi.Task) tftypes.Value {
	f := flattener{enums: make(map[string]tftypes.Value, 64)}
	values := make([]tftypes.Value, len(tasks))
	for i := range tasks {
		values[i] = f.task(&tasks[i])
	}
	return tftypes.NewValue(tasksTFType, values)
}

func (f *flattener) task(t *smsapi.Task) tftypes.Value {
	return tftypes.NewValue(taskObjectType, map[string]tftypes.Value{
		"id":                     stringValue(t.ID),
		"name":                   stringValue(t.Name),
		"type":                   f.enum(t.Type),
		"os_type":                f.enum(t.OSType),
		"state":                  f.enum(t.State),
		"estimate_complete_time": int64Value(t.EstimateCompleteTime),
		"create_date":            int64Value(t.CreateDate),
		"priority":               int64Value(t.Priority),
		"speed_limit":            int64Value(t.SpeedLimit),
		"migrate_speed":          float64Value(t.MigrateSpeed),
		"compress_rate":          float64Value(t.CompressRate),
		"start_target_server":    boolValue(t.StartTargetServer),
		"error_json":             f.enum(t.ErrorJSON),
		"total_time":             int64Value(t.TotalTime),
		"migration_ip":           stringValue(t.MigrationIP),
		"sub_tasks":              f.subTasks(t.SubTasks),
		"source_server":          f.sourceServer(t.SourceServer),
		"enterprise_project_id":  f.enum(t.EnterpriseProjectID),
		"target_server":          f.targetServer(t.TargetServer),
		"log_collect_status":     f.enum(t.LogCollectStatus),
		"clone_server":           cloneServer(t.CloneServer),
		"syncing":                boolValue(t.Syncing),
		"network_check_info":     f.networkCheckInfo(t.NetworkCheckInfo),
		"special_config":         f.specialConfig(t.SpecialConfig),
		"total_cpu_usage":        float64Value(t.TotalCPUUsage),
		"agent_cpu_usage":        float64Value(t.AgentCPUUsage),
		"total_mem_usage":        float64Value(t.TotalMemUsage),
		"agent_mem_usage":        float64Value(t.AgentMemUsage),
		"total_disk_io":          float64Value(t.TotalDiskIO),
		"agent_disk_io":          float64Value(t.AgentDiskIO),
		"need_migration_test":    boolValue(t.NeedMigrationTest),
		"subtask_info":           f.enum(t.SubtaskInfo),
	})
}

// subTasks keeps the difference between a null list (nil) and an empty one ([]).
func (f *flattener) subTasks(subTasks []smsapi.SubTask) tftypes.Value {
	if subTasks == nil {
		return nullSubTasks
	}
	values := make([]tftypes.Value, len(subTasks))
	for i := range subTasks {
		s := &subTasks[i]
		values[i] = tftypes.NewValue(subTaskType.ElementType, map[string]tftypes.Value{
			"id":            int64Value(s.ID),
			"name":          f.enum(s.Name),
			"progress":      int64Value(s.Progress),
			"start_date":    int64Value(s.StartDate),
			"end_date":      int64Value(s.EndDate),
			"process_trace": stringValue(s.ProcessTrace),
		})
	}
	return tftypes.NewValue(subTaskType, values)
}

func (f *flattener) sourceServer(s *smsapi.SourceServer) tftypes.Value {
	if s == nil {
		return nullSourceServer
	}
	return tftypes.NewValue(sourceServerType, map[string]tftypes.Value{
		"id":         stringValue(s.ID),
		"ip":         stringValue(s.IP),
		"name":       stringValue(s.Name),
		"os_type":    f.enum(s.OSType),
		"os_version": f.enum(s.OSVersion),
		"oem_system": boolValue(s.OEMSystem),
		"state":      f.enum(s.State),
	})
}

func (f *flattener) targetServer(s *smsapi.TargetServer) tftypes.Value {
	if s == nil {
		return nullTargetServer
	}
	return tftypes.NewValue(targetServerType, map[string]tftypes.Value{
		"id":         stringValue(s.ID),
		"vm_id":      stringValue(s.VMID),
		"name":       stringValue(s.Name),
		"ip":         stringValue(s.IP),
		"os_type":    f.enum(s.OSType),
		"os_version": f.enum(s.OSVersion),
	})
}

func cloneServer(s *smsapi.CloneServer) tftypes.Value {
	if s == nil {
		return nullCloneServer
	}
	return tftypes.NewValue(cloneServerType, map[string]tftypes.Value{
		"vm_id": stringValue(s.VMID),
		"name":  stringValue(s.Name),
	})
}

func (f *flattener) networkCheckInfo(n *smsapi.NetworkCheckInfo) tftypes.Value {
	if n == nil {
		return nullNetworkCheck
	}
	return tftypes.NewValue(networkCheckType, map[string]tftypes.Value{
		"domain_connectivity":      boolValue(n.DomainConnectivity),
		"destination_connectivity": boolValue(n.DestinationConnectivity),
		"network_delay":            float64Value(n.NetworkDelay),
		"network_jitter":           float64Value(n.NetworkJitter),
		"migration_speed":          float64Value(n.MigrationSpeed),
		"loss_percentage":          float64Value(n.LossPercentage),
		"cpu_usage":                float64Value(n.CPUUsage),
		"mem_usage":                float64Value(n.MemUsage),
		"evaluation_result":        f.enum(n.EvaluationResult),
	})
}

func (f *flattener) specialConfig(configs []smsapi.ConfigBody) tftypes.Value {
	if configs == nil {
		return nullSpecialConf
	}
	values := make([]tftypes.Value, len(configs))
	for i := range configs {
		c := &configs[i]
		values[i] = tftypes.NewValue(specialConfType.ElementType, map[string]tftypes.Value{
			"config_key":    f.enum(c.ConfigKey),
			"config_value":  f.enum(c.ConfigValue),
			"config_status": f.enum(c.ConfigStatus),
		})
	}
	return tftypes.NewValue(specialConfType, values)
}

// enum returns the String value of a field that takes few distinct values, one value per
// distinct string for the whole call. Its cost is a map lookup instead of two allocations.
func (f *flattener) enum(p *string) tftypes.Value {
	if p == nil {
		return nullString
	}
	if v, ok := f.enums[*p]; ok {
		return v
	}
	v := tftypes.NewValue(stringType, p)
	f.enums[*p] = v
	return v
}

// stringValue passes the pointer on: tftypes copies the string out of it, which saves boxing
// the string twice.
func stringValue(p *string) tftypes.Value {
	if p == nil {
		return nullString
	}
	return tftypes.NewValue(stringType, p)
}

func boolValue(p *bool) tftypes.Value {
	switch {
	case p == nil:
		return nullBool
	case *p:
		return trueValue
	default:
		return falseValue
	}
}

// int64Value keeps every bit of an int64: SetInt64 is exact, unlike a detour through float64.
func int64Value(p *int64) tftypes.Value {
	switch {
	case p == nil:
		return nullNumber
	case *p >= 0 && *p < int64(len(smallInts)):
		return smallInts[*p]
	}
	return tftypes.NewValue(numberType, new(big.Float).SetInt64(*p))
}

// float64Value shares the small whole numbers with int64Value: a Number is a Number, and 0.0 and
// 0 are the same value to Terraform.
func float64Value(p *float64) tftypes.Value {
	switch {
	case p == nil:
		return nullNumber
	case *p >= 0 && *p < float64(len(smallInts)) && *p == float64(int64(*p)):
		return smallInts[int64(*p)]
	}
	return tftypes.NewValue(numberType, big.NewFloat(*p))
}

// tasksType is the type of the tasks attribute: the list of task objects, whose values stay
// tftypes values until someone asks for framework values.
//
// After Read, the framework converts every attribute of the new state into attr.Values to run
// semantic equality, although a computed-only attribute has no prior value to compare with. For
// the tasks that conversion is a second tree of the same size as the first: for 65,535 tasks
// hundreds of megabytes alive at the provider's memory peak, and about a second of CPU per 10,000
// tasks. A tasksValue hands out its tftypes value as it is and converts only in ToListValue,
// which nothing calls on the way from Read to Terraform.
type tasksType struct {
	basetypes.ListType
}

var (
	_ basetypes.ListTypable  = tasksType{}
	_ basetypes.ListValuable = tasksValue{}
)

func (t tasksType) Equal(o attr.Type) bool {
	other, ok := o.(tasksType)
	return ok && t.ListType.Equal(other.ListType)
}

func (t tasksType) String() string { return "tasksType[" + t.ListType.String() + "]" }

func (t tasksType) ValueType(context.Context) attr.Value { return tasksValue{} }

func (t tasksType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	if in.Type() == nil {
		return tasksValue{}, nil
	}
	if !in.Type().Equal(t.TerraformType(ctx)) {
		return nil, fmt.Errorf("can't use %s as the value of tasks, want %s", in.Type(), t.TerraformType(ctx))
	}
	return newTasksValue(in), nil
}

func (t tasksType) ValueFromList(ctx context.Context, list basetypes.ListValue) (basetypes.ListValuable, diag.Diagnostics) {
	raw, err := list.ToTerraformValue(ctx)
	if err != nil {
		return nil, diag.Diagnostics{diag.NewErrorDiagnostic("Tasks Conversion Error", err.Error())}
	}
	return newTasksValue(raw), nil
}

// tasksValue is a value of tasksType. The zero value is null. Copies share one tftypes value,
// which is immutable, so comparing a value with a copy of itself is a pointer comparison.
type tasksValue struct {
	raw *tftypes.Value
}

func newTasksValue(raw tftypes.Value) tasksValue { return tasksValue{raw: &raw} }

func (v tasksValue) Type(context.Context) attr.Type { return tasksListType }

func (v tasksValue) ToTerraformValue(context.Context) (tftypes.Value, error) {
	if v.raw == nil {
		return tftypes.NewValue(tasksTFType, nil), nil
	}
	return *v.raw, nil
}

func (v tasksValue) IsNull() bool { return v.raw == nil || v.raw.IsNull() }

func (v tasksValue) IsUnknown() bool { return v.raw != nil && !v.raw.IsKnown() }

func (v tasksValue) Equal(o attr.Value) bool {
	other, ok := o.(tasksValue)
	switch {
	case !ok:
		return false
	case v.raw == other.raw:
		return true
	case v.IsNull() || other.IsNull():
		return v.IsNull() == other.IsNull()
	}
	return v.raw.Equal(*other.raw)
}

// String summarises instead of printing every task: it ends up in log lines.
func (v tasksValue) String() string {
	switch {
	case v.IsNull():
		return "<null>"
	case v.IsUnknown():
		return "<unknown>"
	}
	var elems []tftypes.Value
	if err := v.raw.As(&elems); err != nil {
		return "<invalid>"
	}
	return fmt.Sprintf("<%d tasks>", len(elems))
}

// ToListValue converts to framework values, for code that needs them; it costs what the
// framework's own conversion costs.
func (v tasksValue) ToListValue(ctx context.Context) (basetypes.ListValue, diag.Diagnostics) {
	raw, _ := v.ToTerraformValue(ctx)
	value, err := tasksListType.ListType.ValueFromTerraform(ctx, raw)
	if err != nil {
		return basetypes.ListValue{}, diag.Diagnostics{diag.NewErrorDiagnostic("Tasks Conversion Error", err.Error())}
	}
	list, ok := value.(basetypes.ListValue)
	if !ok {
		return basetypes.ListValue{}, diag.Diagnostics{diag.NewErrorDiagnostic("Tasks Conversion Error",
			fmt.Sprintf("The tasks list converted to %T instead of a list. This is a bug in the provider; please report it.", value))}
	}
	return list, nil
}
