package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// decommissionWave is a wave of enterprise project p-wave whose tasks have migrated, plus the
// extra tasks named, each a listed task with the fields the emulator derives checks from. The
// emulator chooses by id: t-8 (two checks) and t-4 found nothing, t-3's check found differences
// in its last directory, and t-2 is still running, so it has run no check.
func decommissionWave(extra ...string) emulator.Options {
	task := func(id, name, state, os string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"id":%q,"name":%q,"state":%q,"os_type":%q,"enterprise_project_id":%q,`+
			`"create_date":1733472000000}`, id, name, state, os, gateCleanProject))
	}
	tasks := map[string]json.RawMessage{
		"app-01": task("t-3", "app-01", "MIGRATE_SUCCESS", "LINUX"),
		"web-01": task("t-8", "web-01", "SYNC_SUCCESS", "LINUX"),
		"db-01":  task("t-4", "db-01", "MIGRATE_SUCCESS", "WINDOWS"),
		"job-01": task("t-2", "job-01", "RUNNING", "LINUX"),
	}
	opts := emulator.Options{}
	for _, name := range []string{"web-01", "db-01"} {
		opts.Tasks = append(opts.Tasks, tasks[name])
	}
	for _, name := range extra {
		opts.Tasks = append(opts.Tasks, tasks[name])
	}
	return opts
}

// servedDirectory is what the example reads of one directory of a check.
type servedDirectory struct {
	DirCheck   string `json:"dir_check"`
	Total      int64  `json:"num_total_files"`
	Different  int64  `json:"num_different_files"`
	TargetMiss int64  `json:"num_target_miss_files"`
	TargetMore int64  `json:"num_target_more_files"`
}

// servedChecks returns the directories of every check the emulator serving opts answers for a
// task, in API order.
func servedChecks(t *testing.T, opts emulator.Options, id string) []servedDirectory {
	t.Helper()
	body := testsupport.EmulatorGet(t, testsupport.StartEmulator(t, opts), "/v3/tasks/"+id+"/consistency-result")
	var dirs []servedDirectory
	for _, c := range testsupport.DecodeJSON[struct {
		ResultList []struct {
			ConsistencyResult []servedDirectory `json:"consistency_result"`
		} `json:"result_list"`
	}](t, body).ResultList {
		dirs = append(dirs, c.ConsistencyResult...)
	}
	return dirs
}

// consistencyExamples checks the examples of sms_task_consistency_result and sms_agent_config, by
// their paths under examples/data-sources.
var consistencyExamples = map[string]func(t *testing.T, h *tfHarness){
	"sms_task_consistency_result/data-source.tf": func(t *testing.T, h *tfHarness) {
		clean := decommissionWave()
		vars := "-var=enterprise_project_id=" + gateCleanProject
		r, out, _ := planWith(t, h, clean, nil, vars)
		mustSucceed(t, r)
		want := map[string]int64{}
		for name, id := range map[string]string{"web-01": "t-8", "db-01": "t-4"} {
			for _, d := range servedChecks(t, clean, id) {
				want[name] += d.Total
			}
		}
		if got := testsupport.DecodeJSON[map[string]int64](t, out["files_checked"]); !maps.Equal(got, want) || len(got) != 2 {
			t.Errorf("files_checked = %v, want %v", got, want)
		}

		// A task whose check found differences stops the plan at the gate, naming the directory
		// with its counts; so does a task that has run no check.
		dirty := decommissionWave("app-01")
		dirs := servedChecks(t, dirty, "t-3")
		last := dirs[len(dirs)-1]
		if last.Different+last.TargetMiss+last.TargetMore == 0 || slices.ContainsFunc(dirs[:len(dirs)-1], func(d servedDirectory) bool {
			return d.Different+d.TargetMiss+d.TargetMore > 0
		}) {
			t.Fatalf("the emulator's check of t-3 is not the one this test expects: %+v", dirs)
		}
		r, _ = planOnly(t, h, dirty, nil, vars)
		mustFail(t, r)
		mustContain(t, r, "Resource postcondition failed",
			"Decommission blocked: task app-01 (t-3) is not consistent with its target.",
			fmt.Sprintf("%s: %d different, %d missing and %d extra file(s).", last.DirCheck, last.Different, last.TargetMiss, last.TargetMore),
			"Synchronize the task and check it again")
		mustNotContain(t, r, "web-01 (t-8)", "db-01 (t-4)", dirs[0].DirCheck+":")
		r, _ = planOnly(t, h, decommissionWave("job-01"), nil, vars)
		mustFail(t, r)
		mustContain(t, r, "Resource postcondition failed", "task job-01 (t-2) is not consistent with its target. It has run no consistency check.")
		// A check the API sends as a string of text is no clean check either.
		text := []emulator.Fault{{Path: "/v3/tasks/t-4/consistency-result", Times: 100,
			Body: `{"task_id":"t-4","result_list":["verification skipped: target unreachable"]}`}}
		r, _ = planOnly(t, h, clean, text, vars)
		mustFail(t, r)
		mustContain(t, r, "task db-01 (t-4) is not consistent", "A check the API sent as text: verification skipped: target unreachable")
	},

	"sms_agent_config/data-source.tf": func(t *testing.T, h *tfHarness) {
		r, out, _ := planWith(t, h, emulator.Options{}, nil)
		mustSucceed(t, r)
		mustNotContain(t, r, "Check block assertion failed")
		got := testsupport.DecodeJSON[struct {
			MainRegion string   `json:"main_region"`
			OBSDomain  string   `json:"obs_domain"`
			Regions    []string `json:"regions"`
		}](t, out["agent"])
		if got.MainRegion != "cn-north-4" || got.OBSDomain != "obs.cn-north-4.myhuaweicloud.com" ||
			!slices.Equal(got.Regions, []string{"cn-north-4", "cn-east-3", "cn-south-1", "ap-southeast-1"}) {
			t.Errorf("agent = %+v", got)
		}
		r, _, _ = planWith(t, h, emulator.Options{}, nil, "-var=target_region=eu-west-101")
		mustSucceed(t, r)
		mustContain(t, r, "Warning: Check block assertion failed", "not eu-west-101: check the endpoint (region) of the provider.")
		// Without config, and with a region without a name, the outputs are null and the rest.
		partial := []emulator.Fault{{Path: "/v3/config", Times: 100, Body: `{"regions":[{"project_name":"x"},{"region_name":"cn-north-4"}]}`}}
		r, out, _ = planWith(t, h, emulator.Options{}, partial)
		mustSucceed(t, r)
		mustNotContain(t, r, "Check block assertion failed")
		if got := string(out["agent"]); got != `{"main_region":null,"obs_domain":null,"regions":["cn-north-4"]}` {
			t.Errorf("agent without config = %s", got)
		}
	},
}

func TestExamples_ConsistencyAndAgentConfig(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "data-sources")
	var files []string
	for _, ds := range []string{"sms_task_consistency_result", "sms_agent_config"} {
		files = append(files, snippetFiles(t, filepath.Join(dir, ds))...)
	}
	planExamples(t, files, relativeTo(t, dir), consistencyExamples, "consistencyExamples")
}
