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

// An id that could name another path fails at plan, a task that does not exist, an API error and
// another task's configuration fail the read. Then one step reads a Linux task's settings, with
// a null config_status, and a Windows task's, whose configurations are null.
func TestTaskConfigurationDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	opts := emulator.GenerateFleet(5, 3).Options()
	opts.TaskDetails = map[string]json.RawMessage{
		"lin": json.RawMessage(`{"id":"lin","os_type":"LINUX","type":"MIGRATE_FILE","special_config":[
			{"config_key":"MIGRATE_EXCLUDE_DIR","config_value":"/tmp,/var/log","config_status":null},
			{"config_key":"NUM_PROCESS_MIGRATE","config_value":"4","config_status":""}]}`),
		"win": json.RawMessage(`{"id":"win","os_type":"WINDOWS"}`),
	}
	server := testsupport.StartEmulator(t, opts)
	data := func(id string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_task_configuration" "one" { task_id = "` + id + `" }`
	}
	const linux, windows = "data.sms_task_configuration.one", "data.sms_task_configuration.win"
	item := func(i int, key string) tfjsonpath.Path {
		return tfjsonpath.New("configurations").AtSliceIndex(i).AtMapKey(key)
	}
	at := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(linux, p, v)
	}
	const path = "/v3/tasks/lin/configuration-setting"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: data("a/b"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)task_id.*must be an id`)},
			{Config: data("no-such-task"), ExpectError: regexp.MustCompile(`(?s)SMS Task Not Found.*"no-such-task".*HTTP 404.*SMS\.6002.*request id: [0-9a-f]{32}`)},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: path,
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      data("lin"),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*read\s+a\s+task's\s+configuration`),
			},
			{
				PreConfig:   func() { server.InjectFaults(emulator.Fault{Path: path, Body: `{"task_id":"win","configurations":[]}`}) },
				Config:      data("lin"),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*configuration-setting.*configuration\s+of\s+task\s+"win"`),
			},
			{
				Config: data("lin") + `
data "sms_task_configuration" "win" { task_id = "win" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					at(tfjsonpath.New("task_id"), knownvalue.StringExact("lin")),
					at(tfjsonpath.New("migrate_type"), knownvalue.StringExact("LINUX_MIGRATE_FILE")),
					at(tfjsonpath.New("configurations"), knownvalue.ListSizeExact(2)),
					at(item(0, "config_key"), knownvalue.StringExact("MIGRATE_EXCLUDE_DIR")),
					at(item(0, "config_value"), knownvalue.StringExact("/tmp,/var/log")),
					at(item(0, "config_status"), knownvalue.Null()),
					at(item(1, "config_status"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(windows, tfjsonpath.New("migrate_type"), knownvalue.StringExact("WINDOWS_MIGRATE_BLOCK")),
					statecheck.ExpectKnownValue(windows, tfjsonpath.New("configurations"), knownvalue.Null()),
				},
			},
		},
	})
}
