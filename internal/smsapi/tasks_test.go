package smsapi

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
)

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
				writeJSON(w, http.StatusOK, `{"count":0,"tasks":[]}`) // No item, so no filter to contradict.
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
