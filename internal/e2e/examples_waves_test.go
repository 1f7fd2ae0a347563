package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// exampleServer is what the checks need from an emulator source server.
type exampleServer struct {
	ID             *string `json:"id"`
	Name           *string `json:"name"`
	State          *string `json:"state"`
	MigrationCycle *string `json:"migration_cycle"`
	Connected      *bool   `json:"connected"`
	ReplicateSize  *int64  `json:"replicatesize"`
	TotalSize      *int64  `json:"totalsize"`
}

func decodeServers(t *testing.T, raw []json.RawMessage) []exampleServer {
	t.Helper()
	out := make([]exampleServer, len(raw))
	for i, r := range raw {
		out[i] = testsupport.DecodeJSON[exampleServer](t, r)
	}
	return out
}

// oneLine joins Terraform's output into one line, so a long message wrapped by Terraform can be
// matched as written.
// planQuietThenMissing plans a task example for quietTask, whose check must not warn, and then
// planMissingTask.
func planQuietThenMissing(t *testing.T, h *tfHarness, opts emulator.Options, quietTask, what string) {
	t.Helper()
	r, _, _ := planWith(t, h, opts, nil, "-var=task_id="+quietTask)
	mustSucceed(t, r)
	if strings.Contains(r.Output(), "Check block assertion failed") {
		t.Errorf("%s warned: %s", what, r.Output())
	}
	planMissingTask(t, h, opts)
}

// planMissingTask plans a task example for a task id the emulator does not know: the plan fails
// saying so.
func planMissingTask(t *testing.T, h *tfHarness, opts emulator.Options) {
	t.Helper()
	r, _ := planOnly(t, h, opts, nil, "-var=task_id=no-such-task")
	mustFail(t, r)
	mustContain(t, r, "Error: SMS Task Not Found")
}

func oneLine(r tfResult) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(r.Stdout+"\n"+r.Stderr, "│", " ")), " ")
}

