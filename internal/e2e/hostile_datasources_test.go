package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// hostileAPI serves the four endpoints from fixed bodies, switched by a test between steps.
type hostileAPI struct {
	*httptest.Server
	bodies   atomic.Pointer[map[string]string] // path → 200 body
	requests atomic.Int64
}

func newHostileAPI(t *testing.T, bodies map[string]string) *hostileAPI {
	t.Helper()
	api := &hostileAPI{}
	api.Set(bodies)
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.requests.Add(1)
		w.Header().Set("X-Request-Id", "rid-hostile")
		body, ok := (*api.bodies.Load())[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(api.Close)
	return api
}

func (a *hostileAPI) Set(bodies map[string]string) { a.bodies.Store(&bodies) }

func (a *hostileAPI) providerBlock() string { return a.aliasedProviderBlock("") }

// aliasedProviderBlock is providerBlock for the provider alias named alias, or the default
// provider when alias is "".
func (a *hostileAPI) aliasedProviderBlock(alias string) string {
	block := fmt.Sprintf("provider \"sms\" {\n  endpoint    = %q\n  token       = %q\n  max_retries = 0\n", a.URL, testsupport.Token)
	if alias != "" {
		block += fmt.Sprintf("  alias       = %q\n", alias)
	}
	return block + "}\n"
}

// A 200 for sms_task that describes another task, or holds none of a task's fields, fails the
// read and leaves the previous state as it was; so does an overview without any counter.
func TestE2E_DetailAndOverviewThatAreNotTheAnswerFail(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"/v3/tasks/abc-123":    `{"id":"abc-123","name":"wave-1","state":"RUNNING"}`,
		"/v3/sources/overview": `{"waiting":2,"finished":5}`,
	}
	cases := map[string]struct {
		bad     map[string]string
		failing string // the data source whose read fails; the other one reads a good answer
		want    []string
	}{
		"another task": {map[string]string{"/v3/tasks/abc-123": `{"id":"zzz-999","state":"MIGRATE_FAIL"}`, "/v3/sources/overview": good["/v3/sources/overview"]},
			"sms_task", []string{"Error: Invalid SMS API Response", `the body describes the task "zzz-999", not the task "abc-123"`}},
		"no task field": {map[string]string{"/v3/tasks/abc-123": `{}`, "/v3/sources/overview": good["/v3/sources/overview"]},
			"sms_task", []string{"Error: Invalid SMS API Response", "holds none of the task's fields"}},
		"no id, no state": {map[string]string{"/v3/tasks/abc-123": `{"error_json":""}`, "/v3/sources/overview": good["/v3/sources/overview"]},
			"sms_task", []string{"Error: Invalid SMS API Response", "names neither the task's id nor its state"}},
		"an error beside the task": {map[string]string{"/v3/tasks/abc-123": `{"error_code":"SMS.2007","error_msg":"backend exception","id":"abc-123","state":"RUNNING"}`,
			"/v3/sources/overview": good["/v3/sources/overview"]},
			"sms_task", []string{"Error: Invalid SMS API Response", "(error_code SMS.2007): backend exception"}},
		"an error beside a counter": {map[string]string{"/v3/tasks/abc-123": good["/v3/tasks/abc-123"],
			"/v3/sources/overview": `{"error_code":"APIG.0101","error_msg":"gone","waiting":0}`},
			"sms_source_server_overview", []string{"Error: Invalid SMS API Response", "(error_code APIG.0101): gone"}},
		"no counter": {map[string]string{"/v3/tasks/abc-123": good["/v3/tasks/abc-123"], "/v3/sources/overview": `{"count":3}`},
			"sms_source_server_overview", []string{"Error: Invalid SMS API Response", "holds none of the counters"}},
		"negative counter": {map[string]string{"/v3/tasks/abc-123": good["/v3/tasks/abc-123"], "/v3/sources/overview": `{"waiting":-1}`},
			"sms_source_server_overview", []string{"Error: Invalid SMS API Response", `"waiting" is negative (-1)`}},
	}
	// Every case reads through a provider alias of its own against an API of its own, all in one
	// terraform run, which goes on to read every data source after the first fails; each error
	// names its data source, so each case's error is checked on its own.
	apis := map[string]*hostileAPI{}
	config := smsVersions
	for name := range cases {
		id := hclName(name)
		apis[name] = newHostileAPI(t, good)
		config += apis[name].aliasedProviderBlock(id) + `
data "sms_task" "` + id + `" {
  provider = sms.` + id + `
  task_id  = "abc-123"
}
data "sms_source_server_overview" "` + id + `" {
  provider = sms.` + id + `
}
output "` + id + `_state" { value = data.sms_task.` + id + `.state }
output "` + id + `_waiting" { value = data.sms_source_server_overview.` + id + `.waiting }
`
	}
	h := newHarness(t)
	h.Write("main.tf", config)
	mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	for name, tc := range cases {
		apis[name].Set(tc.bad)
	}
	errs := failedApplyErrors(t, h, len(cases))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mustHaveError(t, errs, "data."+tc.failing+"."+hclName(name), append(tc.want, "rid-hostile")...)
		})
	}
}

// hostileText is a name with ESC (clear screen, colour), BEL, CR, DEL, a C1 CSI and a bidi
// override, as JSON escapes.
const hostileText = `x\u001b[2J\u001b[31mFAKE\u0007\r\u007f\u009b31m\u202eEVIL`

// rawControls are the bytes of hostileText's control characters as they would reach a terminal.
var rawControls = []string{"\x1b[2J", "\x07", "\r", "\x7f", "\u009b", "\u202e"}

