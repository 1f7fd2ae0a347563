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
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// A gate that passes on an empty selection passes on a typo: a mistyped project id, or a wrong
// account or endpoint, selects nothing, and "every server is cut over" or "no task failed" is
// then true of nothing. So every published gate (a precondition or postcondition in README.md,
// in a template's own snippet or in an example file) is planned three ways: against a clean
// fleet, where it must pass (so it is not a gate that always fails); against an emulator that
// serves nothing; and, when the gate takes variables, against the clean fleet with each variable
// mistyped. Both empty selections must fail the plan at a precondition or postcondition.

// gateSelection is how a gate is pointed at its clean fleet: the values of its variables.
type gateSelection struct {
	vars map[string]string
}

// gateCleanProject is the migration project and enterprise project of the clean fleet.
const gateCleanProject = "p-wave"

// gateSelections holds every published gate, by where it is published: a file under examples/,
// or a snippet of README.md or of a template, numbered among that file's gate snippets.
var gateSelections = map[string]gateSelection{
	"README.md gate 1": {},
	"README.md gate 2": {vars: map[string]string{"migproject_id": gateCleanProject}},
	"examples/data-sources/sms_tasks/gate/data-source.tf":               {},
	"examples/data-sources/sms_source_servers/wave-gate/data-source.tf": {vars: map[string]string{"migproject_id": gateCleanProject}},
	"examples/data-sources/sms_tasks/modules/migration-gate/main.tf":    {vars: map[string]string{"enterprise_project_id": gateCleanProject}},
	"examples/demo/gate/main.tf":                                        {},
	"examples/data-sources/sms_migration_projects/data-source.tf":       {vars: map[string]string{"wave": "project-" + gateCleanProject}},
	"examples/data-sources/sms_migration_project/data-source.tf":        {vars: map[string]string{"mig_project_id": gateCleanProject}},
	"examples/wave-report/modules/wave-report/main.tf":                  {vars: map[string]string{"wave": "project-" + gateCleanProject}},
	// The clean fleet's two tasks have migrated and, as the emulator chooses by id, their
	// consistency checks found nothing different on their targets.
	"examples/data-sources/sms_task_consistency_result/data-source.tf": {vars: map[string]string{"enterprise_project_id": gateCleanProject}},
	// The clean fleet's one migration project gets a template in cn-north-4a with a password.
	"examples/data-sources/sms_server_templates/data-source.tf": {vars: map[string]string{"region": "cn-north-4", "availability_zone": "cn-north-4a"}},
}

// gateCleanFleet passes every published gate: its tasks all succeeded and its servers are all
// cut over, in one migration project and enterprise project.
func gateCleanFleet() emulator.Options {
	return emulator.Options{
		Tasks: []json.RawMessage{
			json.RawMessage(`{"id":"t-1","name":"t-1","state":"MIGRATE_SUCCESS","enterprise_project_id":"` + gateCleanProject + `"}`),
			json.RawMessage(`{"id":"t-2","name":"t-2","state":"MIGRATE_SUCCESS","enterprise_project_id":"` + gateCleanProject + `"}`),
		},
		Servers: []json.RawMessage{
			json.RawMessage(`{"id":"s-1","name":"s-1","migration_cycle":"cutovered"}`),
			json.RawMessage(`{"id":"s-2","name":"s-2","migration_cycle":"cutovered"}`),
		},
		ServerProjects: map[string]string{"s-1": gateCleanProject, "s-2": gateCleanProject},
	}
}

// objectNotFound is the error of a read of one object by an id that names nothing.
var objectNotFound = regexp.MustCompile(`Error: SMS [A-Z][a-z]+( [A-Z][a-z]+)* Not Found`)

// gatePattern tells a gate from other Terraform code.
var gatePattern = regexp.MustCompile(`\b(pre|post)condition\s*\{`)

func TestExamples_GatesFailOnAnEmptySelection(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	gates := publishedGates(t, root)
	for _, name := range slices.Sorted(maps.Keys(gates)) {
		selection, ok := gateSelections[name]
		if !ok {
			t.Errorf("%s is a gate without an entry in gateSelections; every published gate must fail on an empty selection", name)
			continue
		}
		install := gates[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := install(t, selection)
			vars := func(mistype bool) []string {
				var args []string
				for k, v := range selection.vars {
					if mistype {
						v = "typo-" + v
					}
					args = append(args, "-var="+k+"="+v)
				}
				return args
			}
			mustSucceed(t, planEmpty(t, h, gateCleanFleet(), vars(false)))
			mustFailAtGate(t, "an emulator that serves nothing", planEmpty(t, h, emulator.Options{}, vars(false)))
			if len(selection.vars) > 0 {
				mustFailAtGate(t, "mistyped variables", planEmpty(t, h, gateCleanFleet(), vars(true)))
			}
		})
	}
	for name := range gateSelections {
		if _, ok := gates[name]; !ok {
			t.Errorf("gateSelections names %s, which is no longer a published gate", name)
		}
	}
}

// planEmpty plans the harness's configuration against an emulator serving opts.
func planEmpty(t *testing.T, h *tfHarness, opts emulator.Options, vars []string) tfResult {
	t.Helper()
	r, _ := planOnly(t, h, opts, nil, vars...)
	return r
}

