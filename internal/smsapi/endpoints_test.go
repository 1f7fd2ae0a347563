package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

func TestShowTask_DecodesEveryLevelAndKeepsNulls(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"id":"t-1","state":"RUNNING","remain_seconds":9223372036854775807,"finish_date":null,
			"source_server":{"id":"s","migration_cycle":"replicating"},
			"target_server":{"disks":[{"id":101,"physical_volumes":[{"free_size":5}]}],"btrfs_list":[null,"b"]},
			"sub_tasks":[{"id":1,"migrate_speed":85.5,"user_op":null}],"clone_server":null}`)
	})
	c := newTestClient(t, srv.URL+"/sms/")
	d, err := c.ShowTask(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/tasks/t-1" {
		t.Errorf("path %q", gotPath)
	}
	switch {
	case *d.ID != "t-1" || *d.RemainSeconds != math.MaxInt64 || d.FinishDate != nil || d.StartDate != nil:
		t.Errorf("top level: %+v", d)
	case *d.SourceServer.MigrationCycle != "replicating" || d.CloneServer != nil:
		t.Errorf("source/clone server: %+v %+v", d.SourceServer, d.CloneServer)
	case *d.TargetServer.Disks[0].PhysicalVolumes[0].FreeSize != 5 || d.TargetServer.BtrfsList[0] != nil || *d.TargetServer.BtrfsList[1] != "b":
		t.Errorf("target server: %+v", d.TargetServer)
	case *d.SubTasks[0].MigrateSpeed != 85.5 || d.SubTasks[0].UserOp != nil || d.TargetServer.VolumeGroups != nil:
		t.Errorf("sub tasks: %+v", d.SubTasks)
	}
}

func TestShowTask_NotFoundNamesTheTask(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-404")
		writeJSON(w, 404, `{"error_code":"SMS.6002","error_msg":"not found"}`)
	})
	c := newTestClient(t, srv.URL)
	_, err := c.ShowTask(context.Background(), "gone-task")
	var nf *TaskNotFoundError
	if !errors.As(err, &nf) || nf.TaskID != "gone-task" || !strings.Contains(err.Error(), `"gone-task"`) ||
		!strings.Contains(err.Error(), "SMS.6002") || !strings.Contains(err.Error(), "req-404") {
		t.Fatalf("err = %v", err)
	}
	if ae, ok := AsAPIError(err); !ok || ae.Status != 404 {
		t.Errorf("not an APIError 404: %v", err)
	}
}

func TestShowTask_RejectsIDsThatNameAnotherPath(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request sent for a bad id: %s", r.URL)
	})
	c := newTestClient(t, srv.URL)
	for _, id := range []string{"", "..", ".", "a/b", "a?b", "a b", strings.Repeat("a", 256), "../sources"} {
		if _, err := c.ShowTask(context.Background(), id); err == nil {
			t.Errorf("ShowTask(%q) accepted", id)
		}
	}
}

func TestGetAnswer_BadBodies(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{``, "the body is empty, want a JSON object of counters"},
		{`[1]`, "the body is a JSON array, want a JSON object of counters"},
		{`<html>`, "HTML"},
		{`{"waiting":"3"}`, `field "waiting"`},
		{`{"waiting":1e400}`, "waiting"},
		{`{"waiting":3`, "truncated"},
		{`{"waiting":9223372036854775808}`, "outside the range of a 64-bit integer"},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-bad")
			writeJSON(w, 200, c.body)
		})
		_, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) ||
			!strings.Contains(err.Error(), "invalid response for source server overview (request id req-bad)") {
			t.Errorf("body %q: err = %v, want it to mention %q", c.body, err, c.want)
		}
	}
}

func TestShowSourcesOverview_OlderLayoutKeepsNulls(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/sources/overview" || r.URL.RawQuery != "" {
			t.Errorf("request %s", r.URL)
		}
		writeJSON(w, 200, `{"waiting":5,"replicating":6,"syncing":3,"other":2}`)
	})
	o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *o.Waiting != 5 || *o.Syncing != 3 || o.Replicate != nil || o.Unconfigured != nil {
		t.Errorf("overview %+v", o)
	}
}

func TestListSourceServersPage_QueryAndNesting(t *testing.T) {
	var query string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		writeJSON(w, 200, `{"count":1,"source_servers":[{"id":"s","current_task":{"id":"t","target_server":{"vm_id":"v"}},
			"checks":[{"id":1,"params":["p"]}],"init_target_server":{"disks":[{"physical_volumes":[{"uuid":"u"}]}],
			"volume_groups":[{"logical_volumes":[{"inode_nums":7}]}]},"replicatesize":1,"totalsize":null}]}`)
	})
	c := newTestClient(t, srv.URL)
	page, err := c.ListSourceServersPage(context.Background(), ListSourceServersQuery{
		State: ptr("replicate"), ID: ptr("s"), MigProject: ptr(""), Connected: ptr(false),
		IsConsistencyResultExist: ptr(true), PageSize: 50,
	}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := "connected=false&id=s&is_consistency_result_exist=true&limit=50&migproject=&offset=100&state=replicate"; query != want {
		t.Errorf("query %q, want %q", query, want)
	}
	s := page.SourceServers[0]
	if *s.CurrentTask.TargetServer.VMID != "v" || *s.Checks[0].Params[0] != "p" ||
		*s.InitTargetServer.Disks[0].PhysicalVolumes[0].UUID != "u" ||
		*s.InitTargetServer.VolumeGroups[0].LogicalVolumes[0].InodeNums != 7 || s.TotalSize != nil || *s.ReplicateSize != 1 {
		t.Errorf("server %+v", s)
	}
}

// ListSourceServers reads a generated fleet through the paging engine: every server once, in
// API order, with the filters sent and pages fetched concurrently within the client's limit.
func TestListSourceServers_PagesTheFleet(t *testing.T) {
	fleet := emulator.GenerateFleet(600, 2)
	opts := fleet.Options()
	opts.Token = testToken
	srv := emulator.NewTestServer(opts)
	t.Cleanup(func() { srv.Close() })
	c := newTestClient(t, srv.URL())
	list, err := c.ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if int(list.Count) != len(fleet.Servers) || len(list.Items) != len(fleet.Servers) {
		t.Fatalf("count %d, items %d, want %d", list.Count, len(list.Items), len(fleet.Servers))
	}
	for i, raw := range fleet.Servers {
		var want struct{ ID string }
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if got := *list.Items[i].ID; got != want.ID {
			t.Fatalf("server %d is %s, want %s", i, got, want.ID)
		}
	}
	if st := srv.Stats(); st.MaxInFlight > 4 || len(st.PerOffset) != (len(fleet.Servers)+49)/50 {
		t.Errorf("stats %+v: want at most 4 in flight and one request per page", st)
	}
	// Filters reach the query; the emulator then serves only the matches.
	srv.ResetStats()
	finished, err := c.ListSourceServers(context.Background(), ListSourceServersQuery{State: ptr("finished"), Connected: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range finished.Items {
		if *s.State != "finished" || !*s.Connected {
			t.Errorf("server %s is %s, connected %v", *s.ID, *s.State, *s.Connected)
		}
	}
	if q := srv.Queries()[0]; q.Get("state") != "finished" || q.Get("connected") != "true" || q.Has("name") || q.Get("limit") != "200" {
		t.Errorf("query %v", q)
	}
}

// A page of source servers that breaks the engine's rules fails as a source servers page.
func TestListSourceServers_BadPagesNameTheEndpoint(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`{"count":1}`, `invalid response for source servers page (offset 0): "source_servers" is missing or null while "count" is 1`},
		{`{"count":1,"source_servers":[{"id":"a","id":"b"}]}`, `repeated`},
		{`{"count":3,"source_servers":[{},{},{}]}`, `"source_servers" holds more than the limit of 2`},
		{`{"count":1,"source_servers":{}}`, `want an array`},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, c.body) })
		_, err := newTestClient(t, srv.URL).ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 2})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("body %s: err = %v, want %q", c.body, err, c.want)
		}
	}
}
