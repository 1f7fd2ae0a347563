package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// fleetServer is the part of a listed source server these tests read.
type fleetServer struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	State          string `json:"state"`
	MigrationCycle string `json:"migration_cycle"`
	Connected      *bool  `json:"connected"`
	CurrentTask    *struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		State string `json:"state"`
	} `json:"current_task"`
}

type sourcesBody struct {
	Count         *int          `json:"count"`
	SourceServers []fleetServer `json:"source_servers"`
}

func getPath(t *testing.T, s *Server, path string) (*http.Response, []byte) {
	t.Helper()
	return request(t, s, path, "")
}

func sources(t *testing.T, s *Server, query string) sourcesBody {
	t.Helper()
	resp, body := getPath(t, s, "/v3/sources?"+query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v3/sources?%s: %d %s", query, resp.StatusCode, body)
	}
	var sb sourcesBody
	if err := json.Unmarshal(body, &sb); err != nil || sb.Count == nil || sb.SourceServers == nil {
		t.Fatalf("body %s: %v", body, err)
	}
	return sb
}

func TestFleet_Consistent(t *testing.T) {
	fleet := GenerateFleet(300, 7)
	s := start(t, fleet.Options())
	tasks := map[string]struct {
		Name, State string
		Server      string
	}{}
	for _, raw := range fleet.Tasks {
		var task struct {
			ID, Name, State string
			SourceServer    *struct{ ID string } `json:"source_server"`
		}
		if err := json.Unmarshal(raw, &task); err != nil {
			t.Fatal(err)
		}
		if _, dup := tasks[task.ID]; !dup && task.SourceServer != nil {
			tasks[task.ID] = struct{ Name, State, Server string }{task.Name, task.State, task.SourceServer.ID}
		}
	}
	all := sources(t, s, "")
	if *all.Count != len(fleet.Servers) || len(all.SourceServers) != 200 {
		t.Fatalf("count %d, page %d; want %d and a default page of 200", *all.Count, len(all.SourceServers), len(fleet.Servers))
	}
	all.SourceServers = append(all.SourceServers, sources(t, s, "offset=200").SourceServers...)
	byState := map[string]int{}
	idle := 0
	for _, srv := range all.SourceServers {
		byState[srv.State]++
		if srv.CurrentTask == nil {
			idle++
			continue
		}
		task, ok := tasks[srv.CurrentTask.ID]
		if !ok || task.Server != srv.ID || task.Name != srv.CurrentTask.Name || task.State != srv.CurrentTask.State {
			t.Errorf("server %s: current_task %+v does not match its task %+v", srv.ID, *srv.CurrentTask, task)
		}
	}
	if idle == 0 || byState["finished"] == 0 || byState["replicate"] == 0 {
		t.Errorf("fleet lacks variety: %v, %d without a task", byState, idle)
	}
	_, body := getPath(t, s, "/v3/sources/overview")
	var overview map[string]int
	if err := json.Unmarshal(body, &overview); err != nil || len(overview) != 14 {
		t.Fatalf("overview %s: %v", body, err)
	}
	for state, n := range overview {
		want := byState[state]
		if state == "unconfigured" {
			want = idle
		}
		if n != want {
			t.Errorf("overview %s = %d, want %d as the list holds", state, n, want)
		}
	}
	// A server's task detail names the server and carries its migration cycle.
	srv := all.SourceServers[0]
	resp, body := getPath(t, s, "/v3/tasks/"+srv.CurrentTask.ID)
	var detail struct {
		ID            string          `json:"id"`
		RemainSeconds json.RawMessage `json:"remain_seconds"`
		StartDate     json.RawMessage `json:"start_date"`
		Syncing       json.RawMessage `json:"syncing"`
		SourceServer  struct {
			ID             string `json:"id"`
			MigrationCycle string `json:"migration_cycle"`
		} `json:"source_server"`
	}
	if err := json.Unmarshal(body, &detail); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("detail %d %s: %v", resp.StatusCode, body, err)
	}
	if detail.ID != srv.CurrentTask.ID || detail.SourceServer.ID != srv.ID ||
		detail.SourceServer.MigrationCycle != srv.MigrationCycle || detail.RemainSeconds == nil ||
		detail.StartDate == nil || detail.Syncing != nil {
		t.Errorf("detail %s does not agree with server %+v", body, srv)
	}
}