// mustFailAtGate fails the test unless the plan failed at a precondition or postcondition, rather
// than passing or failing for another reason. A gate on one object read by its id fails closed
// before its condition when the object does not exist: "SMS Migration Project Not Found" stops
// the plan as surely as the gate would.
func mustFailAtGate(t *testing.T, selection string, r tfResult) {
	t.Helper()
	out := flat(r.Output())
	stoppedAtGate := strings.Contains(out, "Resource precondition failed") || strings.Contains(out, "Resource postcondition failed") ||
		objectNotFound.MatchString(out)
	if r.ExitCode == 0 || !stoppedAtGate {
		t.Errorf("with %s, the gate did not stop the plan:\n%s", selection, r)
	}
}

// gateInstall installs one published gate into a fresh working directory, ready to plan.
type gateInstall func(t *testing.T, selection gateSelection) *tfHarness

// publishedGates finds every gate: each example file that holds one, and each terraform snippet
// of README.md and of the templates that holds one.
func publishedGates(t *testing.T, root string) map[string]gateInstall {
	t.Helper()
	gates := map[string]gateInstall{}
	err := filepath.WalkDir(filepath.Join(root, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
			return err
		}
		if !gatePattern.MatchString(readFile(t, path)) {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		dir, file := filepath.Dir(path), filepath.Base(path)
		if filepath.Base(filepath.Dir(dir)) == "modules" {
			gates[filepath.ToSlash(rel)] = func(t *testing.T, s gateSelection) *tfHarness { return installGateModule(t, dir, s) }
		} else {
			gates[filepath.ToSlash(rel)] = func(t *testing.T, _ gateSelection) *tfHarness { return installExample(t, dir, file) }
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{filepath.Join(root, "README.md")}
	err = filepath.WalkDir(filepath.Join(root, "templates"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tmpl") {
			docs = append(docs, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range docs {
		rel, err := filepath.Rel(root, doc)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, snippet := range terraformSnippets(readFile(t, doc)) {
			if gatePattern.MatchString(snippet) {
				n++
				gates[fmt.Sprintf("%s gate %d", filepath.ToSlash(rel), n)] = func(t *testing.T, _ gateSelection) *tfHarness {
					return installSnippet(t, snippet)
				}
			}
		}
	}
	return gates
}

// snippetPattern matches a fenced terraform or hcl code block of Markdown.
var snippetPattern = regexp.MustCompile("(?ms)^```(?:terraform|hcl)\n(.*?)^```")

// terraformSnippets returns the fenced terraform code blocks of a Markdown text, in order.
func terraformSnippets(markdown string) []string {
	var snippets []string
	for _, m := range snippetPattern.FindAllStringSubmatch(markdown, -1) {
		snippets = append(snippets, m[1])
	}
	return snippets
}

var (
	varReference   = regexp.MustCompile(`\bvar\.([A-Za-z_][A-Za-z0-9_-]*)`)
	varDeclaration = regexp.MustCompile(`(?m)^\s*variable\s+"([^"]+)"`)
)

// installSnippet installs a documentation snippet as a reader completes it: beside the provider
// requirement of the README's install section, with each variable it uses declared.
func installSnippet(t *testing.T, snippet string) *tfHarness {
	t.Helper()
	h := newHarness(t)
	h.InstallFromMirror()
	h.Write("main.tf", snippet)
	h.Write("versions.tf", releaseVersions+undeclaredVariables(snippet))
	mustContain(t, mustSucceed(t, h.Run("init", "-no-color", "-input=false")), "Installed smsops/sms v"+releaseVersion)
	return h
}

// installGateModule installs a gate module as a root module uses it, passing the selection's
// variables through.
func installGateModule(t *testing.T, dir string, s gateSelection) *tfHarness {
	t.Helper()
	h := newHarness(t)
	h.InstallFromMirror()
	if err := os.CopyFS(filepath.Join(h.Dir, "gate"), os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(s.vars))
	var root strings.Builder
	root.WriteString(releaseVersions + "module \"gate\" {\n  source = \"./gate\"\n")
	for _, name := range names {
		fmt.Fprintf(&root, "  %s = var.%s\n", name, name)
	}
	root.WriteString("}\n")
	for _, name := range names {
		fmt.Fprintf(&root, "variable %q {\n  type = string\n}\n", name)
	}
	h.Write("main.tf", root.String())
	mustContain(t, mustSucceed(t, h.Run("init", "-no-color", "-input=false")), "Installed smsops/sms v"+releaseVersion)
	return h
}

// undeclaredVariables declares, as strings, the variables a snippet uses but does not declare.
func undeclaredVariables(snippet string) string {
	declared := map[string]bool{}
	for _, m := range varDeclaration.FindAllStringSubmatch(snippet, -1) {
		declared[m[1]] = true
	}
	var b strings.Builder
	for _, m := range varReference.FindAllStringSubmatch(snippet, -1) {
		if !declared[m[1]] {
			declared[m[1]] = true
			fmt.Fprintf(&b, "variable %q {\n  type = string\n}\n", m[1])
		}
	}
	return b.String()
}

// releaseVersions is the provider requirement of the README's install section.
const releaseVersions = `terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}
`
