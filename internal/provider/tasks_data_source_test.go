package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

const allTasks = "data.sms_tasks.all"

func taskPath(i int, keys ...string) tfjsonpath.Path {
	p := tfjsonpath.New("tasks").AtSliceIndex(i)
	for _, k := range keys {
		p = p.AtMapKey(k)
	}
	return p
}

// expect checks one value of data.sms_tasks.all, the data source every test here reads.
func expect(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(allTasks, p, v)
}

// The API reference's example response goes through Terraform with every field, every null and
// all three of its tasks, although they share one id. In the same step, from the same emulator
// (each data source filtered to its own task id): values the example does not have, nested
// objects with every field, lists that are empty rather than null, and int64 values beyond
// float64's exact range.
func TestTasksDataSource_ExampleAndNestedValues(t *testing.T) {
	t.Parallel()
	full := `{"id":"t-1","name":"full","state":"RUNNING","create_date":9007199254740993,
"sub_tasks":[{"id":9223372036854775807,"name":"CREATE_CLOUD_SERVER","progress":100,"start_date":1,"end_date":null,"process_trace":"ok"}],
"clone_server":{"vm_id":"vm-9","name":"clone"},"syncing":false,
"network_check_info":{"domain_connectivity":true,"destination_connectivity":false,"network_delay":12.5,"network_jitter":0.25,
"migration_speed":100,"loss_percentage":0,"cpu_usage":55.5,"mem_usage":10,"evaluation_result":"GOOD"},
"special_config":[{"config_key":"EXCLUDE_MIGRATE_PATH","config_value":"/tmp","config_status":null}],
"total_cpu_usage":12.5,"agent_cpu_usage":1.5,"total_mem_usage":2048,"agent_mem_usage":64,"total_disk_io":3.25,
"agent_disk_io":0.5,"need_migration_test":true,"subtask_info":"SSL_CONFIG","enterprise_project_id":"0","unknown_field":{"x":1}}`
	empty := `{"id":"t-2","sub_tasks":[],"special_config":[],"source_server":{}}`
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: append(emulator.ExampleTasks(), rawTasks(full, empty)...)})
	const nestedFull, nestedEmpty = "data.sms_tasks.full", "data.sms_tasks.empty"
	inFull := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(nestedFull, p, v)
	}
	inEmpty := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(nestedEmpty, p, v)
	}
	const id = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"
	null := knownvalue.Null()
	str := knownvalue.StringExact
	num := knownvalue.Int64Exact

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testsupport.ProviderBlock(server, "") + `
data "sms_tasks" "all" { task_id = "` + id + `" }
data "sms_tasks" "full" { task_id = "t-1" }
data "sms_tasks" "empty" { task_id = "t-2" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("total_count"), num(3)),
				expect(tfjsonpath.New("tasks"), knownvalue.ListSizeExact(3)),
				expect(tfjsonpath.New("state_counts"), knownvalue.MapExact(map[string]knownvalue.Check{"MIGRATE_SUCCESS": num(3)})),
				expect(tfjsonpath.New("task_states"), knownvalue.MapExact(map[string]knownvalue.Check{id: str("MIGRATE_SUCCESS")})),
				expect(taskPath(0, "id"), str(id)),
				expect(taskPath(0, "name"), str("sms_task_lxxxx11")),
				expect(taskPath(0, "type"), str("MIGRATE_FILE")),
				expect(taskPath(0, "os_type"), str("LINUX")),
				expect(taskPath(0, "state"), str("MIGRATE_SUCCESS")),
				expect(taskPath(0, "estimate_complete_time"), null),
				expect(taskPath(0, "create_date"), num(1585139506000)),
				expect(taskPath(0, "priority"), num(1)),
				expect(taskPath(0, "speed_limit"), num(0)),
				expect(taskPath(0, "migrate_speed"), knownvalue.Float64Exact(0)),
				expect(taskPath(0, "compress_rate"), null),
				expect(taskPath(0, "start_target_server"), knownvalue.Bool(true)),
				expect(taskPath(0, "error_json"), str("")),
				expect(taskPath(0, "total_time"), num(3878000)),
				expect(taskPath(0, "migration_ip"), str("")),
				expect(taskPath(0, "sub_tasks"), null),
				expect(taskPath(0, "source_server"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": str(id), "ip": str("192.168.*.107"), "name": str("xxx-linux-1"), "os_type": str("LINUX"),
					"os_version": str("CENTOS_7_6_64BIT"), "oem_system": knownvalue.Bool(false), "state": str("AVAILABLE"),
				})),
				expect(taskPath(0, "enterprise_project_id"), null),
				expect(taskPath(0, "target_server"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": str(id), "vm_id": str(""), "name": str(""), "ip": null, "os_type": str("LINUX"), "os_version": null,
				})),
				expect(taskPath(0, "log_collect_status"), str("INIT")),
				expect(taskPath(0, "clone_server"), null),
				expect(taskPath(0, "syncing"), null),
				expect(taskPath(0, "network_check_info"), null),
				expect(taskPath(0, "special_config"), null),
				expect(taskPath(0, "total_cpu_usage"), null),
				expect(taskPath(0, "need_migration_test"), null),
				expect(taskPath(0, "subtask_info"), null),
				expect(taskPath(1, "name"), str("sms_task_xxx22")),
				expect(taskPath(1, "target_server", "os_version"), str("WINDOWS2012_R2_64BIT")),
				expect(taskPath(2, "name"), str("sms_task_leddesktop")),
				expect(taskPath(2, "create_date"), num(1566130392000)),
				expect(taskPath(2, "speed_limit"), num(200)),
				expect(taskPath(2, "migration_ip"), str("192.168.1.201")),
				expect(taskPath(2, "source_server"), null),
				expect(taskPath(2, "target_server", "name"), str("xxx-sms-target")),

				inFull(taskPath(0, "create_date"), knownvalue.Int64Exact(9007199254740993)),
				inFull(taskPath(0, "sub_tasks"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.Int64Exact(9223372036854775807), "name": str("CREATE_CLOUD_SERVER"), "progress": knownvalue.Int64Exact(100),
					"start_date": knownvalue.Int64Exact(1), "end_date": knownvalue.Null(), "process_trace": str("ok"),
				})})),
				inFull(taskPath(0, "clone_server", "vm_id"), str("vm-9")),
				inFull(taskPath(0, "syncing"), knownvalue.Bool(false)),
				inFull(taskPath(0, "network_check_info", "network_delay"), knownvalue.Float64Exact(12.5)),
				inFull(taskPath(0, "network_check_info", "destination_connectivity"), knownvalue.Bool(false)),
				inFull(taskPath(0, "network_check_info", "evaluation_result"), str("GOOD")),
				inFull(taskPath(0, "special_config").AtSliceIndex(0).AtMapKey("config_status"), knownvalue.Null()),
				inFull(taskPath(0, "total_mem_usage"), knownvalue.Float64Exact(2048)),
				inFull(taskPath(0, "agent_disk_io"), knownvalue.Float64Exact(0.5)),
				inFull(taskPath(0, "need_migration_test"), knownvalue.Bool(true)),
				inFull(taskPath(0, "subtask_info"), str("SSL_CONFIG")),
				inFull(taskPath(0, "enterprise_project_id"), str("0")),
				inEmpty(taskPath(0, "sub_tasks"), knownvalue.ListSizeExact(0)),
				inEmpty(taskPath(0, "special_config"), knownvalue.ListSizeExact(0)),
				inEmpty(taskPath(0, "source_server", "ip"), knownvalue.Null()),
				inEmpty(taskPath(0, "state"), knownvalue.Null()),
				inFull(tfjsonpath.New("state_counts"), knownvalue.MapExact(map[string]knownvalue.Check{"RUNNING": knownvalue.Int64Exact(1)})),
				inEmpty(tfjsonpath.New("total_count"), knownvalue.Int64Exact(1)),
			},
		}},
	})
}
