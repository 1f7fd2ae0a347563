package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// A listing that shifts while it is read, through the terraform binary: page_size 2, six items
// with the third failed; after page 0 is served, the first is deleted and a seventh created. The
// count stays 6 and every page is full, so offset paging without overlap read 1,2,4,5,6,7 and a
// gate on state_counts passed although item 3 failed. Each page now repeats the last item of the
// page before, the shift shows, the listing is read again, and the gate fails as it must.

// shiftOnce returns an OnRequest hook that runs change once, on the first request after page 0,
// before that page is read; every page after sees the changed list. self is set to the server
// once it exists.
func shiftOnce(self *atomic.Pointer[emulator.Server], change func(*emulator.Server)) func(url.Values) {
	var once sync.Once
	return func(q url.Values) {
		if q.Get("offset") != "0" {
			once.Do(func() { change(self.Load()) })
		}
	}
}

// deleteFirstAddLast deletes the first item and appends added.
func deleteFirstAddLast(added string) func([]json.RawMessage) []json.RawMessage {
	return func(items []json.RawMessage) []json.RawMessage {
		return append(items[1:len(items):len(items)], json.RawMessage(added))
	}
}

func TestE2E_ShiftingTaskListingKeepsTheFailedTask(t *testing.T) {
	t.Parallel()
	tasks := make([]json.RawMessage, 6)
	for i := range tasks {
		state := "MIGRATE_SUCCESS"
		if i == 2 {
			state = "MIGRATE_FAIL"
		}
		tasks[i] = json.RawMessage(fmt.Sprintf(`{"id":"task-%d","name":"task-%d","state":%q}`, i+1, i+1, state))
	}
	var self atomic.Pointer[emulator.Server]
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tasks, OnRequest: shiftOnce(&self, func(s *emulator.Server) {
		s.Mutate(deleteFirstAddLast(`{"id":"task-7","name":"task-7","state":"MIGRATE_SUCCESS"}`))
	})})
	self.Store(server)
	h := newHarness(t)
	// One request at a time, so that page 0 is served before the shift.
	h.Write("main.tf", smsVersions+testsupport.ProviderBlock(server, "max_concurrency = 1")+`
data "sms_tasks" "all" {
  page_size = 2

  lifecycle {
    postcondition {
      condition     = lookup(self.state_counts, "MIGRATE_FAIL", 0) == 0
      error_message = "Failed tasks: ${join(", ", [for id, s in self.task_states : id if s == "MIGRATE_FAIL"])}."
    }
  }
}
`)
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Resource postcondition failed", "Failed tasks: task-3.")
	if got := server.Stats().Requests; got != 10 {
		t.Errorf("requests = %d, want 10: two reads of pages at offsets 0 to 4", got)
	}
}

func TestE2E_ShiftingServerListingKeepsTheReplicatingServer(t *testing.T) {
	t.Parallel()
	servers := make([]json.RawMessage, 6)
	for i := range servers {
		state, cycle := "finished", "cutovered"
		if i == 2 {
			state, cycle = "replicate", "replicating"
		}
		servers[i] = json.RawMessage(fmt.Sprintf(`{"id":"server-%d","name":"server-%d","state":%q,"migration_cycle":%q}`, i+1, i+1, state, cycle))
	}
	var self atomic.Pointer[emulator.Server]
	server := testsupport.StartEmulator(t, emulator.Options{Servers: servers, OnRequest: shiftOnce(&self, func(s *emulator.Server) {
		s.MutateServers(deleteFirstAddLast(`{"id":"server-7","name":"server-7","state":"finished","migration_cycle":"cutovered"}`))
	})})
	self.Store(server)
	h := newHarness(t)
	h.Write("main.tf", smsVersions+testsupport.ProviderBlock(server, "max_concurrency = 1")+`
data "sms_source_servers" "wave" {
  page_size = 2

  lifecycle {
    postcondition {
      condition     = length(self.servers) > 0 && alltrue([for s in self.servers : s.migration_cycle == "cutovered"])
      error_message = "Not cut over: ${join(", ", [for s in self.servers : s.name if s.migration_cycle != "cutovered"])}."
    }
  }
}
`)
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Resource postcondition failed", "Not cut over: server-3.")
}

// An API that caps its pages below page_size fails every read; the error says so and names
// page_size, and with page_size at the cap the read succeeds.
func TestE2E_CappedPagesNamePageSize(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tinyTasks(120, "READY")})
	// Both reads' first pages hold 50 of the 200 asked for, as a gateway that caps pages would.
	server.InjectFaults(emulator.Fault{Body: pageJSON(120, tinyTasks(50, "READY")), Offset: new(0), Times: 2})
	h := newHarness(t)
	h.Write("main.tf", readConfig(server, "", ""))
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "Error: Inconsistent SMS Task List", "the API may cap the page size at 50",
		"The first page held 50 where 200 were asked for", "set page_size = 50 or less")
	mustNotContain(t, r, "run again")

	h.Write("main.tf", readConfig(server, "", "page_size = 50"))
	mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	if got := testsupport.DecodeJSON[[]string](t, h.Outputs()["names"]); len(got) != 120 {
		t.Errorf("names: %d, want 120", len(got))
	}
}
