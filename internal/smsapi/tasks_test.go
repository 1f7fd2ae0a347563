package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// referenceExample is the example response of the API reference (list-migration-tasks.txt),
// verbatim: three tasks on one page, all with the same id.
const referenceExample = `{ "count" : 3, "tasks" : [ { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "sms_task_lxxxx11", "type" : "MIGRATE_FILE", "os_type" : "LINUX", "state" : "MIGRATE_SUCCESS", "estimate_complete_time" : null, "create_date" : 1585139506000, "priority" : 1, "speed_limit" : 0, "migrate_speed" : 0.0, "start_target_server" : true, "error_json" : "", "total_time" : 3878000, "migration_ip" : "", "source_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "ip" : "192.168.*.107", "name" : "xxx-linux-1", "os_type" : "LINUX", "os_version" : "CENTOS_7_6_64BIT", "oem_system" : false, "state" : "AVAILABLE" }, "target_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "vm_id" : "", "name" : "", "ip" : null, "os_type" : "LINUX", "os_version" : null }, "log_collect_status" : "INIT" }, { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "sms_task_xxx22", "type" : "MIGRATE_BLOCK", "os_type" : "WINDOWS", "state" : "MIGRATE_SUCCESS", "estimate_complete_time" : null, "create_date" : 1585138569000, "priority" : 1, "speed_limit" : 0, "migrate_speed" : 0.0, "start_target_server" : true, "error_json" : "", "total_time" : 10824000, "migration_ip" : "", "source_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "ip" : "192.168.*.245", "name" : "xxx-windows-2", "os_type" : "WINDOWS", "os_version" : "WINDOWS2012_R2_64BIT", "oem_system" : false, "state" : "AVAILABLE" }, "target_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "vm_id" : "", "name" : "", "ip" : null, "os_type" : "WINDOWS", "os_version" : "WINDOWS2012_R2_64BIT" }, "log_collect_status" : "INIT" }, { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "sms_task_leddesktop", "type" : "MIGRATE_BLOCK", "os_type" : "WINDOWS", "state" : "MIGRATE_SUCCESS", "estimate_complete_time" : null, "create_date" : 1566130392000, "priority" : 1, "speed_limit" : 200, "migrate_speed" : 0.0, "start_target_server" : true, "error_json" : "", "total_time" : 882000, "migration_ip" : "192.168.1.201", "source_server" : null, "target_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "vm_id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "xxx-sms-target", "ip" : null, "os_type" : "WINDOWS", "os_version" : "WINDOWS2008_R2_64BIT" }, "log_collect_status" : "INIT" } ] }`

const refID = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"

func TestListTasksPage_SendsQueryString(t *testing.T) {
	cases := map[string]struct {
		q      ListTasksQuery
		offset int
		want   string
	}{
		"no filters":    {ListTasksQuery{}, 0, "limit=200&offset=0"},
		"page size":     {ListTasksQuery{PageSize: 7}, 14, "limit=7&offset=14"},
		"max offset":    {ListTasksQuery{PageSize: 1}, MaxOffset, "limit=1&offset=65535"},
		"state":         {ListTasksQuery{State: ptr("RUNNING")}, 0, "limit=200&offset=0&state=RUNNING"},
		"name":          {ListTasksQuery{Name: ptr("a b&c")}, 0, "limit=200&name=a+b%26c&offset=0"},
		"id":            {ListTasksQuery{ID: ptr("t-1")}, 0, "id=t-1&limit=200&offset=0"},
		"source server": {ListTasksQuery{SourceServerID: ptr("s-1")}, 0, "limit=200&offset=0&source_server_id=s-1"},
		"project":       {ListTasksQuery{EnterpriseProjectID: ptr("0")}, 0, "enterprise_project_id=0&limit=200&offset=0"},
		"empty is sent": {ListTasksQuery{State: ptr(""), Name: ptr("")}, 0, "limit=200&name=&offset=0&state="},
		"all filters set": {ListTasksQuery{State: ptr("READY"), Name: ptr("n"), ID: ptr("i"), SourceServerID: ptr("s"),
			EnterpriseProjectID: ptr("e"), PageSize: 50}, 100,
			"enterprise_project_id=e&id=i&limit=50&name=n&offset=100&source_server_id=s&state=READY"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var raw atomic.Value
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				raw.Store(r.URL.RawQuery)
				writeJSON(w, http.StatusOK, okPage)
			})
			c := newTestClient(t, srv.URL)
			if _, err := c.ListTasksPage(context.Background(), tc.q, tc.offset); err != nil {
				t.Fatal(err)
			}
			if got := raw.Load(); got != tc.want {
				t.Errorf("query = %v, want %s", got, tc.want)
			}
		})
	}
}

