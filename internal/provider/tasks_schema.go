package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The nested schema of one task mirrors the API's TasksResponseBody: every field under the API's
// own name and type, all computed. Single objects are single nested attributes, so a task's
// source server reads as tasks[0].source_server.ip and a JSON null becomes a null object.

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: description}
}

func computedInt64(description string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: description}
}

func computedFloat64(description string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: description}
}

func computedBool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true, MarkdownDescription: description}
}

func subTaskAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":            computedInt64("Subtask ID."),
		"name":          computedString("Subtask name, such as `CREATE_CLOUD_SERVER` or `SSL_CONFIG`."),
		"progress":      computedInt64("Progress of the subtask, from 0 to 100."),
		"start_date":    computedInt64("Start time of the subtask, in milliseconds since the Unix epoch."),
		"end_date":      computedInt64("End time of the subtask, in milliseconds since the Unix epoch; null while it runs."),
		"process_trace": computedString("Detailed progress of the migration or synchronization."),
	}
}

func sourceServerAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":         computedString("ID of the source server in the SMS database."),
		"ip":         computedString("IP address of the source server."),
		"name":       computedString("Name of the source server shown on the SMS console."),
		"os_type":    computedString("OS type of the source server: `WINDOWS` or `LINUX`."),
		"os_version": computedString("OS version of the source server, such as `CENTOS_7_6_64BIT`."),
		"oem_system": computedBool("Whether the OS is an OEM edition (Windows)."),
		"state":      computedString("State of the source server, such as `AVAILABLE`."),
	}
}

func targetServerAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":         computedString("ID of the target server in the SMS database."),
		"vm_id":      computedString("ID of the target ECS."),
		"name":       computedString("Name of the target server."),
		"ip":         computedString("IP address of the target server."),
		"os_type":    computedString("OS type of the target server: `WINDOWS` or `LINUX`."),
		"os_version": computedString("OS version of the target server."),
	}
}

func cloneServerAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"vm_id": computedString("ID of the cloned server."),
		"name":  computedString("Name of the cloned server."),
	}
}

func networkCheckInfoAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"domain_connectivity":      computedBool("Whether domain names can be reached."),
		"destination_connectivity": computedBool("Whether the target server can be reached."),
		"network_delay":            computedFloat64("Network latency."),
		"network_jitter":           computedFloat64("Network jitter."),
		"migration_speed":          computedFloat64("Measured bandwidth."),
		"loss_percentage":          computedFloat64("Packet loss rate, from 0 to 100."),
		"cpu_usage":                computedFloat64("CPU usage, from 0 to 100."),
		"mem_usage":                computedFloat64("Memory usage, from 0 to 100."),
		"evaluation_result":        computedString("Network evaluation result."),
	}
}

func specialConfigAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"config_key":    computedString("Advanced migration option: `EXCLUDE_MIGRATE_PATH`, `SYNC_EXCLUDE_PATH` or `ONLY_SYNC_PATH`."),
		"config_value":  computedString("Value of the advanced migration option."),
		"config_status": computedString("Reserved status of the option."),
	}
}

func taskAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                     computedString("Migration task ID."),
		"name":                   computedString("Task name, defined by the user."),
		"type":                   computedString("Task type: `MIGRATE_FILE` (file-level) or `MIGRATE_BLOCK` (block-level)."),
		"os_type":                computedString("OS type: `WINDOWS` or `LINUX`."),
		"state":                  computedString("Task state, such as `READY`, `RUNNING`, `MIGRATE_SUCCESS` or `MIGRATE_FAIL`. Not validated: new states appear as the API reports them."),
		"estimate_complete_time": computedInt64("Estimated completion time, in milliseconds since the Unix epoch."),
		"create_date":            computedInt64("Creation time, in milliseconds since the Unix epoch."),
		"priority":               computedInt64("Migration process priority: 0 low, 1 normal, 2 high."),
		"speed_limit":            computedInt64("Migration rate limit, in Mbit/s; 0 means no limit."),
		"migrate_speed":          computedFloat64("Migration rate, in MB/s."),
		"compress_rate":          computedFloat64("Compression rate."),
		"start_target_server":    computedBool("Whether the target server is started after the migration."),
		"error_json":             computedString("Error message of the task; the API often returns an empty string when there is none."),
		"total_time":             computedInt64("Task duration, in milliseconds."),
		"migration_ip":           computedString("IP address of the target server used for the migration (an EIP or a private IP)."),
		"sub_tasks": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Subtasks of the migration task, in API order.",
			NestedObject:        schema.NestedAttributeObject{Attributes: subTaskAttributes()},
		},
		"source_server": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Source server of the task; null when the API returns none.",
			Attributes:          sourceServerAttributes(),
		},
		"enterprise_project_id": computedString("Enterprise project the task belongs to."),
		"target_server": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Target server of the task; null when the API returns none.",
			Attributes:          targetServerAttributes(),
		},
		"log_collect_status": computedString("Log collection status, such as `INIT`, `UPLOADING` or `COMPLETED`."),
		"clone_server": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Cloned server of the task; null when there is none.",
			Attributes:          cloneServerAttributes(),
		},
		"syncing": computedBool("Whether synchronization is enabled."),
		"network_check_info": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Network performance measurements; null when none were taken.",
			Attributes:          networkCheckInfoAttributes(),
		},
		"special_config": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Advanced migration options of the task.",
			NestedObject:        schema.NestedAttributeObject{Attributes: specialConfigAttributes()},
		},
		"total_cpu_usage":     computedFloat64("CPU usage of the source server, in percent."),
		"agent_cpu_usage":     computedFloat64("CPU usage of the SMS agent, in percent."),
		"total_mem_usage":     computedFloat64("Memory usage of the source server."),
		"agent_mem_usage":     computedFloat64("Memory usage of the SMS agent."),
		"total_disk_io":       computedFloat64("Disk I/O of the source server."),
		"agent_disk_io":       computedFloat64("Disk I/O of the SMS agent."),
		"need_migration_test": computedBool("Whether a migration test is required."),
		"subtask_info":        computedString("Summary of the subtask in progress."),
	}
}

