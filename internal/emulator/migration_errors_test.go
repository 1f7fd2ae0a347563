package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

type errorsBody struct {
	Count           *int              `json:"count"`
	MigrationErrors []json.RawMessage `json:"migration_errors"`
}

type migrationErrorEntry struct {
	ErrorJSON string `json:"error_json"`
	HostName  string `json:"host_name"`
	Name      string `json:"name"`
	SourceID  string `json:"source_id"`
	SourceIP  string `json:"source_ip"`
	TargetIP  any    `json:"target_ip"` // A string or nil, so that entries compare with ==.
}

func errorsPage(t *testing.T, s *Server, query string) (errorsBody, []migrationErrorEntry) {
	t.Helper()
	resp, body := getPath(t, s, "/v3/errors?"+query)
	var b errorsBody
	if err := json.Unmarshal(body, &b); resp.StatusCode != http.StatusOK || err != nil || b.Count == nil || b.MigrationErrors == nil {
		t.Fatalf("GET /v3/errors?%s: %d %s", query, resp.StatusCode, body)
	}
	entries := make([]migrationErrorEntry, len(b.MigrationErrors))
	for i, raw := range b.MigrationErrors {
		if err := json.Unmarshal(raw, &entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	return b, entries
}

// Every failed server of the fleet has one entry, in the order of the server list, with its
// name, address and host name as the detail has them and an error of the error code reference;
// pages cut the same list, and the enterprise project filters it.
func TestMigrationErrors_OneEntryPerFailedServer(t *testing.T) {
	fleet := GenerateFleet(60, 8)
	s := start(t, fleet.Options())
	var failed []fleetServer
	for _, raw := range fleet.Servers {
		var f fleetServer
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		if f.State == "error" {
			failed = append(failed, f)
		}
	}
	if len(failed) < 3 {
		t.Fatalf("the fleet has %d failed servers; the test needs 3", len(failed))
	}
	body, all := errorsPage(t, s, "offset=0&limit=100")
	if *body.Count != len(failed) || len(all) != len(failed) {
		t.Fatalf("count %d, %d entries, want %d", *body.Count, len(all), len(failed))
	}
	withTarget := 0
	for i, e := range all {
		var detail detailBody
		_, raw := getPath(t, s, "/v3/sources/"+e.SourceID)
		_ = json.Unmarshal(raw, &detail)
		var ej struct {
			ErrorCode string `json:"error_code"`
			ErrorMsg  string `json:"error_msg"`
		}
		if err := json.Unmarshal([]byte(e.ErrorJSON), &ej); err != nil || ej.ErrorCode != MigrationErrorCode(e.SourceID) || ej.ErrorMsg == "" {
			t.Errorf("entry %d: error_json %q", i, e.ErrorJSON)
		}
		if e.SourceID != failed[i].ID || e.Name != failed[i].Name || e.SourceIP != detail.IP || e.HostName != detail.Hostname {
			t.Errorf("entry %d: %+v, want server %+v with detail %+v", i, e, failed[i], detail)
		}
		if e.TargetIP != nil {
			withTarget++
		}
	}
	if withTarget == 0 {
		t.Error("no entry names a target IP")
	}
	if _, page := errorsPage(t, s, "offset=1&limit=2"); !slices.Equal(page, all[1:3]) {
		t.Errorf("page at offset 1: %+v, want %+v", page, all[1:3])
	}
	if body, page := errorsPage(t, s, "offset=0"); *body.Count != len(all) || len(page) != min(len(all), 50) {
		t.Errorf("default page: count %d, %d entries", *body.Count, len(page))
	}
	project := EnterpriseProjects[0]
	var want []migrationErrorEntry
	for i, f := range failed {
		if projectOf(t, fleet, f.ID) == project {
			want = append(want, all[i])
		}
	}
	if body, got := errorsPage(t, s, "offset=0&limit=100&enterprise_project_id="+project); *body.Count != len(want) || !slices.Equal(got, want) {
		t.Errorf("project %s: count %d, %+v, want %+v", project, *body.Count, got, want)
	}
	resp, raw := getPath(t, s, "/v3/errors?offset=0&limit="+strconv.Itoa(101))
	checkError(t, resp, raw, http.StatusBadRequest, "SMS.9004", "Invalid parameter: limit must be an integer from 0 to 100")
}

// projectOf is the enterprise project of a fleet server.
func projectOf(t *testing.T, fleet Fleet, id string) string {
	t.Helper()
	for _, raw := range fleet.Servers {
		var f struct {
			ID string  `json:"id"`
			EP *string `json:"enterprise_project_id"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		if f.ID == id && f.EP != nil {
			return *f.EP
		}
	}
	return ""
}
