package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// These tests run the rules of a listing the gate can trust through the real terraform binary:
// every listing that is invalid or contradicts its count fails the apply with a non-zero exit
// code and leaves the state as it was. The client tests in internal/smsapi (paging_test.go,
// jsonscan_test.go) cover each rule in detail.

// tinyTasks returns n small tasks t-00000, t-00001, …, in the given state: cheap to serve and store.
func tinyTasks(n int, state string) []json.RawMessage {
	out := make([]json.RawMessage, n)
	for i := range out {
		out[i] = json.RawMessage(fmt.Sprintf(`{"id":"t-%05d","name":"t-%05d","state":%q}`, i, i, state))
	}
	return out
}

// pageJSON is a body of count and the given tasks.
func pageJSON(count int64, tasks []json.RawMessage) string {
	parts := make([]string, len(tasks))
	for i, task := range tasks {
		parts[i] = string(task)
	}
	return fmt.Sprintf(`{"count":%d,"tasks":[%s]}`, count, strings.Join(parts, ","))
}

func TestE2E_UntrustworthyListingsFailTheRead(t *testing.T) {
	t.Parallel()
	failed := tinyTasks(3, "MIGRATE_FAIL")
	cases := map[string]struct {
		tasks       int
		body        string // served at Offset (both reads) instead of the emulator's page
		offset      int
		want        []string
		maxRequests int
		priorApply  bool // read once by an apply against the healthy API first, to show the state is kept
	}{
		"count 1000 while every page holds 100 of 200": {
			tasks: 1000, body: pageJSON(1000, tinyTasks(100, "READY")),
			want:        []string{"Error: Inconsistent SMS Task List", "read 100 tasks against a count of 1000", "request ids"},
			maxRequests: 2,
		},
		"a short middle page": {
			tasks: 1000, offset: 199, body: pageJSON(1000, tinyTasks(50, "READY")),
			want: []string{"Error: Inconsistent SMS Task List", "against a count of 1000"},
		},
		"count 0 with three failed tasks": {
			tasks: 5, body: pageJSON(0, failed),
			want:        []string{"Error: Inconsistent SMS Task List", "read 3 tasks against a count of 0"},
			maxRequests: 2,
			priorApply:  true,
		},
		"a huge count with empty later pages": {
			tasks: 200, body: pageJSON(1_000_000_000_000, tinyTasks(200, "READY")),
			want: []string{"Error: Inconsistent SMS Task List", "against a count of 1000000000000"},
			// Two reads of offsets 0, 199 and at most one page above the short one each; the
			// provider used to send 328 requests here.
			maxRequests: 6,
		},
		"tasks missing while count is 3": {
			tasks: 3, body: `{"count":3}`,
			want:        []string{"Error: Invalid SMS API Response", `"tasks" is missing or null while "count" is 3`},
			maxRequests: 1,
		},
		"tasks null while count is 3": {
			tasks: 3, body: `{"count":3,"tasks":null}`,
			want:        []string{"Error: Invalid SMS API Response", `"tasks" is missing or null while "count" is 3`},
			maxRequests: 1,
		},
		"60,000 tasks on a page of 200": {
			tasks: 3, body: `{"count":1000,"tasks":[` + strings.Repeat(`{},`, 59999) + `{}]}`,
			want:        []string{"Error: Invalid SMS API Response", `"tasks" holds more than the limit of 200`},
			maxRequests: 1,
		},
		"a 200 whose error_code stands beside a count of 0": {
			tasks: 3, body: `{"count":0,"error_code":"APIG.0101","error_msg":"The API does not exist"}`,
			want:        []string{"Error: Invalid SMS API Response", "(error_code APIG.0101): The API does not exist"},
			maxRequests: 1,
		},
		"one task listed as failed and again as succeeded": {
			tasks: 2, body: `{"count":2,"tasks":[{"id":"t1","state":"MIGRATE_FAIL"},{"id":"t1","state":"MIGRATE_SUCCESS"}]}`,
			want:        []string{"Error: Inconsistent SMS Task List", `id "t1" is listed as "MIGRATE_FAIL" and again as "MIGRATE_SUCCESS"`},
			maxRequests: 2,
		},
		"a null task": {
			tasks: 2, body: `{"count":2,"tasks":[{"id":"a","state":"READY"},null]}`,
			want:        []string{"Error: Invalid SMS API Response", `holds 1 null element(s), which are not tasks`},
			maxRequests: 1,
		},
		"the tasks key twice": {
			tasks: 3, body: `{"count":1,"tasks":[{"id":"A","name":"a","state":"MIGRATE_FAIL"}],"tasks":[{"id":"B"}]}`,
			want:        []string{"Error: Invalid SMS API Response", `the key "tasks" is repeated in one object`},
			maxRequests: 1,
		},
	}
	// Every case reads through a provider alias of its own against an emulator of its own, all
	// in one terraform run, which goes on to read every data source after the first fails; each
	// error names its data source, so each case's error and request count is checked on its own.
	servers := map[string]*emulator.Server{}
	config := smsVersions
	prior := smsVersions
	for name, tc := range cases {
		id := hclName(name)
		servers[name] = testsupport.StartEmulator(t, emulator.Options{Tasks: tinyTasks(tc.tasks, "READY")})
		block := testsupport.ProviderBlock(servers[name], "alias = \""+id+"\"\n  max_concurrency = 1") + `
data "sms_tasks" "` + id + `" {
  provider     = sms.` + id + `
  summary_only = true
}

output "` + id + `_total_count" {
  value = data.sms_tasks.` + id + `.total_count
}
`
		config += block
		if tc.priorApply {
			prior += block
		}
	}
	h := newHarness(t)
	h.Write("main.tf", prior)
	mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	before := h.Read("terraform.tfstate")
	if !strings.Contains(before, `"type": "sms_tasks"`) {
		t.Fatalf("the prior apply stored no data source:\n%s", before)
	}
	h.Write("main.tf", config)
	requestsBefore := map[string]int{}
	for name, tc := range cases {
		requestsBefore[name] = servers[name].Stats().Requests
		servers[name].InjectFaults(emulator.Fault{Body: tc.body, Offset: new(tc.offset), Times: 2})
	}

	errs := failedApplyErrors(t, h, len(cases))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mustHaveError(t, errs, "data.sms_tasks."+hclName(name), tc.want...)
			if n := servers[name].Stats().Requests - requestsBefore[name]; tc.maxRequests > 0 && n > tc.maxRequests {
				t.Errorf("requests = %d, want at most %d", n, tc.maxRequests)
			}
		})
	}
}

// The re-read shares the read's timeout: when the first listing contradicts its count and the
// re-read hangs, the read fails with "SMS Tasks Read Timed Out" after timeouts.read, not later.
func TestE2E_RereadCountsAgainstTheReadTimeout(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tinyTasks(5, "READY")})
	server.InjectFaults(
		emulator.Fault{Body: pageJSON(6, tinyTasks(5, "READY")), Offset: new(0)},
		emulator.Fault{Delay: time.Minute, Offset: new(0)},
	)
	h := newHarness(t)
	// Three seconds leave the first listing time to arrive on a loaded machine.
	h.Write("main.tf", readConfig(server, `request_timeout = "50s"`, `timeouts = { read = "3s" }`))

	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: SMS Tasks Read Timed Out", "longer than the read timeout (3s)")
	if got := server.Stats().Requests; got != 2 {
		t.Errorf("requests = %d, want 2: the read and its re-read", got)
	}
}
