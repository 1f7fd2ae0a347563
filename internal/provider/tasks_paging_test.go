package provider

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

func rawTasks(tasks ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(tasks))
	for i, task := range tasks {
		out[i] = json.RawMessage(task)
	}
	return out
}

// API errors name the status, error_code, error_msg and request id; a retryable one that
// recovers within max_retries is invisible to the user. Then each filter reaches the API under its
// query name, and unset filters are not sent at all; the id depends on the filters only: the same
// filters keep it across runs and page sizes, other filters change it. The six data sources share
// one step (Terraform CPU is the cost of this package), so every query the emulator received is
// checked against the set of the expected ones; the last step reads the stable-id sources again.
func TestTasksDataSource_APIErrorsFiltersAndStableID(t *testing.T) {
	t.Parallel()
	tasks := emulator.GenerateTasks(30, 3)
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tasks})
	const filtered, failed = "data.sms_tasks.filtered", "data.sms_tasks.failed"
	// ready_paged reads the READY tasks seven at a time: one query per page, the first always.
	readyCount := 0
	for _, task := range testsupport.DecodeTasks(t, tasks) {
		if testsupport.Str(task.State) == "READY" {
			readyCount++
		}
	}
	queries := []url.Values{
		{"limit": {"200"}, "offset": {"0"}},
		{
			"state": {"MIGRATE_FAIL"}, "name": {"sms-task-00001"}, "id": {"some-id"},
			"source_server_id": {"some-server"}, "enterprise_project_id": {"0"},
			"limit": {"50"}, "offset": {"0"},
		},
		{"state": {"MIGRATE_FAIL"}, "limit": {"200"}, "offset": {"0"}},
		{"state": {"READY"}, "limit": {"200"}, "offset": {"0"}},
		{"state": {"RUNNING"}, "limit": {"200"}, "offset": {"0"}},
	}
	for offset := 0; offset == 0 || offset < readyCount; offset += 7 {
		queries = append(queries, url.Values{"state": {"READY"}, "limit": {"7"}, "offset": {strconv.Itoa(offset)}})
	}
	const ready, readyPaged, running = "data.sms_tasks.ready", "data.sms_tasks.ready_paged", "data.sms_tasks.running"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	id := tfjsonpath.New("id")
	stableIDConfig := `
data "sms_tasks" "ready" { state = "READY" }
data "sms_tasks" "ready_paged" {
  state     = "READY"
  page_size = 7
}
data "sms_tasks" "running" { state = "RUNNING" }`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`provider "sms" {
  endpoint = %q
  token    = "wrong-token"
}
data "sms_tasks" "all" {}`, server.URL()),
				ExpectError: regexp.MustCompile(`(?s)SMS API Authentication Failed.*HTTP 401.*APIG.1002.*request id: \S+`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: 403, Body: `{"error_code":"SMS.0403","error_msg":"Forbidden: no sms:server:listTask"}`})
				},
				Config:      testsupport.ProviderBlock(server, "") + `data "sms_tasks" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP 403.*SMS.0403.*no sms:server:listTask`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: 429, RetryAfter: "0"}, emulator.Fault{Status: 502, Offset: new(0)})
				},
				Config: testsupport.ProviderBlock(server, "") + `data "sms_tasks" "all" {}`,
				Check:  resource.TestCheckResourceAttr(allTasks, "total_count", "30"),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: 503, Times: 2})
				},
				Config:      testsupport.ProviderBlock(server, "max_retries = 1") + `data "sms_tasks" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Unavailable.*HTTP 503.*after 2 attempts`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{MalformedJSON: true})
				},
				Config:      testsupport.ProviderBlock(server, "") + `data "sms_tasks" "all" {}`,
				ExpectError: regexp.MustCompile(`Invalid SMS API Response`),
			},
			{
				Config: testsupport.ProviderBlock(server, "") + `
data "sms_tasks" "all" {}
data "sms_tasks" "filtered" {
  state                 = "MIGRATE_FAIL"
  name                  = "sms-task-00001"
  task_id               = "some-id"
  source_server_id      = "some-server"
  enterprise_project_id = "0"
  page_size             = 50
}
data "sms_tasks" "failed" {
  state = "MIGRATE_FAIL"
}` + stableIDConfig,
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error {
						return checkQuerySet(server.Queries(), queries)
					},
					resource.TestCheckResourceAttr(failed, "tasks.0.state", "MIGRATE_FAIL"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(filtered, tfjsonpath.New("total_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(filtered, tfjsonpath.New("tasks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(filtered, tfjsonpath.New("state_counts"), knownvalue.MapSizeExact(0)),
					sameID.AddStateValue(ready, id),
					sameID.AddStateValue(readyPaged, id),
					differentID.AddStateValue(ready, id),
					differentID.AddStateValue(running, id),
				},
			},
			{
				Config:            testsupport.ProviderBlock(server, "") + stableIDConfig,
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(ready, id)},
			},
		},
	})
}

