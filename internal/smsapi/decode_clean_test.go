package smsapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

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

// Issue 10, item 10: a credential echoed inside a task field does not reach the caller.
func TestListTasks_EchoedTokenInTaskFieldsIsMasked(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("X-Auth-Token")
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"count":1,"tasks":[{"id":"t1","name":"copy of %s",
			"error_json":"{\"token\":\"%s\"}","sub_tasks":[{"name":%q}]}]}`, tok, tok, tok))
	})
	list, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	task := list.Items[0]
	assertNoToken(t, "name", *task.Name)
	assertNoToken(t, "error_json", *task.ErrorJSON)
	assertNoToken(t, "sub task name", *task.SubTasks[0].Name)
	if *task.Name != "copy of [REDACTED]" || *task.ID != "t1" {
		t.Errorf("task = %q %q, want the token masked and the rest kept", *task.ID, *task.Name)
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
