package e2e_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The examples are published on the registry page, so each one is run as a user would run it:
// copied into an empty directory, initialised from a local mirror that holds the built provider
// as smsops/sms 0.1.0, and then either validated by terraform or, when it reads data, planned
// against the emulator with the endpoint and token in SMS_ENDPOINT and SMS_TOKEN. Each plan's
// outcome is checked against the emulator's data. A planned example is not validated on its own:
// terraform plan runs the same validation first (with its variables unknown, as terraform
// validate does) and stops on its errors, and every planned example has a plan that must succeed,
// which planExamples checks.

// installExample copies example files into a fresh working directory, with modules/ when they
// use them, as a user copies them from the registry page. Every example must declare smsops/sms
// with the constraint of the release; terraform init then installs the provider from a local
// filesystem mirror that holds the freshly built binary as 0.1.0.
func installExample(t *testing.T, dir string, files ...string) *tfHarness {
	t.Helper()
	h := newHarness(t)
	h.InstallFromMirror()
	declared := false
	for _, f := range files {
		content := readFile(t, filepath.Join(dir, f))
		declared = declared || requiredProvidersPattern.MatchString(content)
		h.Write(filepath.Base(f), content)
		if strings.Contains(content, "./modules/") {
			if err := os.CopyFS(filepath.Join(h.Dir, "modules"), os.DirFS(filepath.Join(dir, "modules"))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !declared {
		t.Fatalf("%s does not declare sms = { source = \"smsops/sms\", version = \"~> 0.1\" } in required_providers", strings.Join(files, ", "))
	}
	r := mustSucceed(t, h.Run("init", "-no-color", "-input=false"))
	mustContain(t, r, "Installed smsops/sms v"+releaseVersion)
	return h
}

// planExamples runs each example's check on its own installed copy, in parallel subtests named
// after the files. A check may expect plans to fail, but one of its plans must succeed: that
// plan is what validates the example (see the comment at the top of this file).
func planExamples(t *testing.T, files []string, name func(file string) string, checks map[string]func(t *testing.T, h *tfHarness), table string) {
	t.Helper()
	for _, file := range files {
		check, ok := checks[name(file)]
		if !ok {
			t.Errorf("%s has no check in %s; every published example must be tested", name(file), table)
			continue
		}
		t.Run(name(file), func(t *testing.T) {
			t.Parallel()
			h := installExample(t, filepath.Dir(file), filepath.Base(file))
			check(t, h)
			if _, planned := validatingPlans.Load(h); !planned && !t.Failed() {
				t.Error("no plan of the example succeeded, so nothing validated it")
			}
		})
	}
}

// snippetFiles returns every data-source.tf under dir, each the snippet of its own folder, leaving
// out the child modules under modules/ folders.
func snippetFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "modules":
			return filepath.SkipDir
		case d.Name() == "data-source.tf":
			files = append(files, path)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no data-source.tf examples under %s: %v", dir, err)
	}
	return files
}

// relativeTo names a file by its slash-separated path under dir.
func relativeTo(t *testing.T, dir string) func(file string) string {
	return func(file string) string {
		rel, err := filepath.Rel(dir, file)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(rel)
	}
}

// requiredProvidersPattern matches the provider requirement every standalone example carries.
var requiredProvidersPattern = regexp.MustCompile(`(?s)required_providers\s*\{\s*sms\s*=\s*\{\s*source\s*=\s*"smsops/sms"\s*version\s*=\s*"~> 0\.1"`)

// validatingPlans holds every harness (*tfHarness) whose configuration planOnly has planned
// without errors. A failed plan proves nothing about validity (its plan file is written all the
// same, marked as errored), so planExamples asks this instead.
var validatingPlans sync.Map

// planAgainst points the harness at a fresh emulator serving tasks and runs terraform plan.
func planAgainst(t *testing.T, h *tfHarness, tasks []json.RawMessage, faults []emulator.Fault, args ...string) (tfResult, map[string]json.RawMessage, *emulator.Server) {
	t.Helper()
	return planWith(t, h, emulator.Options{Tasks: tasks}, faults, args...)
}

// planOnly points the harness at a fresh emulator serving opts and runs terraform plan, for a
// check that needs only what the plan printed.
func planOnly(t *testing.T, h *tfHarness, opts emulator.Options, faults []emulator.Fault, args ...string) (tfResult, *emulator.Server) {
	t.Helper()
	server := testsupport.StartEmulator(t, opts)
	server.InjectFaults(faults...)
	h.Setenv("SMS_ENDPOINT", server.URL())
	h.Setenv("SMS_TOKEN", testsupport.Token)
	r := h.Run(append([]string{"plan", "-no-color"}, args...)...)
	if r.ExitCode == 0 {
		validatingPlans.Store(h, true)
	}
	return r, server
}

// planWith runs planOnly and, when the plan succeeds, returns its output values too.
func planWith(t *testing.T, h *tfHarness, opts emulator.Options, faults []emulator.Fault, args ...string) (tfResult, map[string]json.RawMessage, *emulator.Server) {
	t.Helper()
	r, server := planOnly(t, h, opts, faults, append([]string{"-out=tfplan"}, args...)...)
	if r.ExitCode != 0 {
		return r, nil, server
	}
	show := mustSucceed(t, h.Run("show", "-json", "tfplan"))
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal([]byte(show.Stdout), &plan); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	outputs := map[string]json.RawMessage{}
	for name, o := range plan.PlannedValues.Outputs {
		outputs[name] = o.Value
	}
	return r, outputs, server
}