// waveExamples checks each data-source.tf file under examples/data-sources/<data source> of the
// migration-wave data sources, by its path under examples/data-sources.
var waveExamples = map[string]func(t *testing.T, h *tfHarness){
	"sms_source_servers/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(15, 6) // 12 servers with both sizes, 3 without.
		r, out, _ := planWith(t, h, fleet.Options(), nil)
		mustSucceed(t, r)
		progress := testsupport.DecodeJSON[map[string]*float64](t, out["replication_progress"])
		servers := decodeServers(t, fleet.Servers)
		if len(progress) != len(servers) {
			t.Errorf("replication_progress has %d servers, want %d", len(progress), len(servers))
		}
		measured := 0
		for _, s := range servers {
			got := progress[testsupport.Str(s.ID)]
			if s.ReplicateSize == nil || s.TotalSize == nil || *s.ReplicateSize == 0 || *s.TotalSize == 0 {
				if got != nil {
					t.Errorf("server %s: progress %v, want null", testsupport.Str(s.ID), *got)
				}
				continue
			}
			measured++
			if want := float64(*s.ReplicateSize) / float64(*s.TotalSize) * 100; got == nil || math.Abs(*got-want) > 1e-9 {
				t.Errorf("server %s: progress %v, want %v", testsupport.Str(s.ID), got, want)
			}
		}
		cycles := map[string]int{}
		for _, s := range servers {
			cycles[testsupport.Str(s.MigrationCycle)]++
		}
		if got := testsupport.DecodeJSON[map[string]int](t, out["servers_by_migration_cycle"]); !maps.Equal(got, cycles) || measured == 0 {
			t.Errorf("servers_by_migration_cycle = %v, want %v (%d measured)", got, cycles, measured)
		}
	},

	"sms_source_servers/wave-gate/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(20, 5)
		project := emulator.MigrationProjects[0]
		var inWave, notCutOver []string
		for i, s := range decodeServers(t, fleet.Servers) {
			if fleet.ServerProjects[testsupport.Str(s.ID)] != project {
				continue
			}
			inWave = append(inWave, string(fleet.Servers[i]))
			if testsupport.Str(s.MigrationCycle) != "cutovered" {
				notCutOver = append(notCutOver, fmt.Sprintf("%s (%s)", testsupport.Str(s.Name), testsupport.Str(s.MigrationCycle)))
			}
		}
		slices.Sort(notCutOver)
		if len(notCutOver) == 0 || len(notCutOver) == len(inWave) {
			t.Fatalf("the wave needs servers both cut over and not: %d of %d not", len(notCutOver), len(inWave))
		}
		r, _ := planOnly(t, h, fleet.Options(), nil, "-var=migproject_id="+project)
		mustFail(t, r)
		want := fmt.Sprintf("Wave %s: %d of %d server(s) not cut over: %s.", project, len(notCutOver), len(inWave), strings.Join(notCutOver, ", "))
		if !strings.Contains(oneLine(r), want) {
			t.Errorf("output lacks %q:\n%s", want, r.Stdout+r.Stderr)
		}

		// A wave whose servers are all cut over passes; an empty one (a mistyped id) does not.
		done := emulator.Options{
			Servers:        []json.RawMessage{json.RawMessage(`{"id":"a","name":"a","migration_cycle":"cutovered"}`), json.RawMessage(`{"id":"b","name":null,"migration_cycle":"cutovered"}`)},
			ServerProjects: map[string]string{"a": "p-done", "b": "p-done"},
		}
		r, _ = planOnly(t, h, done, nil, "-var=migproject_id=p-done")
		mustSucceed(t, r)
		mustContain(t, r, "terraform_data.decommission_sources will be created")
		r, _ = planOnly(t, h, done, nil, "-var=migproject_id=p-typo")
		mustFail(t, r)
		if !strings.Contains(oneLine(r), "Wave p-typo: 0 of 0 server(s) not cut over") {
			t.Errorf("an empty wave passed:\n%s", r.Stdout+r.Stderr)
		}
	},

	"sms_source_servers/offline-agents/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(20, 5)
		var want []string
		for _, s := range decodeServers(t, fleet.Servers) {
			if s.Connected != nil && !*s.Connected {
				want = append(want, testsupport.Str(s.ID))
			}
		}
		if len(want) == 0 {
			t.Fatal("the fleet has no offline agent")
		}
		r, out, _ := planWith(t, h, fleet.Options(), nil)
		mustSucceed(t, r)
		var got []string
		for _, a := range testsupport.DecodeJSON[[]struct {
			ID            string `json:"id"`
			LastVisitTime *int64 `json:"last_visit_time"`
		}](t, out["offline_agents"]) {
			if a.LastVisitTime == nil {
				t.Errorf("offline agent %s has no last_visit_time", a.ID)
			}
			got = append(got, a.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("offline_agents = %v, want %v", got, want)
		}
	},

	"sms_task/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(20, 3)
		running := testsupport.DecodeTasks(t, fleet.Tasks)[2] // The rotation makes task 2 RUNNING.
		r, out, server := planWith(t, h, fleet.Options(), nil, "-var=task_id="+testsupport.Str(running.ID))
		mustSucceed(t, r)
		remain := remainSecondsOf(t, server, testsupport.Str(running.ID))
		eta := testsupport.DecodeJSON[struct {
			State      string  `json:"state"`
			Remaining  string  `json:"remaining"`
			FinishesAt *string `json:"finishes_at"`
		}](t, out["eta"])
		want := fmt.Sprintf("%dh%02dm", remain/3600, remain%3600/60)
		if eta.State != "RUNNING" || eta.Remaining != want || eta.FinishesAt == nil {
			t.Errorf("eta = %+v, want RUNNING, %s and a finish time", eta, want)
		}
		planMissingTask(t, h, fleet.Options())
	},

	"sms_task_speed_limits/data-source.tf": func(t *testing.T, h *tfHarness) {
		opts := emulator.Options{TaskDetails: map[string]json.RawMessage{
			"t-2":  json.RawMessage(`{"id":"t-2","state":"RUNNING","speed_limit":50}`),
			"fast": json.RawMessage(`{"id":"fast","state":"RUNNING","speed_limit":300}`),
		}}
		r, out, _ := planWith(t, h, opts, nil, "-var=task_id=t-2")
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[map[string]string](t, out["speed_limits"])
		if want := map[string]string{"08:00-20:00": "50 Mbit/s", "20:00-08:00": "50 Mbit/s"}; !maps.Equal(got, want) {
			t.Errorf("speed_limits = %v, want %v", got, want)
		}
		mustContain(t, r, "Warning: Check block assertion failed", "limited below 100 Mbit/s")
		planQuietThenMissing(t, h, opts, "fast", "a task above the minimum")
	},

	"sms_task_configuration/data-source.tf": func(t *testing.T, h *tfHarness) {
		opts := emulator.Options{TaskDetails: map[string]json.RawMessage{
			"lin": json.RawMessage(`{"id":"lin","os_type":"LINUX","type":"MIGRATE_FILE","special_config":[
				{"config_key":"MIGRATE_EXCLUDE_DIR","config_value":"/tmp,/data"},{"config_key":"MIGRATE_EXCLUDE_DIR","config_value":"/var/log"}]}`),
			"win": json.RawMessage(`{"id":"win","os_type":"WINDOWS","special_config":null}`),
		}}
		r, out, _ := planWith(t, h, opts, nil, "-var=task_id=lin")
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[struct {
			MigrateType string   `json:"migrate_type"`
			Excluded    []string `json:"excluded"`
		}](t, out["settings"])
		if got.MigrateType != "LINUX_MIGRATE_FILE" || !slices.Equal(got.Excluded, []string{"/tmp", "/data", "/var/log"}) {
			t.Errorf("settings = %+v", got)
		}
		mustContain(t, r, "Warning: Check block assertion failed", "Task lin excludes /data from the migration")
		planQuietThenMissing(t, h, opts, "win", "a task without configurations")
	},

	"sms_source_server_overview/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(20, 5)
		counts := testsupport.CountServers(t, fleet)
		r, out, _ := planWith(t, h, fleet.Options(), nil)
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[map[string]int](t, out["servers_by_state"])
		want := map[string]int{"waiting": counts["waiting"], "replicate": counts["replicate"], "syncing": counts["syncing"],
			"finished": counts["finished"], "error": counts["error"]}
		if !maps.Equal(got, want) {
			t.Errorf("servers_by_state = %v, want %v", got, want)
		}
		if counts["error"] == 0 {
			t.Fatal("the fleet needs a server in error for the check block to warn about")
		}
		mustContain(t, r, "Warning: Check block assertion failed")
		// An older API reports no error counter: the check must not read that as none in error.
		legacy := []emulator.Fault{{Body: `{"waiting":5,"replicating":6,"syncing":3,"other":2}`, Times: 100}}
		r, _, _ = planWith(t, h, fleet.Options(), legacy)
		mustSucceed(t, r)
		mustContain(t, r, "Warning: Check block assertion failed", "An unknown number of")
	},
}

// remainSecondsOf asks the emulator for a task's remain_seconds, as the example's ETA uses it.
func remainSecondsOf(t *testing.T, server *emulator.Server, id string) int64 {
	t.Helper()
	body := testsupport.EmulatorGet(t, server, "/v3/tasks/"+id)
	detail := testsupport.DecodeJSON[struct {
		RemainSeconds *int64 `json:"remain_seconds"`
	}](t, body)
	if detail.RemainSeconds == nil {
		t.Fatalf("task %s has no remain_seconds: %s", id, body)
	}
	return *detail.RemainSeconds
}

func TestExamples_WaveDataSources(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "data-sources")
	var files []string
	for _, ds := range []string{"sms_task", "sms_source_servers", "sms_source_server_overview", "sms_task_speed_limits",
		"sms_task_configuration"} {
		files = append(files, snippetFiles(t, filepath.Join(dir, ds))...)
	}
	planExamples(t, files, relativeTo(t, dir), waveExamples, "waveExamples")
}