func TestListTasksPage_RejectsBadArguments(t *testing.T) {
	api := newFakeAPI(t, 1, 1)
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL)
	cases := map[string]struct {
		q      ListTasksQuery
		offset int
	}{
		"page size above max": {ListTasksQuery{PageSize: MaxPageSize + 1}, 0},
		"negative page size":  {ListTasksQuery{PageSize: -1}, 0},
		"negative offset":     {ListTasksQuery{}, -1},
		"offset above max":    {ListTasksQuery{}, MaxOffset + 1},
	}
	for name, tc := range cases {
		if _, err := c.ListTasksPage(context.Background(), tc.q, tc.offset); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 500}); err == nil {
		t.Error("ListTasks with page size 500: want an error")
	}
	if api.requests() != 0 {
		t.Errorf("requests = %d, want 0", api.requests())
	}
}

func TestListTasks_KeepsOrderAcrossConcurrentPages(t *testing.T) {
	api := newFakeAPI(t, 100, 100)
	// Earlier pages answer later, so completion order is the reverse of API order.
	api.delay = func(offset int) time.Duration { return time.Duration(100-offset) * time.Millisecond / 2 }
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 8 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := taskIDs(list.Items); !slices.Equal(got, api.ids) {
		t.Errorf("tasks out of order: %v", got)
	}
	if list.Count != 100 || list.Requests != 10 || list.DuplicatesDropped != 0 || list.OffsetCapped || list.Incomplete() {
		t.Errorf("list = count %d, requests %d, dropped %d, capped %v", list.Count, list.Requests, list.DuplicatesDropped, list.OffsetCapped)
	}
}

func TestListTasks_NoExtraRequest(t *testing.T) {
	cases := map[string]struct {
		count       int64
		n, pageCap  int
		pageSize    int
		wantOffsets []int
		wantTasks   int
	}{
		"count is a multiple of the page size": {600, 600, 0, 200, []int{0, 200, 400}, 600},
		"short last page":                      {450, 450, 0, 200, []int{0, 200, 400}, 450},
		"first page holds everything":          {3, 3, 0, 200, []int{0}, 3},
		"first page exactly full":              {200, 200, 0, 200, []int{0}, 200},
		"no tasks":                             {0, 0, 0, 200, []int{0}, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, tc.count, tc.n)
			api.pageCap = tc.pageCap
			srv := newServer(t, api.ServeHTTP)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 3 })
			list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: tc.pageSize})
			if err != nil {
				t.Fatal(err)
			}
			if got := api.offsets(); !slices.Equal(got, tc.wantOffsets) {
				t.Errorf("offsets requested = %v, want %v", got, tc.wantOffsets)
			}
			if len(list.Items) != tc.wantTasks || list.Requests != len(tc.wantOffsets) || list.Count != tc.count {
				t.Errorf("tasks = %d, requests = %d, count = %d", len(list.Items), list.Requests, list.Count)
			}
			if list.Incomplete() != (int64(tc.wantTasks) < tc.count) {
				t.Errorf("Incomplete() = %v", list.Incomplete())
			}
			if list.Items == nil {
				t.Error("Tasks is nil, want an empty slice")
			}
		})
	}
}

// A task created in front of the pages already read pushes the last task of a page onto the
// next one: it is dropped there, and the count, grown by one, accounts for it. Repeats within a
// page (the reference example has three tasks with one id) are kept.
func TestListTasks_DedupesAcrossPagesNotWithin(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("offset") {
		case "0":
			// The reference example: three tasks with one id on one page. Count raised to 7.
			writeJSON(w, http.StatusOK, strings.Replace(referenceExample, `"count" : 3`, `"count" : 7`, 1))
		case "3":
			// One task was created at the front since: the example's last task moved here.
			writeJSON(w, http.StatusOK, `{"count":8,"tasks":[{"id":"`+refID+`","state":"MIGRATE_SUCCESS"},{"id":"b"},{"id":null}]}`)
		case "6":
			writeJSON(w, http.StatusOK, `{"count":8,"tasks":[{"name":"no id"},{"id":"c"}]}`)
		default:
			writeJSON(w, http.StatusBadRequest, `{"error_code":"X","error_msg":"unexpected offset"}`)
		}
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{refID, refID, refID, "b", "<nil>", "<nil>", "c"}
	if got := taskIDs(list.Items); !slices.Equal(got, want) {
		t.Errorf("ids = %v, want %v", got, want)
	}
	if *list.Items[1].Name != "sms_task_xxx22" || *list.Items[2].Name != "sms_task_leddesktop" {
		t.Errorf("within-page duplicates were not kept in order")
	}
	if list.DuplicatesDropped != 1 || list.Requests != 3 || list.Incomplete() || list.Reread {
		t.Errorf("dropped = %d, requests = %d, incomplete = %v, reread = %v", list.DuplicatesDropped, list.Requests, list.Incomplete(), list.Reread)
	}
}

