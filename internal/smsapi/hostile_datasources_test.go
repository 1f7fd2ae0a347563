package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A 200 for GET /v3/tasks/{task_id} that holds no task, or another task than the one asked
// for, must fail the read: a gate over sms_task would otherwise pass on nulls or judge the
// wrong task.
func TestShowTask_BodyThatIsNotTheTaskFails(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, want string }{
		"empty object":    {`{}`, "holds none of the task's fields"},
		"unknown fields":  {`{"count":"x","tasks":[]}`, "holds none of the task's fields"},
		"another task":    {`{"id":"other-task","name":"n","state":"MIGRATE_FAIL"}`, `the task "other-task"`},
		"a huge id":       {`{"id":"` + strings.Repeat("x", 100000) + `"}`, `the task "xxxx`},
		"no id, no state": {`{"error_json":"","sub_tasks":[]}`, "names neither the task's id nor its state"},
		"an error body beside the task's fields": {`{"error_code":"SMS.2007","error_msg":"backend exception","id":"abc-123","state":"RUNNING"}`,
			"(error_code SMS.2007): backend exception"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			detail, err := newTestClient(t, srv.URL).ShowTask(context.Background(), "abc-123")
			var de *DecodeError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a DecodeError saying %q, got %v (detail %+v)", tc.want, err, detail)
			}
			if n := len(err.Error()); n > 400 {
				t.Errorf("the error is %d bytes long", n)
			}
		})
	}
}

// A detail without an id but with other fields is kept: the reference does not promise the id
// in the detail, and the fields it holds are still the answer for the path's id.
func TestShowTask_DetailWithoutIDIsKept(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"name":"n","state":"RUNNING"}`)
	})
	detail, err := newTestClient(t, srv.URL).ShowTask(context.Background(), "abc-123")
	if err != nil || detail.State == nil || *detail.State != "RUNNING" {
		t.Fatalf("got %+v, %v", detail, err)
	}
	// And a detail that names the task keeps a null state null.
	srv = newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"id":"abc-123","state":null,"name":null}`)
	})
	detail, err = newTestClient(t, srv.URL).ShowTask(context.Background(), "abc-123")
	if err != nil || detail.State != nil {
		t.Fatalf("got %+v, %v, want the null state kept", detail, err)
	}
}

// An overview that holds none of the counters, or a negative one, is not an overview.
func TestShowSourcesOverview_NoCounterOrNegativeFails(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, want string }{
		"empty object":     {`{}`, "holds none of the counters"},
		"unknown fields":   {`{"count":3}`, "holds none of the counters"},
		"negative counter": {`{"waiting":-5,"finished":3}`, `"waiting" is negative (-5)`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
			var de *DecodeError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a DecodeError saying %q, got %v (overview %+v)", tc.want, err, o)
			}
		})
	}
}