// Terraform prints a check's or a precondition's error_message as it is, so an API string
// interpolated there must not hold control characters: they are escaped when decoded, for the
// three data sources that return API text, with and without -no-color. The check is evaluated
// and printed by a plan as by an apply; the apply stores the name for terraform output.
func TestE2E_ControlCharactersInAPIDataNeverReachTheTerminal(t *testing.T) {
	t.Parallel()
	api := newHostileAPI(t, map[string]string{
		"/v3/tasks":         `{"count":1,"tasks":[{"id":"t1","name":"` + hostileText + `","state":"MIGRATE_FAIL"}]}`,
		"/v3/sources":       `{"count":1,"source_servers":[{"id":"s1","name":"` + hostileText + `","state":"error"}]}`,
		"/v3/tasks/abc-123": `{"id":"abc-123","name":"` + hostileText + `","state":"MIGRATE_FAIL"}`,
	})
	h := newHarness(t)
	h.Write("main.tf", smsVersions+api.providerBlock()+`
data "sms_tasks" "all" {}
data "sms_source_servers" "all" {}
data "sms_task" "one" {
  task_id = "abc-123"
}
check "names" {
  assert {
    condition     = data.sms_task.one.name == "clean"
    error_message = "tasks ${data.sms_tasks.all.tasks[0].name} servers ${data.sms_source_servers.all.servers[0].name} task ${data.sms_task.one.name}"
  }
}
output "name" { value = data.sms_task.one.name }
`)
	for _, args := range [][]string{{"plan"}, {"apply", "-auto-approve", "-no-color"}} {
		r := mustSucceed(t, h.Run(args...))
		mustContain(t, r, `\x1b[2J`, `\x07`, `\u202eEVIL`)
		for _, raw := range rawControls {
			if strings.Contains(r.Output(), "x"+raw) || strings.Contains(r.Output(), "FAKE"+raw) || strings.Contains(r.Output(), raw+"EVIL") {
				t.Errorf("terraform %v printed the raw control %q:\n%q", args, raw, r.Output())
			}
		}
	}
	if out := mustSucceed(t, h.Run("output", "-raw", "name")).Stdout; out != `x\x1b[2J\x1b[31mFAKE\x07\r\x7f\x9b31m\u202eEVIL` {
		t.Errorf("output -raw name = %q", out)
	}
}

// replication_progress is derived only from sizes a server can have: a negative size gives null,
// not a negative or huge percentage.
func TestE2E_ReplicationProgressOfNegativeSizesIsNull(t *testing.T) {
	t.Parallel()
	api := newHostileAPI(t, map[string]string{
		"/v3/sources": `{"count":3,"source_servers":[` +
			`{"id":"s1","totalsize":-1,"replicatesize":5},` +
			`{"id":"s2","totalsize":100,"replicatesize":-5},` +
			`{"id":"s3","totalsize":200,"replicatesize":50}]}`,
	})
	h := newHarness(t)
	h.Write("main.tf", smsVersions+api.providerBlock()+`
data "sms_source_servers" "all" {}
output "progress" { value = [for s in data.sms_source_servers.all.servers : s.replication_progress] }
`)
	mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	if got := flat(string(h.Outputs()["progress"])); got != "[ null, null, 25 ]" {
		t.Errorf("progress = %s, want [null, null, 25]", got)
	}
}

// A server that ignores offset answers every page with the first one. With an endless count and
// page_size = 1 (read as pages of 2, each repeating the last item of the page before, so the
// answer holds two items to fill a page) both list data sources fail after a few requests, not
// 131,072, and say why.
func TestE2E_ServerIgnoringOffsetFailsAfterFewRequests(t *testing.T) {
	t.Parallel()
	task := `{"id":"same","name":"n","state":"RUNNING"}`
	server := `{"id":"same","name":"n","state":"waiting"}`
	api := newHostileAPI(t, map[string]string{
		"/v3/tasks":   `{"count":1000000000000,"tasks":[` + task + `,` + task + `]}`,
		"/v3/sources": `{"count":1000000000000,"source_servers":[` + server + `,` + server + `]}`,
	})
	h := newHarness(t)
	h.Write("main.tf", smsVersions+api.providerBlock()+`
data "sms_tasks" "all" {
  page_size = 1
}
data "sms_source_servers" "all" {
  page_size = 1
}
`)
	r := mustFail(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "Error: Inconsistent SMS Task List", "Error: Inconsistent SMS Source Server List",
		"the page at offset 2 repeats the first page's tasks (the API may ignore offset)",
		"the page at offset 2 repeats the first page's source servers")
	if n := api.requests.Load(); n > 80 {
		t.Errorf("requests = %d, want at most 80", n)
	}
}

// The 404 of sms_task names the task id and reads as one message: the API's block of
// error_code, error_msg and request id, then the advice, with no stray full stop between them.
func TestE2E_TaskNotFoundNamesTheIDOnce(t *testing.T) {
	t.Parallel()
	// The SMS API's own 404, with its error code: only that one says the task does not exist.
	api := &hostileAPI{Server: httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-hostile")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error_code":"SMS.6002","error_msg":"The migration task does not exist"}`))
	}))}
	t.Cleanup(api.Close)
	h := newHarness(t)
	h.Write("main.tf", smsVersions+api.providerBlock()+`
data "sms_task" "gone" {
  task_id = "abc-123"
}
`)
	r := mustFail(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "Error: SMS Task Not Found", `No migration task has the id "abc-123"`, "HTTP 404", "SMS.6002",
		"request id: rid-hostile Check task_id")
	mustNotContain(t, r, "rid-hostile . Check")
}
