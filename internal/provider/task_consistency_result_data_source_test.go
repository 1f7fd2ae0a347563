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

// An id that could name another path fails at plan; a task that does not exist, an API error and
// answers a gate could misread (another task's, a negative count) fail the read. Then one step
// reads a task whose check found differences, a clean one, one without checks and one whose
// answer holds the SDK's string form and an int64 count.
func TestTaskConsistencyResultDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	// The emulator chooses by id: t-3's check found differences in its last directory, t-8's two
	// checks found none, and t-2, still running, has run no check.
	task := func(id, state string) json.RawMessage {
		return json.RawMessage(`{"id":"` + id + `","state":"` + state + `","os_type":"LINUX","create_date":1733472000000}`)
	}
	opts := emulator.Options{TaskDetails: map[string]json.RawMessage{
		"t-3": task("t-3", "MIGRATE_SUCCESS"), "t-8": task("t-8", "SYNC_SUCCESS"), "t-2": task("t-2", "RUNNING"),
		"t-9": task("t-9", "MIGRATE_SUCCESS"),
	}}
	server := testsupport.StartEmulator(t, opts)
	const path = "/v3/tasks/t-9/consistency-result"
	data := func(name, id string) string {
		return `
data "sms_task_consistency_result" "` + name + `" { task_id = "` + id + `" }`
	}
	provider := testsupport.ProviderBlock(server, "max_retries = 0")
	fault := func(body string) func() {
		return func() { server.InjectFaults(emulator.Fault{Path: path, Body: body}) }
	}
	at := func(name string, p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.sms_task_consistency_result."+name, p, v)
	}
	check := func(i int) tfjsonpath.Path { return tfjsonpath.New("result_list").AtSliceIndex(i) }
	dir := func(i, j int, key string) tfjsonpath.Path {
		return check(i).AtMapKey("consistency_result").AtSliceIndex(j).AtMapKey(key)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider + data("one", "../sources"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)task_id.*must be an id`)},
			{Config: provider + data("one", "no-such-task"), ExpectError: regexp.MustCompile(`(?s)SMS Task Not Found.*"no-such-task".*HTTP\s+404.*SMS\.6002`)},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: path, Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      provider + data("one", "t-9"),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*sms:server:getConsistencyCheckResult`),
			},
			{
				PreConfig: fault(`{"task_id":"t-9","result_list":[{"consistency_result":[{"dir_check":"/","num_total_files":1,` +
					`"num_different_files":-1,"num_target_miss_files":0,"num_target_more_files":0}]}]}`),
				Config:      provider + data("one", "t-9"),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*consistency-result.*negative\s+num_different_files`),
			},
			{
				PreConfig:   fault(`{"task_id":"t-1","result_list":[]}`),
				Config:      provider + data("one", "t-9"),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*consistency\s+result\s+of\s+task\s+"t-1",\s+not\s+of\s+the\s+task\s+"t-9"`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: path, Times: 100, Body: `{"task_id":"t-9","result_list":["3 files differ",` +
						`{"finished_time":null,"check_result":null,"consistency_result":[{"dir_check":"/data","num_total_files":9007199254740993,` +
						`"num_different_files":0,"num_target_miss_files":0,"num_target_more_files":0}]}]}`})
				},
				Config: provider + data("dirty", "t-3") + data("clean", "t-8") + data("none", "t-2") + data("text", "t-9"),
				ConfigStateChecks: []statecheck.StateCheck{
					at("dirty", tfjsonpath.New("task_id"), knownvalue.StringExact("t-3")),
					at("dirty", tfjsonpath.New("clean"), knownvalue.Bool(false)),
					at("dirty", tfjsonpath.New("result_list"), knownvalue.ListSizeExact(1)),
					at("dirty", check(0).AtMapKey("clean"), knownvalue.Bool(false)),
					at("dirty", check(0).AtMapKey("finished_time"), knownvalue.Int64Exact(1733472000000+3_600_000)),
					at("dirty", check(0).AtMapKey("text"), knownvalue.Null()),
					at("dirty", dir(0, 0, "dir_check"), knownvalue.StringExact("/")),
					at("dirty", dir(0, 3, "dir_check"), knownvalue.StringExact("/var/lib/mysql")),
					at("dirty", dir(0, 0, "num_different_files"), knownvalue.Int64Exact(0)),
					at("dirty", dir(0, 3, "num_different_files"), knownvalue.Int64Exact(7)),
					at("dirty", dir(0, 3, "num_target_miss_files"), knownvalue.Int64Exact(2)),
					at("dirty", dir(0, 3, "num_target_more_files"), knownvalue.Int64Exact(2)),
					at("clean", tfjsonpath.New("clean"), knownvalue.Bool(true)),
					at("clean", tfjsonpath.New("result_list"), knownvalue.ListSizeExact(2)),
					at("clean", check(1).AtMapKey("clean"), knownvalue.Bool(true)),
					at("none", tfjsonpath.New("result_list"), knownvalue.ListSizeExact(0)),
					at("none", tfjsonpath.New("clean"), knownvalue.Bool(false)),
					at("text", check(0).AtMapKey("text"), knownvalue.StringExact("3 files differ")),
					at("text", check(0).AtMapKey("clean"), knownvalue.Bool(false)),
					at("text", check(0).AtMapKey("consistency_result"), knownvalue.Null()),
					at("text", check(1).AtMapKey("clean"), knownvalue.Bool(true)),
					at("text", check(1).AtMapKey("finished_time"), knownvalue.Null()),
					at("text", dir(1, 0, "num_total_files"), knownvalue.Int64Exact(9007199254740993)),
					at("text", tfjsonpath.New("clean"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
