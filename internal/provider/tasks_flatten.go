package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// The flattener turns API structs straight into terraform-plugin-go values. Going through the
// framework's reflection (State.Set of a []struct model) costs several gigabytes of allocations
// for ten thousand tasks; building tftypes values directly costs a small fraction of that. A nil
// pointer becomes a null value of the attribute's type, so JSON null stays null in the state.

// flattenTasks returns the value of the tasks attribute.
func flattenTasks(tasks []smsapi.Task) tftypes.Value {
	values := make([]tftypes.Value, len(tasks))
	for i := range tasks {
		values[i] = flattenTask(&tasks[i])
	}
	return tftypes.NewValue(tasksTFType, values)
}

func flattenTask(t *smsapi.Task) tftypes.Value {
	return tftypes.NewValue(taskObjectType, map[string]tftypes.Value{
		"id":                     stringValue(t.ID),
		"name":                   stringValue(t.Name),
		"type":                   stringValue(t.Type),
		"os_type":                stringValue(t.OSType),
		"state":                  stringValue(t.State),
		"estimate_complete_time": int64Value(t.EstimateCompleteTime),
		"create_date":            int64Value(t.CreateDate),
		"priority":               int64Value(t.Priority),
		"speed_limit":            int64Value(t.SpeedLimit),
		"migrate_speed":          float64Value(t.MigrateSpeed),
		"compress_rate":          float64Value(t.CompressRate),
		"start_target_server":    boolValue(t.StartTargetServer),
		"error_json":             stringValue(t.ErrorJSON),
		"total_time":             int64Value(t.TotalTime),
		"migration_ip":           stringValue(t.MigrationIP),
		"sub_tasks":              flattenSubTasks(t.SubTasks),
		"source_server":          flattenSourceServer(t.SourceServer),
		"enterprise_project_id":  stringValue(t.EnterpriseProjectID),
		"target_server":          flattenTargetServer(t.TargetServer),
		"log_collect_status":     stringValue(t.LogCollectStatus),
		"clone_server":           flattenCloneServer(t.CloneServer),
		"syncing":                boolValue(t.Syncing),
		"network_check_info":     flattenNetworkCheckInfo(t.NetworkCheckInfo),
		"special_config":         flattenSpecialConfig(t.SpecialConfig),
		"total_cpu_usage":        float64Value(t.TotalCPUUsage),
		"agent_cpu_usage":        float64Value(t.AgentCPUUsage),
		"total_mem_usage":        float64Value(t.TotalMemUsage),
		"agent_mem_usage":        float64Value(t.AgentMemUsage),
		"total_disk_io":          float64Value(t.TotalDiskIO),
		"agent_disk_io":          float64Value(t.AgentDiskIO),
		"need_migration_test":    boolValue(t.NeedMigrationTest),
		"subtask_info":           stringValue(t.SubtaskInfo),
	})
}

// flattenSubTasks keeps the difference between a null list (nil) and an empty one ([]).
func flattenSubTasks(subTasks []smsapi.SubTask) tftypes.Value {
	if subTasks == nil {
		return tftypes.NewValue(subTaskType, nil)
	}
	values := make([]tftypes.Value, len(subTasks))
	for i, s := range subTasks {
		values[i] = tftypes.NewValue(subTaskType.ElementType, map[string]tftypes.Value{
			"id":            int64Value(s.ID),
			"name":          stringValue(s.Name),
			"progress":      int64Value(s.Progress),
			"start_date":    int64Value(s.StartDate),
			"end_date":      int64Value(s.EndDate),
			"process_trace": stringValue(s.ProcessTrace),
		})
	}
	return tftypes.NewValue(subTaskType, values)
}

func flattenSourceServer(s *smsapi.SourceServer) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(sourceServerType, nil)
	}
	return tftypes.NewValue(sourceServerType, map[string]tftypes.Value{
		"id":         stringValue(s.ID),
		"ip":         stringValue(s.IP),
		"name":       stringValue(s.Name),
		"os_type":    stringValue(s.OSType),
		"os_version": stringValue(s.OSVersion),
		"oem_system": boolValue(s.OEMSystem),
		"state":      stringValue(s.State),
	})
}

func flattenTargetServer(s *smsapi.TargetServer) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(targetServerType, nil)
	}
	return tftypes.NewValue(targetServerType, map[string]tftypes.Value{
		"id":         stringValue(s.ID),
		"vm_id":      stringValue(s.VMID),
		"name":       stringValue(s.Name),
		"ip":         stringValue(s.IP),
		"os_type":    stringValue(s.OSType),
		"os_version": stringValue(s.OSVersion),
	})
}

func flattenCloneServer(s *smsapi.CloneServer) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(cloneServerType, nil)
	}
	return tftypes.NewValue(cloneServerType, map[string]tftypes.Value{
		"vm_id": stringValue(s.VMID),
		"name":  stringValue(s.Name),
	})
}

func flattenNetworkCheckInfo(n *smsapi.NetworkCheckInfo) tftypes.Value {
	if n == nil {
		return tftypes.NewValue(networkCheckType, nil)
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
		"evaluation_result":        stringValue(n.EvaluationResult),
	})
}

func flattenSpecialConfig(configs []smsapi.ConfigBody) tftypes.Value {
	if configs == nil {
		return tftypes.NewValue(specialConfType, nil)
	}
	values := make([]tftypes.Value, len(configs))
	for i, c := range configs {
		values[i] = tftypes.NewValue(specialConfType.ElementType, map[string]tftypes.Value{
			"config_key":    stringValue(c.ConfigKey),
			"config_value":  stringValue(c.ConfigValue),
			"config_status": stringValue(c.ConfigStatus),
		})
	}
	return tftypes.NewValue(specialConfType, values)
}

func stringValue(p *string) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *p)
}

func boolValue(p *bool) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Bool, nil)
	}
	return tftypes.NewValue(tftypes.Bool, *p)
}

// int64Value keeps every bit of an int64: SetInt64 is exact, unlike a detour through float64.
func int64Value(p *int64) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(*p))
}

func float64Value(p *float64) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, big.NewFloat(*p))
}
