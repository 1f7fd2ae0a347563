package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

const waveProject = "wave-1"

// waveOptions is a wave of n running tasks web-1 … web-n (ids t1 … tn), each migrating its own
// source server s1 … sn of migration project wave-1, replicating with an estimate of the time
// left.
func waveOptions(n int) emulator.Options {
	opts := emulator.Options{ServerProjects: map[string]string{}}
	for i := 1; i <= n; i++ {
		task := fmt.Sprintf(`{"id":"t%d","name":"web-%d","state":"RUNNING","error_json":"","source_server":{"id":"s%d"}}`, i, i, i)
		server := fmt.Sprintf(`{"id":"s%d","name":"web-%d","state":"replicate","migration_cycle":"replicating",`+
			`"totalsize":1000,"replicatesize":%d,"current_task":{"id":"t%d","name":"web-%d","state":"RUNNING","remain_seconds":600}}`,
			i, i, 100*i, i, i)
		opts.Tasks = append(opts.Tasks, json.RawMessage(task))
		opts.Servers = append(opts.Servers, json.RawMessage(server))
		opts.ServerProjects[fmt.Sprintf("s%d", i)] = waveProject
	}
	return opts
}

func waveTaskIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%d", i+1)
	}
	return ids
}

// The servers of a wave finish one per read from the second; the data source waits at plan
// until every one is cut over and writes that last read. The first read saw none done, so the
// wait polled at least four times.
func TestSourceServersDataSource_WaitCompletes(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, waveOptions(3))
	server.Play(emulator.FinishInTurn(waveTaskIDs(3), "MIGRATE_SUCCESS", 2, 1)...)
	const wave = "data.sms_source_servers.wave"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testsupport.ProviderBlock(server, "") + `
data "sms_source_servers" "wave" {
  migproject_id = "` + waveProject + `"
  wait = {
    until    = { migration_cycle = ["cutovered"] }
    interval = "1s"
  }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(wave, tfjsonpath.New("migration_cycle_counts"),
					knownvalue.MapExact(map[string]knownvalue.Check{"cutovered": knownvalue.Int64Exact(3)})),
				statecheck.ExpectKnownValue(wave, tfjsonpath.New("servers").AtSliceIndex(2).AtMapKey("current_task").AtMapKey("state"),
					knownvalue.StringExact("MIGRATE_SUCCESS")),
				statecheck.ExpectKnownValue(wave, tfjsonpath.New("wait").AtMapKey("interval"), knownvalue.StringExact("1s")),
			},
		}},
	})
	if reads := server.Reads(); reads < 4 {
		t.Errorf("the emulator saw %d listing reads; the wave finishes at the fourth", reads)
	}
}

// A failing task stops the wait at once, naming it with its error_json; a wave that does not
// finish times out saying what is done, what is not and how long it waited; an empty listing
// fails at once; and keys and values of the conditions, and the interval, are checked at plan.
func TestWait_ErrorsAndPlanTimeChecks(t *testing.T) {
	t.Parallel()
	failing := testsupport.StartEmulator(t, waveOptions(3))
	failing.Play(emulator.Step{Read: 2, Task: "t2", State: "MIGRATE_FAIL", ErrorJSON: `{"error_code":"SMS.3802","error_msg":"disk full"}`})
	slow := testsupport.StartEmulator(t, waveOptions(3))
	slow.Play(emulator.FinishInTurn([]string{"t1"}, "MIGRATE_SUCCESS", 1, 1)...)
	tasks := func(server *emulator.Server, wait string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_tasks" "wave" {
  wait = ` + wait + `
}`
	}
	servers := func(server *emulator.Server, filters, wait string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_source_servers" "wave" {
  ` + filters + `
  wait = ` + wait + `
}`
	}
	expectErrors(t, []errorCase{
		{name: "fails fast", config: tasks(failing, `{ until = { state = ["MIGRATE_SUCCESS"] }, interval = "1s" }`),
			want: loosely("SMS Wait Failed", "sms_tasks (wait): 1 of 3 tasks match fail_on { state = [MIGRATE_FAIL] } (poll 2,",
				`- web-2 (t2): state = MIGRATE_FAIL, error: {"error_code":"SMS.3802","error_msg":"disk full"}`)},
		{name: "times out", config: servers(slow, `migproject_id = "`+waveProject+`"`,
			`{ until = { state = ["finished"] }, timeout = "2s", interval = "1s" }`),
			want: loosely("SMS Wait Timed Out", "sms_source_servers (wait): waited 2s (timeout 2s,", "polls); 1 of 3 source servers "+
				"match until { state = [finished] }. Not done yet: - web-2 (s2): state = replicate - web-3 (s3): state = replicate")},
		{name: "empty", config: servers(slow, `migproject_id = "no-such-project"`, `{ until = { state = ["finished"] } }`),
			want: loosely("SMS Wait Found Nothing", "nothing matches these filters")},
		{name: "unknown key", config: servers(slow, "", `{ until = { stat = ["finished"] } }`),
			want: loosely("Invalid Wait Condition", `The condition until names "stat", which is not a top-level attribute`, "migration_cycle")},
		{name: "undocumented value", config: tasks(slow, `{ until = { state = ["DONE"] } }`),
			want: loosely("Invalid Wait Condition", `The condition until.state lists "DONE", which is not a documented value`)},
		{name: "fail_on value", config: servers(slow, "", `{ until = { state = ["finished"] }, fail_on = { migration_cycle = ["broken"] } }`),
			want: loosely("Invalid Wait Condition", `The condition fail_on.migration_cycle lists "broken"`)},
		{name: "bool value", config: servers(slow, "", `{ until = { connected = ["yes"] } }`),
			want: loosely("Invalid Wait Condition", "The condition until.connected is a bool")},
		{name: "interval", config: tasks(slow, `{ until = { state = ["MIGRATE_SUCCESS"] }, interval = "500ms" }`),
			want: loosely("Invalid Wait Interval", `interval is "500ms"; it must be at least 1s`)},
	})
}

// loosely matches the pieces in order, each with any run of white space wherever it has one,
// since Terraform wraps a diagnostic's lines where it likes.
func loosely(pieces ...string) string {
	for i, p := range pieces {
		pieces[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return "(?s)" + strings.Join(pieces, ".*")
}
