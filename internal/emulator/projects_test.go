package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

type migProjectsBody struct {
	Count       *int                         `json:"count"`
	Migprojects []map[string]json.RawMessage `json:"migprojects"`
}

func migProjectsPage(t *testing.T, s *Server, query string) migProjectsBody {
	t.Helper()
	resp, body := getPath(t, s, "/v3/migprojects?"+query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v3/migprojects?%s: %d %s", query, resp.StatusCode, body)
	}
	var b migProjectsBody
	if err := json.Unmarshal(body, &b); err != nil || b.Count == nil || b.Migprojects == nil {
		t.Fatalf("GET /v3/migprojects?%s: %s (%v)", query, body, err)
	}
	return b
}

func rawString(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%s is not a string: %v", raw, err)
	}
	return s
}

// The projects are the default project and the fleet's MigrationProjects, in that order and
// paged by limit and offset; each one's exist_server says whether GET /v3/sources has a server
// in it, and its detail is its list item without the id.
func TestMigProjects_AgreeWithTheFleet(t *testing.T) {
	s := start(t, GenerateFleet(1, 4).Options()) // Two servers, both in MigrationProjects[0].
	all := migProjectsPage(t, s, "")
	if *all.Count != 1+len(MigrationProjects) || len(all.Migprojects) != *all.Count {
		t.Fatalf("count %d, %d projects", *all.Count, len(all.Migprojects))
	}
	wantNames := []string{"default", "wave-1", "wave-2", "wave-3"}
	for i, p := range all.Migprojects {
		id := rawString(t, p["id"])
		if name := rawString(t, p["name"]); name != wantNames[i] {
			t.Errorf("project %d is %q, want %q", i, name, wantNames[i])
		}
		servers := sources(t, s, "migproject="+id)
		if want := *servers.Count > 0; string(p["exist_server"]) != map[bool]string{true: "true", false: "false"}[want] {
			t.Errorf("project %s: exist_server %s, but it has %d servers", id, p["exist_server"], *servers.Count)
		}
		resp, body := getPath(t, s, "/v3/migprojects/"+id)
		var detail map[string]json.RawMessage
		if err := json.Unmarshal(body, &detail); resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("detail of %s: %d %s", id, resp.StatusCode, body)
		}
		delete(p, "id")
		if a, b := marshal(p), marshal(detail); string(a) != string(b) {
			t.Errorf("detail of %s is %s, want its list item without the id, %s", id, b, a)
		}
	}
	if string(all.Migprojects[1]["exist_server"]) != "true" || string(all.Migprojects[2]["exist_server"]) != "false" ||
		string(all.Migprojects[0]["isdefault"]) != "true" {
		t.Errorf("the fleet's servers are all in wave-1, the default project is default: %v", all.Migprojects)
	}
	page := migProjectsPage(t, s, "limit=2&offset=1")
	if *page.Count != 4 || len(page.Migprojects) != 2 || rawString(t, page.Migprojects[0]["name"]) != "wave-1" {
		t.Errorf("limit=2&offset=1: %+v", page)
	}
	if empty := migProjectsPage(t, s, "offset=10"); *empty.Count != 4 || len(empty.Migprojects) != 0 {
		t.Errorf("offset=10: %+v", empty)
	}
}

// A server's project that is not one of MigrationProjects is served too, so that no server
// belongs to a project that does not exist; a server moved out of a project changes its
// exist_server.
func TestMigProjects_FollowTheServers(t *testing.T) {
	s := start(t, Options{Servers: []json.RawMessage{json.RawMessage(`{"id":"s-1"}`)},
		ServerProjects: map[string]string{"s-1": "custom-project-id"}})
	all := migProjectsPage(t, s, "limit=100")
	last := all.Migprojects[len(all.Migprojects)-1]
	if rawString(t, last["id"]) != "custom-project-id" || rawString(t, last["name"]) != "project-custom-proj" || string(last["exist_server"]) != "true" {
		t.Errorf("last project %v", last)
	}
	s.MutateServers(func([]json.RawMessage) []json.RawMessage { return nil })
	if got := migProjectsPage(t, s, ""); *got.Count != 1+len(MigrationProjects) {
		t.Errorf("after the server left, %d projects", *got.Count)
	}
}

// The limit is the reference's, 0 to 100; an unknown project id is a 404 with a service code.
func TestMigProjects_ValidationAndNotFound(t *testing.T) {
	s := start(t, Options{})
	for _, q := range []string{"limit=101", "limit=-1", "offset=65536", "limit=x"} {
		resp, body := getPath(t, s, "/v3/migprojects?"+q)
		checkError(t, resp, body, http.StatusBadRequest, "SMS.9004", "")
	}
	if got := migProjectsPage(t, s, "limit=0"); len(got.Migprojects) != 1+len(MigrationProjects) {
		t.Errorf("limit=0 served %d projects", len(got.Migprojects))
	}
	resp, body := getPath(t, s, "/v3/migprojects/missing")
	checkError(t, resp, body, http.StatusNotFound, "SMS.1801", "The migration project missing does not exist")
}