// checkQuerySet compares the distinct queries the server received with want, exactly and in any
// order: data sources in one configuration are read concurrently, and each is read more than once
// per step. A filter that is not set must not be sent, and no query may be missing.
func checkQuerySet(got, want []url.Values) error {
	for _, q := range got {
		if !slices.ContainsFunc(want, func(w url.Values) bool { return reflect.DeepEqual(q, w) }) {
			return fmt.Errorf("unexpected query %v, want one of %v", q, want)
		}
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(q url.Values) bool { return reflect.DeepEqual(q, w) }) {
			return fmt.Errorf("query %v never sent; sent %v", w, got)
		}
	}
	return nil
}

// A typo in a state or an impossible page size fails the plan before any request is sent. Tasks
// over several pages then arrive whole and in API order, with one request per page, no request
// past the last page and no more in flight than max_concurrency: page_size = 2 over nine tasks
// gives the same paging as 200 over a thousand, five pages, the last one short. Last,
// summary_only reads every page but keeps the tasks out of the state.
func TestTasksDataSource_InvalidArgumentsPagingAndSummaryOnly(t *testing.T) {
	t.Parallel()
	tasks := emulator.GenerateTasks(9, 7)
	names := testsupport.TaskNames(t, tasks)
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tasks})
	invalid := []struct{ argument, want string }{
		{`state = "MIGRATE_FAILED"`, `(?s)Invalid Attribute Value Match.*MIGRATE_FAIL`},
		{`page_size = 0`, `(?s)page_size.*between 1 and 200`},
		{`page_size = 201`, `(?s)page_size.*between 1 and 200`},
		{`name = ""`, `(?s)name.*length`},
	}
	var steps []resource.TestStep
	for _, c := range invalid {
		steps = append(steps, resource.TestStep{
			Config:      testsupport.ProviderBlock(server, "") + `data "sms_tasks" "all" {` + "\n" + c.argument + "\n}",
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps = append(steps, resource.TestStep{
		PreConfig: func() {
			if got := server.Stats().Requests; got != 0 {
				t.Errorf("invalid arguments sent %d requests, want 0", got)
			}
		},
		Config: testsupport.ProviderBlock(server, "max_concurrency = 3") + `data "sms_tasks" "all" { page_size = 2 }`,
		ConfigStateChecks: []statecheck.StateCheck{
			expect(tfjsonpath.New("total_count"), knownvalue.Int64Exact(9)),
			expect(tfjsonpath.New("page_size"), knownvalue.Int64Exact(2)),
			expect(tfjsonpath.New("tasks"), knownvalue.ListSizeExact(9)),
			expect(tfjsonpath.New("task_states"), knownvalue.MapSizeExact(9)),
			expect(taskPath(0, "name"), knownvalue.StringExact(names[0])),
			expect(taskPath(1, "name"), knownvalue.StringExact(names[1])),
			expect(taskPath(2, "name"), knownvalue.StringExact(names[2])),
			expect(taskPath(8, "name"), knownvalue.StringExact(names[8])),
		},
		Check: func(*terraform.State) error {
			stats := server.Stats()
			reads := stats.PerOffset[0]
			if reads == 0 {
				return fmt.Errorf("no request at offset 0")
			}
			// Pages of two step by one, each repeating the last task of the page before.
			for _, offset := range []int{1, 2, 3, 4, 5, 6, 7} {
				if stats.PerOffset[offset] != reads {
					return fmt.Errorf("offset %d requested %d times, offset 0 %d times", offset, stats.PerOffset[offset], reads)
				}
			}
			if len(stats.PerOffset) != 8 {
				return fmt.Errorf("requested offsets %v, want exactly 0 to 7", stats.PerOffset)
			}
			if stats.MaxInFlight > 3 {
				return fmt.Errorf("max in flight %d exceeds max_concurrency 3", stats.MaxInFlight)
			}
			return nil
		},
	}, resource.TestStep{
		PreConfig: server.ResetStats,
		Config: testsupport.ProviderBlock(server, "") + `
data "sms_tasks" "all" {
  summary_only = true
  page_size    = 2
}
output "failed" {
  value = lookup(data.sms_tasks.all.state_counts, "MIGRATE_FAIL", 0)
}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expect(tfjsonpath.New("tasks"), knownvalue.Null()),
			expect(tfjsonpath.New("summary_only"), knownvalue.Bool(true)),
			expect(tfjsonpath.New("total_count"), knownvalue.Int64Exact(9)),
			expect(tfjsonpath.New("task_states"), knownvalue.MapSizeExact(9)),
			statecheck.ExpectKnownOutputValue("failed", knownvalue.NotNull()),
		},
		Check: func(s *terraform.State) error {
			var sum int
			for key, value := range s.RootModule().Resources[allTasks].Primary.Attributes {
				if len(key) > len("state_counts.") && key[:len("state_counts.")] == "state_counts." && key != "state_counts.%" {
					n, _ := strconv.Atoi(value)
					sum += n
				}
			}
			if sum != 9 {
				return fmt.Errorf("state_counts add up to %d, want 9", sum)
			}
			if server.Stats().PerOffset[7] == 0 {
				return fmt.Errorf("the last page was never read")
			}
			return nil
		},
	})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}
