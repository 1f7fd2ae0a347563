package e2e_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
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

// Every folder under examples/ that holds .tf files is a module a user can copy whole: copied
// into an empty directory, it must init from the local mirror and validate as it is. Alternative
// snippets of one page live in sub-folders of their own, so no folder holds two declarations of
// required_providers or of the provider. The provider examples point at the real cloud and the
// demo is applied by make demo, so they are only validated; the data source examples are also
// planned, each pasted alone, by TestExamples_DataSources and TestExamples_WaveDataSources.
func TestExamples_FoldersAreModules(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dirs := exampleModuleDirs(t, filepath.Join(root, "examples"))
	if len(dirs) < 10 {
		t.Fatalf("found only %d example folders: %v", len(dirs), dirs)
	}
	for _, dir := range dirs {
		rel, err := filepath.Rel(filepath.Join(root, "examples"), dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			// Folders of newer language features validate only on CLIs that have them.
			switch first, _, _ := strings.Cut(filepath.ToSlash(rel), "/"); first {
			case "ephemeral-resources":
				skipBeforeEphemeral(t, h)
			case "actions":
				skipWithoutActions(t, h)
			}
			h.InstallFromMirror()
			if err := os.CopyFS(h.Dir, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			mustContain(t, mustSucceed(t, h.Run("init", "-no-color", "-input=false")), "Installed smsops/sms v"+releaseVersion)
			mustContain(t, mustSucceed(t, h.Run("validate", "-no-color")), "The configuration is valid")
		})
	}
}

