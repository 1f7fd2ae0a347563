package smsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// An API that ignores a filter answers with items the query excluded. Each exact-match filter is
// checked against every item, on every page, and an item that contradicts one fails the read as
// an invalid response naming the filter, the item and its value; an item without a field the
// answer may leave out passes, and ids compare without regard to case.
func TestListings_ItemsThatContradictTheirFiltersFailTheRead(t *testing.T) {
	t.Parallel()
	const (
		mixed      = `{"count":2,"tasks":[{"id":"a","state":"MIGRATE_SUCCESS"},{"id":"b","state":"MIGRATE_FAIL"}]}`
		nullState  = `{"count":1,"tasks":[{"id":"a","state":null}]}`
		noProject  = `{"count":1,"tasks":[{"id":"a","state":"READY"}]}`
		upperID    = `{"count":1,"tasks":[{"id":"A-1","state":"READY","source_server":{"id":"S-1"}}]}`
		servers    = `{"count":2,"source_servers":[{"id":"s1","state":"replicate","migration_cycle":"cutovered","connected":true},{"id":"s2","state":"error","migration_cycle":"replicating","connected":false}]}`
		laterPage  = `{"count":3,"tasks":[{"id":"x","state":"READY"},{"id":"y","state":"READY"}]}`
		secondPage = `{"count":3,"tasks":[{"id":"y","state":"READY"},{"id":"z","state":"RUNNING"}]}`
	)
	serve := func(bodies ...string) *Client {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			body := bodies[0]
			if r.URL.Query().Get("offset") != "0" && len(bodies) > 1 {
				body = bodies[1]
			}
			writeJSON(w, http.StatusOK, body)
		})
		return newTestClient(t, srv.URL)
	}
	ctx := context.Background()
	failures := map[string]struct {
		read func() error
		want string
	}{
		"task state": {func() error {
			_, err := serve(mixed).ListTasks(ctx, ListTasksQuery{State: ptr("MIGRATE_SUCCESS")})
			return err
		}, `query for state = "MIGRATE_SUCCESS" with one of the tasks (id "b") whose state is "MIGRATE_FAIL"`},
		"a null state": {func() error {
			_, err := serve(nullState).ListTasks(ctx, ListTasksQuery{State: ptr("READY")})
			return err
		}, `(id "a") whose state is null`},
		"a later page": {func() error {
			_, err := serve(laterPage, secondPage).ListTasks(ctx, ListTasksQuery{State: ptr("READY"), PageSize: 2})
			return err
		}, `(id "z") whose state is "RUNNING"`},
		"one page": {func() error {
			_, err := serve(mixed).ListTasksPage(ctx, ListTasksQuery{ID: ptr("a")}, 0)
			return err
		}, `query for id = "a" with one of the tasks (id "b")`},
		"server migration cycle": {func() error {
			_, err := serve(servers).ListSourceServers(ctx, ListSourceServersQuery{MigrationCycle: ptr("cutovered")})
			return err
		}, `(id "s2") whose migration_cycle is "replicating"`},
		"server connected": {func() error {
			_, err := serve(servers).ListSourceServers(ctx, ListSourceServersQuery{Connected: ptr(true)})
			return err
		}, `query for connected = "true" with one of the source servers (id "s2") whose connected is "false"`},
	}
	for name, c := range failures {
		err := c.read()
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an invalid response naming %s", name, err, c.want)
		}
	}
	passes := map[string]func() error{
		"a field the answer leaves out": func() error {
			_, err := serve(noProject).ListTasks(ctx, ListTasksQuery{EnterpriseProjectID: ptr("0")})
			return err
		},
		"ids in another case": func() error {
			_, err := serve(upperID).ListTasks(ctx, ListTasksQuery{ID: ptr("a-1"), SourceServerID: ptr("s-1")})
			return err
		},
		"filters not checked": func() error {
			_, err := serve(mixed).ListTasks(ctx, ListTasksQuery{Name: ptr("anything")})
			return err
		},
	}
	for name, read := range passes {
		if err := read(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