func TestListTasks_PreservesNullAbsentAndEmpty(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":3,"tasks":[
			{"id":"null","sub_tasks":null,"source_server":null,"error_json":null,"special_config":null},
			{"id":"absent"},
			{"id":"empty","sub_tasks":[],"source_server":{},"error_json":"","special_config":[],
			 "target_server":{"ip":null,"vm_id":""}}]}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range list.Items[:2] {
		if task.SubTasks != nil || task.SourceServer != nil || task.ErrorJSON != nil || task.SpecialConfig != nil || task.TargetServer != nil {
			t.Errorf("%s: null or absent fields are not nil: %+v", *task.ID, task)
		}
	}
	e := list.Items[2]
	if e.SubTasks == nil || len(e.SubTasks) != 0 || e.SpecialConfig == nil || len(e.SpecialConfig) != 0 {
		t.Errorf("[] did not stay an empty non-nil slice: %#v %#v", e.SubTasks, e.SpecialConfig)
	}
	if e.SourceServer == nil || *e.SourceServer != (SourceServer{}) || e.ErrorJSON == nil || *e.ErrorJSON != "" {
		t.Errorf("{} and \"\" were not kept: %+v %v", e.SourceServer, e.ErrorJSON)
	}
	if e.TargetServer.IP != nil || e.TargetServer.VMID == nil || *e.TargetServer.VMID != "" {
		t.Errorf("target_server = %+v", *e.TargetServer)
	}
}

func TestListTasks_KeepsInt64Precision(t *testing.T) {
	const big = 9007199254740993 // 2^53 + 1: a float64 would round it to ...992.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":1,"tasks":[{"id":"t","create_date":9007199254740993,
			"total_time":9223372036854775807,"sub_tasks":[{"id":9007199254740993,"start_date":9007199254740993}]}]}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	task := list.Items[0]
	if *task.CreateDate != big || *task.TotalTime != 9223372036854775807 || *task.SubTasks[0].ID != big || *task.SubTasks[0].StartDate != big {
		t.Errorf("precision lost: create_date %d, total_time %d, sub id %d", *task.CreateDate, *task.TotalTime, *task.SubTasks[0].ID)
	}
}

func TestListTasks_CapsOffsets(t *testing.T) {
	api := newFakeAPI(t, 70000, 70000)
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 8 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	offsets := api.offsets()
	if last := offsets[len(offsets)-1]; last > MaxOffset || last != 65400 {
		t.Errorf("largest offset = %d, want 65400 (<= %d)", last, MaxOffset)
	}
	if len(offsets) != 328 || list.Requests != 328 || len(list.Items) != 65600 {
		t.Errorf("requests = %d/%d, tasks = %d; want 328 and 65600", len(offsets), list.Requests, len(list.Items))
	}
	if !list.OffsetCapped || !list.Incomplete() || list.Count != 70000 {
		t.Errorf("OffsetCapped = %v, Incomplete = %v, Count = %d", list.OffsetCapped, list.Incomplete(), list.Count)
	}
}

func TestListTasks_PageFailureFailsWhole(t *testing.T) {
	api := newFakeAPI(t, 1000, 1000)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "400" {
			w.Header().Set("X-Request-Id", "req-400")
			writeJSON(w, http.StatusForbidden, `{"error_code":"SMS.1806","error_msg":"denied"}`)
			return
		}
		api.ServeHTTP(w, r)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 2 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 100})
	if list != nil {
		t.Errorf("got a partial list of %d tasks", len(list.Items))
	}
	ae, ok := AsAPIError(err)
	if !ok || ae.Status != 403 || ae.Code != "SMS.1806" || ae.RequestID != "req-400" {
		t.Fatalf("err = %v, want the 403 of offset 400", err)
	}
}

