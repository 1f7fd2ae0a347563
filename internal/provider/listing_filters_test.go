package provider

import (
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// A gateway that ignores the filters answers sms_tasks { state = "MIGRATE_SUCCESS" } with a
// failed task, and a wave's sms_source_servers { migration_cycle = "cutovered" } with a server
// still replicating. Both reads fail, naming the filter and the item, instead of letting an
// "every task succeeded" or "the wave is cut over" gate pass.
func TestListings_IgnoredFiltersFailThePlan(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{})
	server.InjectFaults(
		emulator.Fault{Status: 200, Path: "/v3/tasks", Times: 10,
			Body: `{"count":2,"tasks":[{"id":"t-ok","state":"MIGRATE_SUCCESS"},{"id":"t-failed","state":"MIGRATE_FAIL"}]}`},
		emulator.Fault{Status: 200, Path: "/v3/sources", Times: 10,
			Body: `{"count":2,"source_servers":[{"id":"s-done","migration_cycle":"cutovered"},{"id":"s-busy","migration_cycle":"replicating"}]}`},
	)
	expectErrors(t, []errorCase{{
		name: "state and migration_cycle ignored",
		config: testsupport.ProviderBlock(server, "max_retries = 0") + `
data "sms_tasks" "succeeded" {
  state = "MIGRATE_SUCCESS"
}
data "sms_source_servers" "cut_over" {
  migration_cycle = "cutovered"
}`,
		want: `(?s)("t-failed"\)\s+whose\s+state\s+is\s+"MIGRATE_FAIL".*"s-busy"\)\s+whose|` +
			`"s-busy"\)\s+whose.*"t-failed"\)\s+whose\s+state\s+is\s+"MIGRATE_FAIL")`,
	}})
}
