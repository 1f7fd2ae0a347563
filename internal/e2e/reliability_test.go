package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// These tests run the real terraform binary against the built provider and the emulator, and
// check what a user of a CI pipeline would see when the API is throttled, slow, interrupted,
// changing or answered by a gateway. Client-level tests in internal/smsapi cover the same faults
// in detail; these prove the behaviour survives the trip through Terraform.

// logLines returns the lines of a TF_LOG file that contain every one of the given texts.
func logLines(log string, contains ...string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if !slices.ContainsFunc(contains, func(c string) bool { return !strings.Contains(line, c) }) {
			out = append(out, line)
		}
	}
	return out
}

// A burst of 429s (APIG.0308) on several pages, with Retry-After in seconds, as an HTTP date,
// and absent, is waited out: the read completes with every task in order, each wait shows in the
// DEBUG log, and no page is asked for more often than its faults require.
func TestE2E_ThrottlingBurstRecovers(t *testing.T) {
	t.Parallel()
	// Nine tasks in pages of two, each repeating the last task of the page before: eight pages
	// at offsets 0 to 7, among them the three the faults need.
	tasks := emulator.GenerateTasks(9, 21)
	var (
		self atomic.Pointer[emulator.Server] // The callback's own server, set once it exists.
		once sync.Once
	)
	server := testsupport.StartEmulator(t, emulator.Options{
		Tasks: tasks,
		// The HTTP-date fault is injected when its request arrives, so the date lies a known
		// time ahead of the answer however long Terraform took to start.
		OnRequest: func(q url.Values) {
			if q.Get("offset") == "2" {
				once.Do(func() {
					date := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
					self.Load().InjectFaults(emulator.Fault{Status: 429, RetryAfter: date, Offset: new(2)})
				})
			}
		},
	})
	self.Store(server)
	server.InjectFaults(
		emulator.Fault{Status: 429, RetryAfter: "1", Offset: new(0)},
		emulator.Fault{Status: 429, Offset: new(4)},
	)
	h := newHarness(t)
	logPath := filepath.Join(t.TempDir(), "debug.log")
	h.Setenv("TF_LOG", "DEBUG")
	h.Setenv("TF_LOG_PATH", logPath)
	h.Write("main.tf", readConfig(server, "max_concurrency = 3", "page_size = 2"))

	r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustNotContain(t, r, "Error:", "Incomplete SMS Task List")
	out := h.Outputs()
	if got := testsupport.DecodeJSON[[]string](t, out["names"]); !slices.Equal(got, testsupport.TaskNames(t, tasks)) {
		t.Errorf("names: got %d tasks, want all 9 in API order", len(got))
	}
	stats := server.Stats()
	if stats.Faults != 3 || server.PendingFaults() != 0 || stats.Requests != 8+3 {
		t.Errorf("faults served %d (pending %d), requests %d; want 3, 0 and 11", stats.Faults, server.PendingFaults(), stats.Requests)
	}
	if stats.MaxInFlight > 3 {
		t.Errorf("max in flight %d exceeds max_concurrency 3", stats.MaxInFlight)
	}

	logText := readFile(t, logPath)
	if n := len(logLines(logText, "smsapi: received response", "status=429")); n != 3 {
		t.Errorf("DEBUG log has %d responses with status=429, want 3", n)
	}
	retries := logLines(logText, "smsapi: sending request", "attempt=2")
	if len(retries) != 3 {
		t.Errorf("DEBUG log has %d second attempts, want 3", len(retries))
	}
	for _, line := range retries {
		if !strings.Contains(line, "waited=") {
			t.Errorf("a retry does not say how long it waited: %s", line)
		}
	}
	if len(logLines(logText, "read SMS tasks", "pages=8", "tasks=9")) != 1 {
		t.Errorf("DEBUG log lacks the summary of the read")
	}
}

// A Retry-After longer than the provider waits on its own (an hour here) fails the read at once,
// with a diagnostic that says when to run again, instead of a run that looks hung.
func TestE2E_HugeRetryAfterFailsAtOnce(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(5, 1)})
	server.InjectFaults(emulator.Fault{Status: 429, RetryAfter: "3600", Times: 5})
	h := newHarness(t)
	h.Write("main.tf", readConfig(server, "", ""))
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: SMS API Throttled", "APIG.0308", "The API asked to wait until", "Run again after that time.")
	if got := server.Stats().Requests; got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

