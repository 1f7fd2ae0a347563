package e2e_test

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// projectsFleet is the fleet the project examples are planned against: its servers are in the
// three waves and none is in the default project.
func projectsFleet(t *testing.T) emulator.Fleet {
	t.Helper()
	fleet := emulator.GenerateFleet(5, 1)
	hasServers := map[string]bool{}
	for _, project := range fleet.ServerProjects {
		hasServers[project] = true
	}
	if len(hasServers) != len(emulator.MigrationProjects) || hasServers[emulator.DefaultMigrationProject] {
		t.Fatalf("the fleet needs servers in every wave and none in the default project: %v", hasServers)
	}
	return fleet
}

// projectExamples checks each data-source.tf file of the migration project data sources, by its
// path under examples/data-sources.
var projectExamples = map[string]func(t *testing.T, h *tfHarness){
	"sms_migration_projects/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := projectsFleet(t)
		r, out, _ := planWith(t, h, fleet.Options(), nil)
		mustSucceed(t, r)
		want := map[string]string{}
		for _, s := range decodeServers(t, fleet.Servers) {
			if fleet.ServerProjects[testsupport.Str(s.ID)] == emulator.MigrationProjects[0] {
				want[testsupport.Str(s.Name)] = testsupport.Str(s.MigrationCycle)
			}
		}
		if got := testsupport.DecodeJSON[map[string]string](t, out["wave_servers"]); len(want) == 0 || !maps.Equal(got, want) {
			t.Errorf("wave_servers = %v, want wave-1's servers %v", got, want)
		}
		if got := testsupport.DecodeJSON[[]string](t, out["projects_without_servers"]); !slices.Equal(got, []string{"default"}) {
			t.Errorf("projects_without_servers = %v, want [default]", got)
		}
		// A name that names no project stops the plan at the precondition, before the servers'
		// configuration is evaluated, with the names that exist.
		r, _ = planOnly(t, h, fleet.Options(), nil, "-var=wave=wave-9")
		mustFail(t, r)
		if out := oneLine(r); !strings.Contains(out, `No migration project is named "wave-9". The account has: default, wave-1, wave-2, wave-3.`) ||
			strings.Contains(out, "Invalid index") {
			t.Errorf("the plan for wave-9 did not stop at the precondition alone:\n%s", r.Output())
		}
	},

	"sms_migration_project/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := projectsFleet(t)
		opts := fleet.Options()
		r, out, _ := planWith(t, h, opts, nil, "-var=mig_project_id="+emulator.MigrationProjects[1])
		mustSucceed(t, r)
		if strings.Contains(r.Output(), "Check block assertion failed") {
			t.Errorf("wave-2 is MIGRATE_BLOCK, yet the check warned: %s", r.Output())
		}
		settings := testsupport.DecodeJSON[map[string]any](t, out["wave_settings"])
		want := map[string]any{"name": "wave-2", "type": "MIGRATE_BLOCK", "speed_limit_mbps": float64(300),
			"use_public_ip": false, "start_target_server": false, "syncing": true}
		if !maps.Equal(settings, want) {
			t.Errorf("wave_settings = %v, want %v", settings, want)
		}
		// wave-3 migrates at file level by default: the check warns and the plan goes on.
		r, _ = planOnly(t, h, opts, nil, "-var=mig_project_id="+emulator.MigrationProjects[2])
		mustSucceed(t, r)
		if !strings.Contains(oneLine(r), "Servers of migration project wave-3 migrate as MIGRATE_FILE by default, but the wave was planned as MIGRATE_BLOCK.") {
			t.Errorf("the check did not warn about wave-3's type:\n%s", r.Output())
		}
		// The default project has no servers: the postcondition stops the plan.
		r, _ = planOnly(t, h, opts, nil, "-var=mig_project_id="+emulator.DefaultMigrationProject)
		mustFail(t, r)
		if !strings.Contains(oneLine(r), "Migration project default has no source servers: check mig_project_id") {
			t.Errorf("the postcondition did not stop the default project:\n%s", r.Output())
		}
		r, _ = planOnly(t, h, opts, nil, "-var=mig_project_id=no-such-project")
		mustFail(t, r)
		mustContain(t, r, "Error: SMS Migration Project Not Found", `"no-such-project"`)
	},
}

func TestExamples_MigrationProjectDataSources(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "data-sources")
	var files []string
	for _, ds := range []string{"sms_migration_projects", "sms_migration_project"} {
		files = append(files, snippetFiles(t, filepath.Join(dir, ds))...)
	}
	planExamples(t, files, relativeTo(t, dir), projectExamples, "projectExamples")
}
