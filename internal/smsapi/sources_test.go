package smsapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

func TestListSourceServersPage_QueryAndNesting(t *testing.T) {
	var query string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		writeJSON(w, 200, `{"count":1,"source_servers":[{"id":"s","state":"replicate","connected":false,"current_task":{"id":"t","target_server":{"vm_id":"v"}},
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
	// Pages of 50 step by 49, each after the first repeating the last server of the one before.
	if st := srv.Stats(); st.MaxInFlight > 4 || len(st.PerOffset) != 1+(len(fleet.Servers)-50+48)/49 {
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

// Two copies of one source server with another state or migration cycle contradict the listing,
// as two states of one task do (TestListAll_RepeatedIDWithAnotherStateFails).
func TestListSourceServers_RepeatedIDWithAnotherCycleFails(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "0" {
			writeJSON(w, http.StatusOK, `{"count":3,"source_servers":[{"id":"s1","state":"finished","migration_cycle":"cutovered"},{"id":"s2"}]}`)
			return
		}
		// A server created in front pushed s1 onto the second page, which still repeats s2.
		writeJSON(w, http.StatusOK, `{"count":4,"source_servers":[{"id":"s1","state":"error","migration_cycle":"replicating"},{"id":"s2"}]}`)
	})
	_, err := newTestClient(t, srv.URL).ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 2})
	if err == nil || !strings.Contains(err.Error(), `"s1" is listed as`) {
		t.Fatalf("err = %v, want the contradiction named", err)
	}
}