// The older four-counter layout stays readable: every counter is optional.
func TestShowSourcesOverview_OlderLayoutKept(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"waiting":2,"finished":0}`) })
	o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
	if err != nil || o.Waiting == nil || *o.Waiting != 2 || o.Finished == nil || *o.Finished != 0 || o.Error != nil {
		t.Fatalf("got %+v, %v", o, err)
	}
}

// hostileName holds ESC, BEL, CR, DEL, a C1 CSI and a bidi override, JSON-escaped and raw,
// next to a newline and a tab, which stay.
const hostileName = `x\u001b[2J\u0007\r\u007f` + "\u009b\u202e" + `y\n\tz`

const cleanedName = `x\x1b[2J\x07\x0d\x7f\x9b\u202ey` + "\n\tz"

// API strings are data, but a user's check or precondition error_message interpolates them and
// Terraform prints that raw: control characters are escaped when the body is decoded, for every
// endpoint.
func TestDecode_ControlCharactersInDataAreEscaped(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v3/tasks":
			writeJSON(w, 200, `{"count":1,"tasks":[{"id":"t1","name":"`+hostileName+`","source_server":{"name":"`+hostileName+`"}}]}`)
		case "/v3/sources":
			writeJSON(w, 200, `{"count":1,"source_servers":[{"id":"s1","name":"`+hostileName+`","checks":[{"name":"`+hostileName+`"}]}]}`)
		default:
			writeJSON(w, 200, `{"id":"abc-123","state":"RUNNING","name":"`+hostileName+`","error_json":"`+hostileName+`"}`)
		}
	})
	c := newTestClient(t, srv.URL)
	ctx := context.Background()
	tasks, err := c.ListTasks(ctx, ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	servers, err := c.ListSourceServers(ctx, ListSourceServersQuery{})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := c.ShowTask(ctx, "abc-123")
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]*string{
		"task name": tasks.Items[0].Name, "task source server name": tasks.Items[0].SourceServer.Name,
		"server name": servers.Items[0].Name, "server check name": servers.Items[0].Checks[0].Name,
		"detail name": detail.Name, "detail error_json": detail.ErrorJSON,
	} {
		if got == nil || *got != cleanedName {
			t.Errorf("%s: got %q, want %q", what, deref(got), cleanedName)
		}
	}
}

// A server that ignores offset answers every page with the first page, full. With page_size 1
// and an endless count that was 65,536 requests per listing, twice; a full page at offset
// 2·limit or more that only repeats the first page ends the pass as inconsistent instead, so
// the read fails after a few requests, for every list endpoint.
func TestListAll_ServerIgnoringOffsetStopsEarly(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/v3/tasks", "/v3/sources"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int64
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				key := "tasks"
				if r.URL.Path == "/v3/sources" {
					key = "source_servers"
				}
				writeJSON(w, 200, `{"count":1000000000000,"`+key+`":[{"id":"same","name":"n"}]}`)
			})
			c := newTestClient(t, srv.URL)
			var err error
			if path == "/v3/tasks" {
				_, err = c.ListTasks(context.Background(), ListTasksQuery{PageSize: 1})
			} else {
				_, err = c.ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 1})
			}
			var inconsistent *InconsistentListingError
			if !errors.As(err, &inconsistent) || !strings.Contains(err.Error(), "repeats the first page") {
				t.Fatalf("want an InconsistentListingError naming the repeated first page, got %v", err)
			}
			if n := requests.Load(); n > 40 {
				t.Errorf("requests = %d, want at most 40", n)
			}
		})
	}
}

// One task created in front while a page_size 1 listing is read pushes the first task onto the
// second page: that is drift, which the re-read resolves, not a server ignoring offset.
func TestListAll_OneInsertionWithPageSizeOneIsNotAStall(t *testing.T) {
	t.Parallel()
	var passes atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset := r.URL.Query().Get("offset")
		if offset == "0" && passes.Add(1) == 1 {
			writeJSON(w, 200, `{"count":4,"tasks":[{"id":"a"}]}`)
			return
		}
		if passes.Load() == 1 { // "new" was created in front after page 0 was read.
			ids := map[string]string{"1": "a", "2": "b", "3": "c"}
			writeJSON(w, 200, `{"count":5,"tasks":[{"id":"`+ids[offset]+`"}]}`)
			return
		}
		ids := map[string]string{"0": "new", "1": "a", "2": "b", "3": "c", "4": "d"}
		writeJSON(w, 200, `{"count":5,"tasks":[{"id":"`+ids[offset]+`"}]}`)
	})
	l, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{PageSize: 1})
	if err != nil || strings.Join(taskIDs(l.Items), ",") != "new,a,b,c,d" || !l.Reread {
		t.Fatalf("got %+v, %v", l, err)
	}
}

// A credential echoed with a JSON escape inside it (\u004d for its first letter, \/ where the
// encoder escapes slashes) is not found by a byte search of the body, yet decodes to the
// credential: it is masked all the same, on every endpoint.
func TestDecode_EscapedEchoOfTheTokenIsMasked(t *testing.T) {
	t.Parallel()
	escaped := fmt.Sprintf(`\u%04x`, testToken[0]) + testToken[1:]
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v3/tasks":
			writeJSON(w, 200, `{"count":1,"tasks":[{"id":"t1","name":"`+escaped+`"}]}`)
		case "/v3/sources":
			writeJSON(w, 200, `{"count":1,"source_servers":[{"id":"s1","name":"`+escaped+`"}]}`)
		default:
			writeJSON(w, 200, `{"id":"abc-123","state":"RUNNING","error_json":"`+escaped+`"}`)
		}
	})
	c := newTestClient(t, srv.URL)
	ctx := context.Background()
	tasks, err := c.ListTasks(ctx, ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	servers, err := c.ListSourceServers(ctx, ListSourceServersQuery{})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := c.ShowTask(ctx, "abc-123")
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]*string{
		"task name": tasks.Items[0].Name, "server name": servers.Items[0].Name, "detail error_json": detail.ErrorJSON,
	} {
		if got == nil || *got != redactedMark {
			t.Errorf("%s: got %q, want %q", what, deref(got), redactedMark)
		}
	}
}
