package provider

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// taskDetailBody has a field of every kind and level, nulls and absent fields, and an int64
// beyond float64's exact range.
const taskDetailBody = `{"id":"t-1","name":"sms-task-web","state":"RUNNING","remain_seconds":9007199254740993,
 "start_date":1718001000000,"finish_date":null,"migrate_speed":85.3,"connected":true,"priority":1,
 "source_server":{"id":"s-1","name":"src-web","migration_cycle":"replicating","oem_system":null},
 "target_server":{"vm_id":"vm-1","disks":[{"id":101,"name":"/dev/vda","os_disk":true,
   "physical_volumes":[{"id":201,"free_size":37579915264,"uuid":null}]}],"volume_groups":[],"btrfs_list":null},
 "clone_server":null,
 "sub_tasks":[{"id":1001,"name":"MIGRATE","progress":40,"end_date":null,"migrate_speed":85.3,"user_op":""}],
 "network_check_info":{"evaluation_result":"GOOD","network_delay":3.5}}`

// A task that does not exist, an id that could name another path, a rejected token and a field
// of the wrong type fail the read with what went wrong. Then one step reads two tasks: a
// hand-written detail with every level of nulls and an exact int64, and a task of a generated
// fleet with the fields only the detail has.
func TestTaskDataSource_ErrorsAndDetailValues(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(20, 3)
	var fleetTask struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(fleet.Tasks[2], &fleetTask); err != nil {
		t.Fatal(err)
	}
	opts := fleet.Options()
	opts.TaskDetails = map[string]json.RawMessage{"t-1": json.RawMessage(taskDetailBody)}
	server := testsupport.StartEmulator(t, opts)
	data := func(id string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_task" "one" { task_id = "` + id + `" }`
	}
	const handWritten, generated = "data.sms_task.one", "data.sms_task.fleet"
	str, num, null := knownvalue.StringExact, knownvalue.Int64Exact, knownvalue.Null()
	at := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(handWritten, p, v)
	}
	top := func(name string) tfjsonpath.Path { return tfjsonpath.New(name) }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: data("no-such-task"), ExpectError: regexp.MustCompile(`(?s)SMS Task Not Found.*"no-such-task".*HTTP 404.*SMS\.6002.*request id: [0-9a-f]{32}`)},
			{Config: data("../sources"), ExpectError: regexp.MustCompile(`(?s)task_id.*must be an id`)},
			{
				// A gateway's 404 is about the endpoint, not the task: it must not say the task is gone.
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusNotFound, Path: "/v3/tasks/t-1",
						Body: `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment"}`})
				},
				Config:      data("t-1"),
				ExpectError: regexp.MustCompile(`(?s)SMS API Not Found.*HTTP 404.*APIGW\.0101.*check endpoint`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusUnauthorized, Path: "/v3/tasks/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"})
				},
				Config:      data("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"),
				ExpectError: regexp.MustCompile(`(?s)SMS API Authentication Failed.*GET \S+/v3/tasks/\S+\s+returned\s+HTTP\s+401.*APIG\.1002`),
			},
			{
				PreConfig:   func() { server.InjectFaults(emulator.Fault{Body: `{"id":"x","remain_seconds":"soon"}`}) },
				Config:      data("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/tasks/\{task_id\}.*field "remain_seconds"`),
			},
			{
				Config: testsupport.ProviderBlock(server, "") + `data "sms_task" "one" {
  task_id  = "t-1"
  timeouts = { read = "2m" }
}
data "sms_task" "fleet" { task_id = "` + fleetTask.ID + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					at(top("id"), str("t-1")),
					at(top("task_id"), str("t-1")),
					at(top("state"), str("RUNNING")),
					at(top("remain_seconds"), num(9007199254740993)),
					at(top("start_date"), num(1718001000000)),
					at(top("finish_date"), null),
					at(top("float_ip"), null), // Absent.
					at(top("migrate_speed"), knownvalue.Float64Exact(85.3)),
					at(top("source_server").AtMapKey("migration_cycle"), str("replicating")),
					at(top("source_server").AtMapKey("oem_system"), null),
					at(top("target_server").AtMapKey("disks").AtSliceIndex(0).AtMapKey("physical_volumes").AtSliceIndex(0).AtMapKey("free_size"), num(37579915264)),
					at(top("target_server").AtMapKey("disks").AtSliceIndex(0).AtMapKey("physical_volumes").AtSliceIndex(0).AtMapKey("uuid"), null),
					at(top("target_server").AtMapKey("volume_groups"), knownvalue.ListSizeExact(0)),
					at(top("target_server").AtMapKey("btrfs_list"), null),
					at(top("clone_server"), null),
					at(top("sub_tasks").AtSliceIndex(0).AtMapKey("migrate_speed"), knownvalue.Float64Exact(85.3)),
					at(top("sub_tasks").AtSliceIndex(0).AtMapKey("end_date"), null),
					at(top("sub_tasks").AtSliceIndex(0).AtMapKey("user_op"), str("")),
					at(top("network_check_info").AtMapKey("evaluation_result"), str("GOOD")),
					at(top("timeouts").AtMapKey("read"), str("2m")),
					statecheck.ExpectKnownValue(generated, top("id"), str(fleetTask.ID)),
					statecheck.ExpectKnownValue(generated, top("state"), str("RUNNING")),
					statecheck.ExpectKnownValue(generated, top("remain_seconds"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(generated, top("region_id"), str("cn-north-4")),
				},
			}},
	})
}