// More matching tasks than the API's offset limit reaches: every reachable page is read, no
// offset beyond 65,535 is asked for, and Terraform shows the warning to narrow the filters; the
// read itself succeeds, because the API cannot serve more. The emulator holds 70,000 small tasks.
// A plan, as a CI gate runs it, reads the data source as an apply does; an apply would only add
// writing the 65,671 task states to the state file.
func TestE2E_OffsetCapWarning(t *testing.T) {
	t.Parallel()
	tasks := make([]json.RawMessage, 70000)
	for i := range tasks {
		tasks[i] = json.RawMessage(fmt.Sprintf(`{"id":"t-%05d","state":"READY"}`, i))
	}
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tasks})
	h := newHarness(t)
	h.Write("main.tf", smsVersions+testsupport.ProviderBlock(server, "max_concurrency = 8")+`
data "sms_tasks" "all" {
  summary_only = true
}

output "total_count" {
  value = data.sms_tasks.all.total_count
}

output "read" {
  value = length(data.sms_tasks.all.task_states)
}

output "last_reachable_read" {
  value = contains(keys(data.sms_tasks.all.task_states), "t-65670")
}
`)
	r := mustSucceed(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "Warning: Incomplete SMS Task List", "Read 65671 of the 70000 tasks",
		"only up to offset 65535", "Narrow the filters", "a gate over them does not see the rest")
	// The outputs as the plan shows them, known from the read.
	mustContain(t, r, "Changes to Outputs:", "+ last_reachable_read = true", "+ read = 65671", "+ total_count = 70000")
	stats := server.Stats()
	last := 0
	for offset := range stats.PerOffset {
		last = max(last, offset)
	}
	// Pages of 200 step by 199: the last offset the API accepts is 329 x 199.
	if last != 65471 || stats.Requests != 65471/199+1 {
		t.Errorf("last offset %d after %d requests; want 65471 after 330", last, stats.Requests)
	}
}

// A read slower than the data source's timeouts.read fails with a diagnostic that names the
// timeout and how to raise it, although each attempt alone is within request_timeout.
func TestE2E_ReadTimeoutBoundsWholeRead(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(5, 1)})
	server.InjectFaults(emulator.Fault{Delay: time.Minute, Times: 10})
	h := newHarness(t)
	h.Write("main.tf", readConfig(server, `request_timeout = "50s"`, `timeouts = { read = "2s" }`))

	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: SMS Tasks Read Timed Out", "longer than the read timeout (2s)", `timeouts = { read = "30m" }`)
	if got := server.Stats().Requests; got != 1 {
		t.Errorf("requests = %d, want 1: the read must not retry past its own deadline", got)
	}
}

// request_timeout bounds each attempt: a hung attempt is abandoned and retried, and when every
// attempt hangs the diagnostic says that the API did not answer within request_timeout, rather
// than blaming the read's own timeout.
func TestE2E_RequestTimeoutBoundsEachAttempt(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(5, 1)})
	server.InjectFaults(emulator.Fault{Delay: time.Minute, Times: 2})
	h := newHarness(t)
	h.Write("main.tf", readConfig(server, "request_timeout = \"1s\"\n  max_retries = 1", ""))

	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: SMS API Request Timed Out", "within the request timeout (1s)", "Raise request_timeout", "after 2 attempt(s)")
	mustNotContain(t, r, "Read Timed Out")
	if got := server.Stats().Requests; got != 2 {
		t.Errorf("requests = %d, want 2 (one retry)", got)
	}
	// One hung attempt followed by a good one succeeds: TestClient_RequestTimeoutBoundsEachAttempt.
}

