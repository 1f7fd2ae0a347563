package smsapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"
)

// A listing that names one task twice with different states contradicts itself: keeping either
// copy could hide a MIGRATE_FAIL from a gate, so the read fails after reading again. An empty id
// identifies nothing, so two tasks with "" are both kept.
func TestListAll_RepeatedIDWithAnotherStateFails(t *testing.T) {
	cases := map[string]map[string]string{
		"within a page": {
			"0": `{"count":2,"tasks":[{"id":"t1","state":"MIGRATE_FAIL"},{"id":"t1","state":"MIGRATE_SUCCESS"}]}`,
		},
		"on a later page, count grown": {
			"0": `{"count":3,"tasks":[{"id":"t1","state":"RUNNING"},{"id":"t2","state":"MIGRATE_SUCCESS"}]}`,
			"2": `{"count":4,"tasks":[{"id":"t1","state":"MIGRATE_FAIL"},{"id":"t3","state":"MIGRATE_SUCCESS"}]}`,
		},
	}
	for name, pages := range cases {
		t.Run(name, func(t *testing.T) {
			var requests atomic.Int64
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				writeJSON(w, http.StatusOK, pages[r.URL.Query().Get("offset")])
			})
			c := newTestClient(t, srv.URL)
			_, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
			if err == nil || !strings.Contains(err.Error(), `"t1" is listed as`) || !strings.Contains(err.Error(), "MIGRATE_FAIL") {
				t.Fatalf("err = %v, want the contradiction named", err)
			}
			if n := requests.Load(); n != int64(2*len(pages)) {
				t.Errorf("requests = %d, want %d (the listing read twice)", n, 2*len(pages))
			}
		})
	}
	t.Run("a huge id is named bounded", func(t *testing.T) {
		id := strings.Repeat("x", 10000)
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, `{"count":2,"tasks":[{"id":"`+id+`","state":"MIGRATE_FAIL"},{"id":"`+id+`","state":"READY"}]}`)
		})
		_, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
		if err == nil || !strings.Contains(err.Error(), `is listed as "MIGRATE_FAIL"`) || len(err.Error()) > 1000 {
			t.Fatalf("err (%d bytes) = %.300v, want the contradiction named in a bounded message", len(fmt.Sprint(err)), err)
		}
	})
	t.Run("empty ids", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("offset") == "0" {
				writeJSON(w, http.StatusOK, `{"count":3,"tasks":[{"id":"","state":"RUNNING"},{"id":"t2"}]}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"count":3,"tasks":[{"id":"","state":"MIGRATE_FAIL"}]}`)
		})
		list, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 3 || *list.Items[2].State != "MIGRATE_FAIL" {
			t.Errorf("tasks = %v, want all three, the failed one last", taskIDs(list.Items))
		}
	})
}

// The same rule holds for source servers, whose state and migration cycle are compared.
func TestListSourceServers_RepeatedIDWithAnotherCycleFails(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "0" {
			writeJSON(w, http.StatusOK, `{"count":3,"source_servers":[{"id":"s1","state":"finished","migration_cycle":"cutovered"},{"id":"s2"}]}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"count":4,"source_servers":[{"id":"s1","state":"error","migration_cycle":"replicating"},{"id":"s3"}]}`)
	})
	_, err := newTestClient(t, srv.URL).ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 2})
	if err == nil || !strings.Contains(err.Error(), `"s1" is listed as`) {
		t.Fatalf("err = %v, want the contradiction named", err)
	}
}

// A 2xx body with a top-level error_code or error_msg is an error answer, even when it also holds
// a count or a counter; and a listing's null elements are not items that its count covers, while
// an object without keys is an item whose every field is null.
func TestDecode_ErrorBodiesAndEmptyItemsAreNotAnswers(t *testing.T) {
	cases := []struct{ name, path, body, want string }{
		{"tasks, count 0 beside the error", "/v3/tasks", `{"count":0,"error_code":"APIG.0101","error_msg":"The API does not exist"}`,
			"answered with an error instead of a task list (error_code APIG.0101): The API does not exist"},
		{"tasks, only error_msg", "/v3/tasks", `{"count":0,"tasks":[],"error_msg":"backend exploded"}`, "backend exploded"},
		{"sources beside the error", "/v3/sources", `{"count":0,"source_servers":[],"error_code":"SMS.9999","error_msg":"partial"}`, "(error_code SMS.9999): partial"},
		{"overview beside the error", "/v3/sources/overview", `{"error_code":"APIG.0101","error_msg":"gone","waiting":0}`, "(error_code APIG.0101): gone"},
		{"a null task", "/v3/tasks", `{"count":2,"tasks":[{"id":"a","state":"RUNNING"},null]}`, `the "tasks" array holds 1 null element(s), which are not tasks`},
		{"a null server", "/v3/sources", `{"count":1,"source_servers":[null]}`, `the "source_servers" array holds 1 null element(s), which are not source servers`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, tc.body) })
			c := newTestClient(t, srv.URL)
			var err error
			switch tc.path {
			case "/v3/tasks":
				_, err = c.ListTasks(context.Background(), ListTasksQuery{})
			case "/v3/sources":
				_, err = c.ListSourceServers(context.Background(), ListSourceServersQuery{})
			default:
				_, err = c.ShowSourcesOverview(context.Background())
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
	// An error_code that is empty, or one inside an item, is not an error answer.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":1,"error_code":"","source_servers":[{"id":"s","current_task":{"error_code":"X"}}]}`)
	})
	if _, err := newTestClient(t, srv.URL).ListSourceServers(context.Background(), ListSourceServersQuery{}); err != nil {
		t.Errorf("err = %v, want the listing read", err)
	}
	srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":1,"tasks":[ { } ]}`)
	})
	if list, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{}); err != nil || len(list.Items) != 1 {
		t.Errorf("a task without fields: %v, want it kept with every field null", err)
	}
}

// A string of API data is bounded before the state: cut at maxDataStringLen bytes, on a rune
// boundary, with the cut said in the value, even when escaped quotes break it up.
func TestDecode_LongStringsAreCut(t *testing.T) {
	long := strings.Repeat("é", maxDataStringLen) // Two bytes a rune: the cut falls mid-rune.
	quoted := strings.Repeat(`abcdefghi\"`, maxDataStringLen/5)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v3/tasks/") {
			writeJSON(w, http.StatusOK, `{"id":"t1","state":"RUNNING","error_json":"`+long+`"}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"count":1,"tasks":[{"id":"t1","state":"RUNNING","name":"`+long+`","error_json":"`+quoted+`","os_type":"LINUX"}]}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := c.ShowTask(context.Background(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]*string{"name": list.Items[0].Name, "error_json": list.Items[0].ErrorJSON, "detail error_json": detail.ErrorJSON} {
		if !utf8.ValidString(*got) || len(*got) > maxDataStringLen+64 || !strings.Contains(*got, "[cut by the provider:") {
			t.Errorf("%s: %d bytes, valid UTF-8 %v, ends %q", what, len(*got), utf8.ValidString(*got), (*got)[max(0, len(*got)-60):])
		}
	}
	if *list.Items[0].OSType != "LINUX" {
		t.Errorf("os_type = %q, want short strings kept", *list.Items[0].OSType)
	}
}
