package e2e_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// preflightServer is what the pre-flight example reads of a listed server.
type preflightServer struct {
	ID                  *string `json:"id"`
	Name                *string `json:"name"`
	State               *string `json:"state"`
	Connected           *bool   `json:"connected"`
	EnterpriseProjectID *string `json:"enterprise_project_id"`
	Checks              []struct {
		Name        *string `json:"name"`
		Result      *string `json:"result"`
		ErrorCode   *string `json:"error_code"`
		ErrorOrWarn *string `json:"error_or_warn"`
	} `json:"checks"`
}

// preflightEntry is one server of the pre-flight example's output.
type preflightEntry struct {
	Name         string   `json:"name"`
	Agent        string   `json:"agent"`
	Firmware     string   `json:"firmware"`
	Disks        int      `json:"disks"`
	FailedChecks []string `json:"failed_checks"`
}

// firstOf is the first of values that is neither null nor "", as Terraform's coalesce picks.
func firstOf(values ...*string) string {
	for _, v := range values {
		if v != nil && *v != "" {
			return *v
		}
	}
	return ""
}

// expectedPreflight is the pre-flight example's output for the servers of a project of the
// fleet, with the names of those offline and of those with failed checks.
func expectedPreflight(t *testing.T, fleet emulator.Fleet, project string) (map[string]preflightEntry, []string, []string) {
	t.Helper()
	want := map[string]preflightEntry{}
	var offline, failedOn []string
	for _, raw := range fleet.Servers {
		s := testsupport.DecodeJSON[preflightServer](t, raw)
		id := testsupport.Str(s.ID)
		if fleet.ServerProjects[id] != project {
			continue
		}
		e := preflightEntry{Name: firstOf(s.Name, s.ID), Agent: "OFFLINE", FailedChecks: []string{}}
		if s.Connected != nil && *s.Connected {
			e.Agent = "online"
		} else {
			offline = append(offline, e.Name)
		}
		for _, c := range s.Checks {
			if testsupport.Str(c.Result) == "ERROR" {
				e.FailedChecks = append(e.FailedChecks, firstOf(c.Name, new("check"))+": "+firstOf(c.ErrorOrWarn, c.ErrorCode, new("failed")))
			}
		}
		if len(e.FailedChecks) > 0 {
			failedOn = append(failedOn, e.Name)
		}
		want[id] = e
	}
	return want, offline, failedOn
}

// errorGroup is one error code of the errors example's output.
type errorGroup struct {
	Servers []string `json:"servers"`
	Message string   `json:"message"`
	Hint    string   `json:"hint"`
}

