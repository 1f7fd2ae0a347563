package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// Every published example is run as a user runs it; examples_harness_test.go installs, validates
// and plans them. The checks here say what each example's plan must show.

func TestExamples_Formatted(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	mustSucceed(t, h.Run("fmt", "-check", "-recursive", "-diff", filepath.Join(root, "examples")))
}

// Each provider example and the demo only validate: the provider examples point at the real
// cloud, and the demo is applied by make demo. Every provider example is a configuration of its
// own on the registry page, so each is validated alone.
func TestExamples_Validate(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	providerDir := filepath.Join(root, "examples", "provider")
	files, err := filepath.Glob(filepath.Join(providerDir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s: %v", providerDir, err)
	}
	for _, file := range files {
		t.Run("provider/"+filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			validateExample(t, providerDir, filepath.Base(file))
		})
	}
	t.Run("demo", func(t *testing.T) {
		t.Parallel()
		demoDir := filepath.Join(root, "examples", "demo")
		demo, err := filepath.Glob(filepath.Join(demoDir, "*.tf"))
		if err != nil || len(demo) == 0 {
			t.Fatalf("no .tf files in %s: %v", demoDir, err)
		}
		for i := range demo {
			demo[i] = filepath.Base(demo[i])
		}
		validateExample(t, demoDir, demo...) // The demo is one configuration of several files.
	})
	t.Run("demo/gate", func(t *testing.T) {
		t.Parallel()
		validateExample(t, filepath.Join(root, "examples", "demo", "gate"), "main.tf")
	})
}

// dataSourceExamples checks each examples/data-sources/sms_tasks/data-source*.tf file.
var dataSourceExamples = map[string]func(t *testing.T, h *tfHarness){
	"data-source.tf": func(t *testing.T, h *tfHarness) {
		// The API reference's own example: three tasks that share one id but not their names.
		r, out, _ := planAgainst(t, h, emulator.ExampleTasks(), nil)
		mustSucceed(t, r)
		want := map[string]string{"sms_task_lxxxx11": "MIGRATE_SUCCESS", "sms_task_xxx22": "MIGRATE_SUCCESS", "sms_task_leddesktop": "MIGRATE_SUCCESS"}
		if got := testsupport.DecodeJSON[map[string]string](t, out["task_states"]); !maps.Equal(got, want) {
			t.Errorf("task_states = %v, want %v", got, want)
		}
		if got := testsupport.DecodeJSON[map[string]int](t, out["tasks_by_state"]); !maps.Equal(got, map[string]int{"MIGRATE_SUCCESS": 3}) {
			t.Errorf("tasks_by_state = %v", got)
		}
	},

	"data-source-gate.tf": func(t *testing.T, h *tfHarness) {
		tasks := emulator.GenerateTasks(18, 8) // Two of them MIGRATE_FAIL.
		failed := 0
		var healthy []json.RawMessage
		for i, task := range testsupport.DecodeTasks(t, tasks) {
			if testsupport.Str(task.State) == "MIGRATE_FAIL" {
				failed++
			} else {
				healthy = append(healthy, tasks[i])
			}
		}
		if failed == 0 {
			t.Fatal("the generated tasks have no MIGRATE_FAIL task to gate on")
		}

		r, _ := planOnly(t, h, emulator.Options{Tasks: tasks}, nil)
		mustFail(t, r)
		mustContain(t, r, "Error: Resource precondition failed",
			"Cut-over blocked: "+strconv.Itoa(failed)+" migration task(s) are MIGRATE_FAIL: ",
			"Warning: Check block assertion failed", strconv.Itoa(failed)+" migration task(s) failed.")

		r, _ = planOnly(t, h, emulator.Options{Tasks: healthy}, nil)
		mustSucceed(t, r)
		mustContain(t, r, "terraform_data.cutover will be created")
		mustNotContain(t, r, "Check block assertion failed", "precondition failed")

		// The API counts three failed tasks but returns one, to both reads and their re-reads: the
		// reads fail, so the gate fails closed instead of passing on part of the fleet.
		short := emulator.Fault{Body: `{"count":3,"tasks":[{"id":"t-1","name":"t-1","state":"MIGRATE_FAIL"}]}`, Times: 4}
		r, server := planOnly(t, h, emulator.Options{Tasks: healthy}, []emulator.Fault{short})
		mustFail(t, r)
		mustContain(t, r, "Error: Inconsistent SMS Task List", "read 1 tasks against a count of 3")
		mustNotContain(t, r, "terraform_data.cutover will be created")
		if server.PendingFaults() != 0 {
			t.Error("the short answer was not requested four times")
		}
	},

	"data-source-module.tf": func(t *testing.T, h *tfHarness) {
		tasks := emulator.GenerateTasks(30, 5) // The smallest of seed 5 with a server of two tasks.
		want := map[string][]string{}
		failedIDs := map[string]bool{}
		for _, task := range testsupport.DecodeTasks(t, tasks) {
			if task.SourceServer != nil && task.SourceServer.Name != nil {
				want[*task.SourceServer.Name] = append(want[*task.SourceServer.Name], testsupport.Str(task.State))
			}
			if testsupport.Str(task.State) == "MIGRATE_FAIL" {
				failedIDs[testsupport.Str(task.ID)] = true
			}
		}
		var failedServers []string
		reused := false
		for name, states := range want {
			reused = reused || len(states) > 1
			if slices.Contains(states, "MIGRATE_FAIL") {
				failedServers = append(failedServers, name)
			}
		}
		slices.Sort(failedServers)
		if !reused || len(failedServers) == 0 {
			t.Fatal("the generated tasks need a server with two tasks and a failed task")
		}

		r, out, _ := planAgainst(t, h, tasks, nil)
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[map[string][]string](t, out["state_by_source_server"])
		if !maps.EqualFunc(got, want, slices.Equal) {
			t.Errorf("state_by_source_server:\n got %v\nwant %v", got, want)
		}
		if n := testsupport.DecodeJSON[int](t, out["failed_count"]); n != len(failedIDs) {
			t.Errorf("failed_count = %d, want %d", n, len(failedIDs))
		}
		if names := testsupport.DecodeJSON[[]string](t, out["servers_with_failed_tasks"]); !slices.Equal(names, failedServers) {
			t.Errorf("servers_with_failed_tasks = %v, want %v", names, failedServers)
		}
	},

	"data-source-filters.tf": func(t *testing.T, h *tfHarness) {
		tasks := emulator.GenerateTasks(30, 5) // The smallest of seed 5 with a server of two tasks.
		decoded := testsupport.DecodeTasks(t, tasks)
		// A server with more than one task, as a re-migration leaves.
		perServer := map[string]int{}
		server := ""
		for _, task := range decoded {
			if task.SourceServer != nil && task.SourceServer.ID != nil {
				if perServer[*task.SourceServer.ID]++; perServer[*task.SourceServer.ID] == 2 && server == "" {
					server = *task.SourceServer.ID
				}
			}
		}
		if server == "" {
			t.Fatal("no source server has two tasks")
		}
		type row struct {
			ID       string   `json:"id"`
			State    string   `json:"state"`
			Progress []string `json:"progress"`
		}
		var want []row
		project := ""
		for _, task := range decoded {
			if task.SourceServer == nil || testsupport.Str(task.SourceServer.ID) != server {
				continue
			}
			if project == "" {
				project = testsupport.Str(task.EnterpriseProjectID)
			}
			if testsupport.Str(task.EnterpriseProjectID) != project {
				continue
			}
			progress := []string{}
			for _, s := range task.SubTasks {
				p := int64(0)
				if s.Progress != nil {
					p = *s.Progress
				}
				progress = append(progress, testsupport.Str(s.Name)+": "+strconv.FormatInt(p, 10)+"%")
			}
			want = append(want, row{ID: testsupport.Str(task.ID), State: testsupport.Str(task.State), Progress: progress})
		}

		r, out, emu := planAgainst(t, h, tasks, nil, "-var=source_server_id="+server, "-var=enterprise_project_id="+project)
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[[]row](t, out["one_server_tasks"])
		if !slices.EqualFunc(got, want, func(a, b row) bool {
			return a.ID == b.ID && a.State == b.State && slices.Equal(a.Progress, b.Progress)
		}) {
			t.Errorf("one_server_tasks:\n got %+v\nwant %+v", got, want)
		}
		q := emu.Queries()[0]
		if q.Get("source_server_id") != server || q.Get("enterprise_project_id") != project {
			t.Errorf("query = %v, want both filters sent", q)
		}
	},
}