func TestSources_Filters(t *testing.T) {
	servers := []json.RawMessage{
		json.RawMessage(`{"id":"s1","name":"web","ip":"10.0.0.1","state":"finished","migration_cycle":"cutovered","connected":true,"enterprise_project_id":"0","is_consistency_result_exist":true,"current_task":{"id":"t1","clone_server":{"vm_id":"c1"}}}`),
		json.RawMessage(`{"id":"s2","name":"db","ip":"10.0.0.2","state":"replicate","migration_cycle":"replicating","connected":false,"enterprise_project_id":"ep","is_consistency_result_exist":false,"current_task":{}}`),
		json.RawMessage(`{"id":"s3","name":null,"ip":7,"state":"waiting","connected":null}`),
	}
	s := start(t, Options{Servers: servers, ServerProjects: map[string]string{"s1": "p1", "s3": "p1"}})
	for _, c := range []struct {
		query string
		want  string
	}{
		{"", "s1,s2,s3"}, {"state=finished", "s1"}, {"name=db", "s2"}, {"id=s3", "s3"}, {"ip=10.0.0.1", "s1"},
		{"ipv6=::1", ""}, {"ip=10.0.0.2&ipv6=::1", "s2"}, {"migproject=p1", "s1,s3"},
		{"migration_cycle=replicating", "s2"}, {"connected=false", "s2"}, {"connected=true", "s1"},
		{"enterprise_project_id=ep", "s2"}, {"is_consistency_result_exist=true", "s1"}, {"vm_id=c1", "s1"},
		{"name=", "s1,s2,s3"}, {"limit=1&offset=1", "s2"}, {"limit=0", "s1,s2,s3"},
	} {
		got := sources(t, s, c.query)
		var ids []string
		for _, srv := range got.SourceServers {
			ids = append(ids, srv.ID)
		}
		if strings.Join(ids, ",") != c.want {
			t.Errorf("?%s: got %v, want %s", c.query, ids, c.want)
		}
	}
	for _, bad := range []string{"state=FINISHED", "migration_cycle=done", "connected=yes", "limit=201", "offset=65536"} {
		resp, body := getPath(t, s, "/v3/sources?"+bad)
		checkError(t, resp, body, http.StatusBadRequest, "SMS.9004", "Invalid parameter")
	}
	_, body := getPath(t, s, "/v3/sources/overview")
	if !strings.Contains(string(body), `"unconfigured":2`) || !strings.Contains(string(body), `"finished":1`) {
		t.Errorf("overview %s: want unconfigured 2 (s2's empty task, s3) and finished 1", body)
	}
}

func TestTaskDetail_NotFoundAndGiven(t *testing.T) {
	s := start(t, Options{Tasks: ExampleTasks(), TaskDetails: map[string]json.RawMessage{"given": json.RawMessage(`{"id":"given","x":null}`)}})
	resp, body := getPath(t, s, "/v3/tasks/given")
	if resp.StatusCode != http.StatusOK || string(body) != `{"id":"given","x":null}` {
		t.Errorf("given detail: %d %s", resp.StatusCode, body)
	}
	resp, body = getPath(t, s, "/v3/tasks/missing")
	checkError(t, resp, body, http.StatusNotFound, "SMS.6002", "The migration task missing does not exist")
	// The example's tasks share one id; the first one is the detail.
	_, body = getPath(t, s, "/v3/tasks/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001")
	if !strings.Contains(string(body), `"sms_task_lxxxx11"`) {
		t.Errorf("detail of the example's first task: %s", body)
	}
}

func TestSources_FaultPath(t *testing.T) {
	s := start(t, GenerateFleet(20, 1).Options())
	s.InjectFaults(Fault{Status: http.StatusServiceUnavailable, Path: "/v3/sources"})
	if resp, _ := get(t, s, "", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("tasks took a fault meant for sources: %d", resp.StatusCode)
	}
	resp, body := getPath(t, s, "/v3/sources")
	checkError(t, resp, body, http.StatusServiceUnavailable, "SMS.9999", "System error")
	if s.PendingFaults() != 0 {
		t.Errorf("fault left pending")
	}
}