// errorsExamples checks the examples of the source server detail and of the failed servers, by
// their path under examples/data-sources.
var errorsExamples = map[string]func(t *testing.T, h *tfHarness){
	"sms_source_server/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(40, 5)
		// The first project with servers offline, servers with failed checks and servers online.
		var project string
		var want map[string]preflightEntry
		var offline, failedOn []string
		for _, p := range emulator.MigrationProjects {
			want, offline, failedOn = expectedPreflight(t, fleet, p)
			if len(offline) > 0 && len(failedOn) > 0 && len(want) > len(offline) {
				project = p
				break
			}
		}
		if project == "" {
			t.Fatal("no project of the fleet has servers offline, with failed checks and online")
		}
		r, out, _ := planWith(t, h, fleet.Options(), nil, "-var=migproject_id="+project)
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[map[string]preflightEntry](t, out["preflight"])
		if len(got) != len(want) {
			t.Errorf("preflight has %d servers, want %d", len(got), len(want))
		}
		for id, w := range want {
			g := got[id]
			agentOK := g.Agent == w.Agent || w.Agent == "online" && strings.HasPrefix(g.Agent, "online, version ")
			if g.Name != w.Name || !agentOK || !slices.Equal(g.FailedChecks, w.FailedChecks) || g.Disks == 0 ||
				(g.Firmware != "BIOS" && g.Firmware != "UEFI") {
				t.Errorf("preflight[%s] = %+v, want %+v", id, g, w)
			}
		}
		slices.Sort(offline)
		slices.Sort(failedOn)
		mustContain(t, r, "Warning: Check block assertion failed")
		if line := oneLine(r); !strings.Contains(line, fmt.Sprintf("Agent offline: [%s]. Failed checks: [%s].",
			strings.Join(offline, ", "), strings.Join(failedOn, ", "))) {
			t.Errorf("the warning does not name the servers %v and %v: %s", offline, failedOn, line)
		}
		// A wave whose one server is online and passed its checks plans without a warning.
		ready := emulator.Options{Servers: []json.RawMessage{json.RawMessage(`{"id":"ok-1","name":"ready","ip":"10.0.0.2",
			"os_type":"LINUX","state":"waiting","connected":true,"checks":[{"id":1,"name":"OS_VERSION","result":"OK"}]}`)},
			ServerProjects: map[string]string{"ok-1": "ready-wave"}}
		r, _, _ = planWith(t, h, ready, nil, "-var=migproject_id=ready-wave")
		mustSucceed(t, r)
		if strings.Contains(r.Output(), "Check block assertion failed") {
			t.Errorf("a ready wave warned: %s", r.Output())
		}
	},

	"sms_source_server_errors/data-source.tf": func(t *testing.T, h *tfHarness) {
		fleet := emulator.GenerateFleet(60, 8)
		groups := func(project string) map[string]errorGroup {
			want := map[string]errorGroup{}
			for _, raw := range fleet.Servers {
				s := testsupport.DecodeJSON[preflightServer](t, raw)
				if testsupport.Str(s.State) != "error" || project != "" && testsupport.Str(s.EnterpriseProjectID) != project {
					continue
				}
				code := emulator.MigrationErrorCode(testsupport.Str(s.ID))
				g := want[code]
				g.Servers = append(g.Servers, testsupport.Str(s.Name))
				slices.Sort(g.Servers)
				want[code] = g
			}
			return want
		}
		check := func(project string, args ...string) {
			r, out, emu := planWith(t, h, fleet.Options(), nil, args...)
			mustSucceed(t, r)
			got := testsupport.DecodeJSON[map[string]errorGroup](t, out["errors_by_code"])
			want := groups(project)
			if len(got) != len(want) || len(want) == 0 {
				t.Errorf("errors_by_code has codes %v, want %v", got, want)
			}
			n := 0
			for code, w := range want {
				g := got[code]
				n += len(w.Servers)
				if !slices.Equal(g.Servers, w.Servers) || g.Message == "" || strings.HasPrefix(g.Hint, "Not in this list") {
					t.Errorf("errors_by_code[%s] = %+v, want servers %v with a message and a hint", code, g, w.Servers)
				}
			}
			mustContain(t, r, "Warning: Check block assertion failed", fmt.Sprintf("%d source server(s) failed to migrate", n))
			if q := emu.Queries()[0]; q.Get("enterprise_project_id") != project || q.Has("enterprise_project_id") != (project != "") {
				t.Errorf("query %v, want the project %q sent only when set", q, project)
			}
		}
		check("")
		check(emulator.EnterpriseProjects[0], "-var=enterprise_project_id="+emulator.EnterpriseProjects[0])
		// An error_json that is not JSON is grouped as unknown, with the text as its message.
		odd := []emulator.Fault{{Path: "/v3/errors", Body: `{"count":1,"migration_errors":[{"source_id":"s-9","name":"odd","error_json":"agent crashed"}]}`}}
		r, out, _ := planWith(t, h, fleet.Options(), odd)
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[map[string]errorGroup](t, out["errors_by_code"])
		if g := got["unknown"]; len(got) != 1 || !slices.Equal(g.Servers, []string{"odd"}) || g.Message != "agent crashed" ||
			!strings.HasPrefix(g.Hint, "Not in this list") {
			t.Errorf("errors_by_code = %+v, want one unknown group", got)
		}
	},
}

func TestExamples_ErrorsDataSources(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "data-sources")
	var files []string
	for _, ds := range []string{"sms_source_server", "sms_source_server_errors"} {
		files = append(files, snippetFiles(t, filepath.Join(dir, ds))...)
	}
	planExamples(t, files, relativeTo(t, dir), errorsExamples, "errorsExamples")
}