func TestExamples_DataSources(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "data-sources", "sms_tasks")
	files, err := filepath.Glob(filepath.Join(dir, "data-source*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no data-source*.tf examples in %s: %v", dir, err)
	}
	planExamples(t, files, filepath.Base, dataSourceExamples, "dataSourceExamples")
}

// The README's install snippet is what a new user copies first, so it declares the provider's
// source and the release's version constraint like every example.
func TestExamples_READMEDeclaresProvider(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme := readFile(t, filepath.Join(root, "README.md"))
	start := strings.Index(readme, "```terraform\n")
	if start < 0 {
		t.Fatal("README.md has no terraform snippet")
	}
	snippet := readme[start:]
	snippet = snippet[:strings.Index(snippet[3:], "```")+3]
	if !requiredProvidersPattern.MatchString(snippet) {
		t.Errorf("README.md's first terraform snippet does not declare smsops/sms ~> 0.1:\n%s", snippet)
	}
}

// The gate module's own `terraform test` file passes: with a mocked provider, its gate passes on
// a clean fleet and blocks the plan on a failed task and on an empty scope (and fails if any of
// these stops being true).
// mock_provider needs Terraform 1.7; older CLIs (make testacc-compat runs 1.5.7) skip it.
func TestExamples_GateModuleTests(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	if major, minor := terraformVersion(t, h); major == 1 && minor < 7 {
		t.Skipf("terraform test with mock_provider needs Terraform 1.7 or later; this CLI is %d.%d", major, minor)
	}
	module := filepath.Join(root, "examples", "data-sources", "sms_tasks", "modules", "migration-gate")
	if err := os.CopyFS(h.Dir, os.DirFS(module)); err != nil {
		t.Fatal(err)
	}
	r := mustSucceed(t, h.Run("test", "-no-color"))
	mustContain(t, r, `run "passes_on_a_clean_fleet"... pass`, `run "blocks_on_a_failed_task"... pass`,
		`run "blocks_on_an_empty_scope"... pass`, "3 passed, 0 failed")
}

// terraformVersion returns the major and minor version of the harness's Terraform CLI.
func terraformVersion(t *testing.T, h *tfHarness) (major, minor int) {
	t.Helper()
	r := mustSucceed(t, h.Run("version", "-json"))
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, r.Stdout)
	}
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	return major, minor
}
