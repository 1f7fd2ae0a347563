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

// An id that could name another path fails at plan, a task that does not exist and an API error
// fail the read with what went wrong. Then one step reads the limits of a task with an int64
// limit, whose second period's threshold is set and first one's null, and of a task without.
func TestTaskSpeedLimitsDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	opts := emulator.GenerateFleet(5, 3).Options()
	opts.TaskDetails = map[string]json.RawMessage{
		"t-2":       json.RawMessage(`{"id":"t-2","state":"RUNNING","speed_limit":9007199254740993}`),
		"unlimited": json.RawMessage(`{"id":"unlimited","state":"READY","speed_limit":null}`),
	}
	server := testsupport.StartEmulator(t, opts)
	data := func(id string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_task_speed_limits" "one" { task_id = "` + id + `" }`
	}
	const limited, unlimited = "data.sms_task_speed_limits.one", "data.sms_task_speed_limits.none"
	window := func(i int, key string) tfjsonpath.Path {
		return tfjsonpath.New("speed_limit").AtSliceIndex(i).AtMapKey(key)
	}
	at := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(limited, p, v)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: data("../sources"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)task_id.*must be an id`)},
			{Config: data("no-such-task"), ExpectError: regexp.MustCompile(`(?s)SMS Task Not Found.*"no-such-task".*HTTP 404.*SMS\.6002.*request id: [0-9a-f]{32}`)},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: "/v3/tasks/t-2/speed-limit",
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      data("t-2"),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*read\s+a\s+task's\s+speed\s+limits`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/tasks/t-2/speed-limit", Body: `{"speed_limit":[{"end":"08:00"}]}`})
				},
				Config:      data("t-2"),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/tasks/\{task_id\}/speed-limit.*lacks\s+its\s+start\s+or\s+end`),
			},
			{
				Config: data("t-2") + `
data "sms_task_speed_limits" "none" { task_id = "unlimited" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					at(tfjsonpath.New("task_id"), knownvalue.StringExact("t-2")),
					at(tfjsonpath.New("speed_limit"), knownvalue.ListSizeExact(2)),
					at(window(0, "start"), knownvalue.StringExact("08:00")),
					at(window(0, "end"), knownvalue.StringExact("20:00")),
					at(window(0, "speed"), knownvalue.Int64Exact(9007199254740993)),
					at(window(0, "over_speed_threshold"), knownvalue.Null()),
					at(window(1, "over_speed_threshold"), knownvalue.Float64Exact(120.5)),
					statecheck.ExpectKnownValue(unlimited, tfjsonpath.New("speed_limit"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