func TestListTasks_CountMissingOrNegative(t *testing.T) {
	for _, body := range []string{`{"tasks":[]}`, `{"count":null,"tasks":[]}`, `{"count":-1,"tasks":[]}`} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "rid")
			writeJSON(w, http.StatusOK, body)
		})
		c := newTestClient(t, srv.URL)
		_, err := c.ListTasks(context.Background(), ListTasksQuery{})
		var de *DecodeError
		if !errors.As(err, &de) || de.RequestID != "rid" || !strings.Contains(err.Error(), `"count"`) {
			t.Errorf("%s: err = %v, want a DecodeError about count", body, err)
		}
	}
}

func TestListTasks_CancelReturnsPromptly(t *testing.T) {
	before := runtime.NumGoroutine()
	api := newFakeAPI(t, 2000, 2000)
	started := make(chan struct{})
	var once sync.Once
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" {
			once.Do(func() { close(started) })
			select { // A slow page: it answers only when the client goes away.
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		api.ServeHTTP(w, r)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 4 })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.ListTasks(ctx, ListTasksQuery{PageSize: 100})
		done <- err
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no slow page was requested")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("ListTasks did not return within 2s of cancellation")
	}

	close(release)
	srv.Close()
	c.closeIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestListTasks_HonoursMaxConcurrency(t *testing.T) {
	api := newFakeAPI(t, 200, 200)
	api.delay = func(int) time.Duration { return 30 * time.Millisecond }
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 3 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if list.Requests != 20 || api.requests() != 20 {
		t.Fatalf("requests = %d/%d, want 20", list.Requests, api.requests())
	}
	if m := api.maxInFlight.Load(); m > 3 || m <= 1 {
		t.Errorf("max in flight = %d, want 2 or 3", m)
	}

	// The limit belongs to the client, so two concurrent listings share it.
	api.maxInFlight.Store(0)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := api.maxInFlight.Load(); m > 3 {
		t.Errorf("max in flight across two calls = %d, want <= 3", m)
	}
}

// FuzzDecodeListTasks checks that no body makes the decoder panic, that every failure has a
// message, and that whatever it accepts survives a round trip unchanged (null stays nil, [] stays
// empty, integers keep every digit).
func FuzzDecodeListTasks(f *testing.F) {
	f.Add([]byte(referenceExample))
	f.Add([]byte(referenceExample[:len(referenceExample)/2]))
	f.Add([]byte(`{"count":0,"tasks":[]}`))
	f.Add([]byte(`{"count":null,"tasks":null}`))
	f.Add([]byte(`{"count":9007199254740993,"tasks":[{"id":"a","sub_tasks":[{"id":9223372036854775807}],"special_config":[]}]}`))
	f.Add([]byte(`{"count":9223372036854775808}`))
	f.Add([]byte(`{"tasks":{}}`))
	f.Add([]byte(`{"tasks":[1,"x",null]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`<html><body>502 Bad Gateway</body></html>`))
	f.Add([]byte(``))
	f.Add([]byte(`{"count":1} {"count":2}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := decodeTasksPage(body, 0)
		if err != nil {
			if resp != nil || err.Error() == "" {
				t.Fatalf("error %q with response %v", err, resp)
			}
			return
		}
		if resp == nil {
			t.Fatal("nil response without error")
		}
		again, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		resp2, err := decodeTasksPage(again, 0)
		if err != nil {
			t.Fatalf("decoding our own encoding %s: %v", again, err)
		}
		if !reflect.DeepEqual(resp, resp2) {
			t.Fatalf("round trip changed the page:\n%s\n%s", body, string(again))
		}
	})
}

// A listing's filters are built once and sent by every page, concurrent pages included, each
// with its own limit and offset; the query they came from is left as it was.
func TestListTasks_EveryPageSendsTheFilters(t *testing.T) {
	api := newFakeAPI(t, 45, 45)
	srv := newServer(t, api.ServeHTTP)
	q := ListTasksQuery{State: ptr("RUNNING"), Name: ptr("a b"), PageSize: 10}
	if _, err := newTestClient(t, srv.URL).ListTasks(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.queries) != 5 {
		t.Fatalf("requests = %d, want 5", len(api.queries))
	}
	for _, got := range api.queries {
		if got.Get("state") != "RUNNING" || got.Get("name") != "a b" || got.Get("limit") != "10" || len(got) != 4 {
			t.Errorf("query %v, want the filters with limit 10 and an offset", got)
		}
	}
	if v := q.Values(); len(v) != 2 {
		t.Errorf("Values() = %v, want the two filters only", v)
	}
}