// exampleModuleDirs returns every folder under dir that holds a .tf file of its own.
func exampleModuleDirs(t *testing.T, dir string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if tf, _ := filepath.Glob(filepath.Join(path, "*.tf")); len(tf) > 0 {
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// A snippet that the docs render must work pasted alone. Each one is the only .tf file of its
// folder, so TestExamples_FoldersAreModules proves it alone (with the modules/ folder beside it,
// which a snippet that calls ./modules/ needs anyway), and each declares the provider the way the
// install section does.
func TestExamples_RenderedSnippetsStandAlone(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	rendered := regexp.MustCompile(`\{\{\s*tffile\s+"([^"]+)"`)
	n := 0
	for _, tmpl := range templateFiles(t, root) {
		for _, m := range rendered.FindAllStringSubmatch(readFile(t, tmpl), -1) {
			n++
			file := filepath.Join(root, filepath.FromSlash(m[1]))
			siblings, err := filepath.Glob(filepath.Join(filepath.Dir(file), "*.tf"))
			if err != nil || len(siblings) != 1 || siblings[0] != file {
				t.Errorf("%s renders %s, which is not the only .tf file of its folder (%v): pasted alone it is not the module the folder test validates", filepath.Base(tmpl), m[1], siblings)
			}
			if filepath.Base(filepath.Dir(filepath.Dir(file))) != "modules" && !requiredProvidersPattern.MatchString(readFile(t, file)) {
				t.Errorf("%s does not declare sms = { source = \"smsops/sms\", version = \"~> 0.1\" } in required_providers", m[1])
			}
		}
	}
	if n == 0 {
		t.Fatal("no template renders an example")
	}
}

// templateFiles returns every .tmpl file under templates/.
func templateFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "templates"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tmpl") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// dataSourceExamples checks each data-source.tf file under examples/data-sources/sms_tasks, by its
// path there.
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

	"gate/data-source.tf": func(t *testing.T, h *tfHarness) {
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

		// The message names the first 10 failed tasks by id and counts the rest: a real fleet can
		// have hundreds.
		many := slices.Clone(healthy)
		for i := 1; i <= 12; i++ {
			many = append(many, json.RawMessage(fmt.Sprintf(`{"id":"f-%02d","name":"f-%02d","state":"MIGRATE_FAIL"}`, i, i)))
		}
		r, _ = planOnly(t, h, emulator.Options{Tasks: many}, nil)
		mustFail(t, r)
		want := "Cut-over blocked: 12 migration task(s) are MIGRATE_FAIL: f-01, f-02, f-03, f-04, f-05, f-06, f-07, f-08, f-09, f-10 and 2 more."
		if !strings.Contains(oneLine(r), want) {
			t.Errorf("output lacks %q:\n%s", want, r)
		}

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

	"module-outputs/data-source.tf": func(t *testing.T, h *tfHarness) {
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

	"filters/data-source.tf": func(t *testing.T, h *tfHarness) {
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
	planExamples(t, snippetFiles(t, dir), relativeTo(t, dir), dataSourceExamples, "dataSourceExamples")
}

// A snippet of README.md or of a template that uses the provider either declares it, as the
// README's install snippet does, or says in a comment that it goes beside required_providers:
// pasted alone without that block, Terraform would look for hashicorp/sms.
func TestExamples_InlineSnippetsDeclareProvider(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	usesProvider := regexp.MustCompile(`(?m)^\s*(data|resource)\s+"sms_|^\s*provider\s+"sms"`)
	explains := regexp.MustCompile(`(?m)^\s*#.*required_providers`)
	docs := append([]string{filepath.Join(root, "README.md")}, templateFiles(t, root)...)
	for _, doc := range docs {
		for i, snippet := range terraformSnippets(readFile(t, doc)) {
			if !usesProvider.MatchString(snippet) || requiredProvidersPattern.MatchString(snippet) || explains.MatchString(snippet) {
				continue
			}
			t.Errorf("%s, terraform snippet %d, uses the provider without declaring smsops/sms ~> 0.1 in required_providers or saying in a comment where that block is:\n%s", filepath.Base(doc), i+1, snippet)
		}
	}
	readme := terraformSnippets(readFile(t, filepath.Join(root, "README.md")))
	if len(readme) == 0 || !requiredProvidersPattern.MatchString(readme[0]) {
		t.Error("README.md's first terraform snippet, its install section, does not declare smsops/sms ~> 0.1")
	}
}

// The gate module's own `terraform test` file passes: with a mocked provider, its gate passes on
// a clean fleet and blocks the plan on a failed task and on an empty scope (and fails if any of
// these stops being true). mock_provider needs Terraform 1.7 or OpenTofu 1.8; older CLIs report
// "No tests defined" and succeed, so they skip the test, naming their version (make
// testacc-compat runs Terraform 1.5.7).
func TestExamples_GateModuleTests(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	cli, major, minor := cliVersion(t, h)
	minimum := map[string]int{"Terraform": 7, "OpenTofu": 8}[cli]
	if major == 1 && minor < minimum {
		t.Skipf("terraform test with mock_provider needs %s 1.%d or later, and the CLI under test is %s %d.%d; "+
			"put a newer CLI on PATH or in TF_ACC_TERRAFORM_PATH to run it", cli, minimum, cli, major, minor)
	}
	module := filepath.Join(root, "examples", "data-sources", "sms_tasks", "modules", "migration-gate")
	if err := os.CopyFS(h.Dir, os.DirFS(module)); err != nil {
		t.Fatal(err)
	}
	r := h.Run("test", "-no-color")
	if strings.Contains(r.Output(), "No tests defined") || strings.Contains(r.Output(), "0 passed, 0 failed") {
		t.Fatalf("%s %d.%d ran no test of tests/gate.tftest.hcl:\n%s", cli, major, minor, r)
	}
	mustSucceed(t, r)
	mustContain(t, r, `run "passes_on_a_clean_fleet"... pass`, `run "blocks_on_a_failed_task"... pass`,
		`run "blocks_on_an_empty_scope"... pass`, "3 passed, 0 failed")
}

// cliVersion returns the name ("Terraform" or "OpenTofu") and the major and minor version of the
// harness's CLI, from the first line of its version command.
func cliVersion(t *testing.T, h *tfHarness) (cli string, major, minor int) {
	t.Helper()
	r := mustSucceed(t, h.Run("version"))
	first, _, _ := strings.Cut(r.Stdout, "\n")
	if _, err := fmt.Sscanf(first, "%s v%d.%d", &cli, &major, &minor); err != nil || (cli != "Terraform" && cli != "OpenTofu") {
		t.Fatalf("cannot read the CLI and its version from %q: %v", first, err)
	}
	return cli, major, minor
}