// Ctrl-C while a read runs during apply: Terraform sends StopProvider, the server cancels the
// read's context, the provider returns at once, Terraform exits within seconds instead of
// waiting for the hung request, and no further request reaches the API.
func TestE2E_InterruptDuringApplyStopsRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sending os.Interrupt to another process is not supported on Windows")
	}
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(5, 1)})
	server.InjectFaults(emulator.Fault{Delay: 10 * time.Minute, Times: 100})
	h := newHarness(t)
	// depends_on on a resource being created defers the read to the apply phase, where
	// Terraform forwards an interrupt to the providers.
	h.Write("main.tf", smsVersions+testsupport.ProviderBlock(server, "")+`
resource "terraform_data" "trigger" {
  input = "go"
}

data "sms_tasks" "all" {
  depends_on = [terraform_data.trigger]
}
`)
	p := h.Start("apply", "-auto-approve", "-no-color")
	deadline := time.Now().Add(time.Minute)
	for server.Stats().InFlight == 0 {
		if time.Now().After(deadline) || p.Exited(0) {
			t.Fatalf("the read never reached the emulator\n%s", p.Kill())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	interrupted := time.Now()
	if !p.Exited(15 * time.Second) {
		t.Fatalf("terraform did not exit within 15s of the interrupt\n%s", p.Kill())
	}
	r := p.Wait(time.Second)
	if r.ExitCode == 0 {
		t.Errorf("terraform exited 0 after an interrupted read\n%s", r)
	}
	mustContain(t, r, "SMS Tasks Read Cancelled")
	t.Logf("terraform exited %s after the interrupt", time.Since(interrupted).Round(time.Millisecond))

	requests := server.Stats().Requests
	time.Sleep(1500 * time.Millisecond) // Longer than the first retry backoff of 1s.
	stats := server.Stats()
	if stats.Requests != requests || stats.InFlight != 0 {
		t.Errorf("after exit: requests %d -> %d, in flight %d; want no new request and none open", requests, stats.Requests, stats.InFlight)
	}
	if requests != 1 {
		t.Errorf("requests = %d, want 1", requests)
	}
}

// Tasks added or removed at the front of the list between two pages shift the list under the
// pager. An added task pushes a task already read onto the next page: that page holds the last
// task of the page before one place later, the task ahead of it is returned once, in order, the
// grown count accounts for the repeat, and the listing is used as it is. A removed task pulls a
// task not yet read onto the page already read, so the next page does not repeat the last task
// of the page before: the listing is read again from offset 0, the consistent second listing is
// used, and the DEBUG log says so. Either way no warning is shown and every task is there.
func TestE2E_TasksChangingWhilePaging(t *testing.T) {
	t.Parallel()
	extra := json.RawMessage(`{"id":"inserted-task","name":"inserted-task","state":"READY"}`)
	cases := map[string]struct {
		change  func(tasks []json.RawMessage) []json.RawMessage
		want    func(names []string) []string
		logLine []string
	}{
		"task inserted at the front": {
			change:  func(tasks []json.RawMessage) []json.RawMessage { return append([]json.RawMessage{extra}, tasks...) },
			want:    func(names []string) []string { return names },
			logLine: []string{"read SMS tasks", "duplicates_dropped=1", "reread=false"},
		},
		"task deleted at the front": {
			change: func(tasks []json.RawMessage) []json.RawMessage { return tasks[1:] },
			// The second listing sees the list as it is now.
			want:    func(names []string) []string { return names[1:] },
			logLine: []string{"the second listing is consistent and is used", "does not repeat the item with id"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tasks := emulator.GenerateTasks(12, 4)
			var (
				self atomic.Pointer[emulator.Server] // The callback's own server, set once it exists.
				once sync.Once
			)
			// The change comes after the first page and before the next one, whichever that is:
			// the client may ask for offsets 4 and 8 in either order. Both then see the changed
			// list, so the pages hold the same tasks in either order.
			server := testsupport.StartEmulator(t, emulator.Options{Tasks: tasks, OnRequest: func(q url.Values) {
				if q.Get("offset") != "0" {
					once.Do(func() { self.Load().Mutate(tc.change) })
				}
			}})
			self.Store(server)
			h := newHarness(t)
			logPath := filepath.Join(t.TempDir(), "debug.log")
			h.Setenv("TF_LOG", "DEBUG")
			h.Setenv("TF_LOG_PATH", logPath)
			// One request at a time, so that the change falls between two pages.
			h.Write("main.tf", readConfig(server, "max_concurrency = 1", "page_size = 5"))

			r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
			mustNotContain(t, r, "Incomplete SMS Task List")
			if len(logLines(readFile(t, logPath), tc.logLine...)) != 1 {
				t.Errorf("the DEBUG log has no line with %q", tc.logLine)
			}
			got := testsupport.DecodeJSON[[]string](t, h.Outputs()["names"])
			if want := tc.want(testsupport.TaskNames(t, tasks)); !slices.Equal(got, want) {
				t.Errorf("names:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// insecure = true warns that TLS verification is off; a plain-http endpoint on loopback, as the
// emulator's, warns about nothing. (A plain-http endpoint elsewhere is covered by the proxy
// test, which needs a non-loopback host name.) The provider is configured, and warns, in every
// plan, so a plan shows what an apply would.
func TestE2E_TransportWarnings(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(3, 1)})
	h := newHarness(t)
	h.Write("main.tf", readConfig(server, "insecure = true", ""))
	r := mustSucceed(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "Warning: TLS Verification Disabled", "insecure = true skips TLS certificate verification")

	h.Write("main.tf", readConfig(server, "", ""))
	r = mustSucceed(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "+ total_count = 3") // The plan read the tasks, so the provider was configured.
	if !strings.HasPrefix(server.URL(), "http://127.0.0.1:") {
		t.Fatalf("the emulator is not on plain-http loopback: %s", server.URL())
	}
	mustNotContain(t, r, "TLS Verification Disabled", "Unencrypted SMS Endpoint")
}

// An HTML error page from a gateway (502, as nginx sends it) is retried and then reported with
// the status and the page's text, without markup; an HTML page with status 200, as a login
// portal sends, is reported as not being a task list.
func TestE2E_GatewayHTMLErrorPages(t *testing.T) {
	t.Parallel()
	const page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(3, 1)})
	server.InjectFaults(emulator.Fault{Status: 502, Body: page, Times: 2})
	h := newHarness(t)
	h.Write("main.tf", readConfig(server, "max_retries = 1", ""))
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: SMS API Unavailable", "returned HTTP 502 Bad Gateway after 2 attempts",
		"error_msg: 502 Bad Gateway 502 Bad Gateway nginx", "report the request id")
	mustNotContain(t, r, "<html", "<center>", "<title>")

	server.InjectFaults(emulator.Fault{Body: `<!DOCTYPE html><html><title>Sign in</title><body>Please sign in</body></html>`})
	r = mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: Invalid SMS API Response", "the body is HTML or XML, not JSON")
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