// tasksAttribute is the schema of the tasks list. Its type is tasksType, whose values keep the
// flattener's tftypes tree (see tasks_flatten.go).
func tasksAttribute() schema.ListNestedAttribute {
	a := withFixedTypes(schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "Tasks that match the filters, in the order the API returns them (never sorted). " +
			"Fields the API returns as null or leaves out are null here, never `\"\"`, `0` or `false`. " +
			"Null when `summary_only` is true.",
		NestedObject: schema.NestedAttributeObject{Attributes: taskAttributes()},
	})
	a.CustomType = tasksType{ListType: schemaType[types.ListType](a.CustomType)}
	return a
}

// withFixedTypes computes the types of a nested attribute once and pins them as its custom types,
// which are the very types the framework would derive. Without them, the framework derives them
// again on every call, rebuilding maps of every nested attribute type, and it asks for them for
// every null value in the new state (to find null blocks) and for every path it converts. For
// 10,000 tasks that is more than half of the ReadDataSource call's time and 1.9 GB of its
// allocations; with the types pinned, a lookup is a field read. The values stay plain lists and
// objects, so nothing else changes.
func withFixedTypes(a schema.ListNestedAttribute) schema.ListNestedAttribute {
	for name, nested := range a.NestedObject.Attributes {
		switch n := nested.(type) {
		case schema.ListNestedAttribute:
			a.NestedObject.Attributes[name] = withFixedTypes(n)
		case schema.SingleNestedAttribute:
			n.CustomType = schemaType[types.ObjectType](n.GetType())
			a.NestedObject.Attributes[name] = n
		}
	}
	objType := schemaType[types.ObjectType](a.NestedObject.Type())
	a.NestedObject.CustomType = objType
	a.CustomType = types.ListType{ElemType: objType}
	return a
}

// Types derived once from the schema, so that the flattener cannot drift from it: the
// flattener builds tftypes values against these, and tftypes rejects a value whose
// attributes do not match its type.
var (
	tasksListType    = schemaType[tasksType](tasksAttribute().GetType())
	taskObjectType   = schemaType[tftypes.Object](terraformTypeOf(tasksListType.ElemType))
	tasksTFType      = terraformTypeOf(tasksListType)
	subTaskType      = schemaType[tftypes.List](taskObjectType.AttributeTypes["sub_tasks"])
	sourceServerType = schemaType[tftypes.Object](taskObjectType.AttributeTypes["source_server"])
	targetServerType = schemaType[tftypes.Object](taskObjectType.AttributeTypes["target_server"])
	cloneServerType  = schemaType[tftypes.Object](taskObjectType.AttributeTypes["clone_server"])
	networkCheckType = schemaType[tftypes.Object](taskObjectType.AttributeTypes["network_check_info"])
	specialConfType  = schemaType[tftypes.List](taskObjectType.AttributeTypes["special_config"])
)

func terraformTypeOf(t interface {
	TerraformType(context.Context) tftypes.Type
}) tftypes.Type {
	return t.TerraformType(context.Background())
}

// schemaType converts a type the framework derived from this file's schema. Any other type is a
// bug in the schema, found by every test that loads it.
func schemaType[T any](v any) T {
	t, ok := v.(T)
	if !ok {
		panic(fmt.Sprintf("schema type is %T, want %T", v, t))
	}
	return t
}
