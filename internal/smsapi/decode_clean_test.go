package smsapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileName holds ESC, BEL, CR, DEL, a C1 CSI and a bidi override, JSON-escaped and raw,
// next to a newline and a tab. The tab stays; the newline stays only in a multi-line text.
const hostileName = `x\u001b[2J\u0007\r\u007f` + "\u009b\u202e" + `y\n\tz`

// cleanedName is hostileName in a single-line field (a name); cleanedText in a multi-line one
// (error_json).
const (
	cleanedName = `x\x1b[2J\x07\r\x7f\x9b\u202ey\n` + "\tz"
	cleanedText = `x\x1b[2J\x07\r\x7f\x9b\u202ey` + "\n\tz"
)

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
	tasks, servers, detail := readEachEndpoint(t, srv.URL)
	for what, got := range map[string]*string{
		"task name": tasks.Items[0].Name, "task source server name": tasks.Items[0].SourceServer.Name,
		"server name": servers.Items[0].Name, "server check name": servers.Items[0].Checks[0].Name,
		"detail name": detail.Name,
	} {
		if got == nil || *got != cleanedName {
			t.Errorf("%s: got %q, want %q", what, deref(got), cleanedName)
		}
	}
	if got := deref(detail.ErrorJSON); got != cleanedText {
		t.Errorf("detail error_json: got %q, want %q", got, cleanedText)
	}
}

// Line breaks are escaped in every string but the free texts tagged text:"multiline", which keep
// \n and a Windows line end \r\n exactly; a \r that ends no line is escaped everywhere, and
// U+2028 and U+2029 too, so that an id cannot forge lines in a gate's error_message. A page holding
// nothing but a \n escape gets the walk.
func TestDecode_LineBreaksAreEscapedOutsideFreeText(t *testing.T) {
	t.Parallel()
	const lines = `a\nb\r\nc\rd\u2028e\u2029f` + "\u2028g\u0085h"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v3/tasks":
			writeJSON(w, 200, `{"count":1,"tasks":[{"id":"t\n1","name":"`+lines+`","state":"RUNNING\n","error_json":"`+lines+`","subtask_info":"`+lines+`",`+
				`"sub_tasks":[{"name":"`+lines+`","process_trace":"`+lines+`"}],"source_server":{"id":"s\n"}}]}`)
		default:
			writeJSON(w, 200, `{"count":1,"source_servers":[{"id":"s1","name":"`+lines+`","checks":[{"error_or_warn":"`+lines+`","error_params":"`+lines+`"}],`+
				`"current_task":{"id":"t\r1","subtask_info":"`+lines+`","clone_server":{"clone_error":"`+lines+`","error_msg":"`+lines+`"}}}]}`)
		}
	})
	c := newTestClient(t, srv.URL)
	tasks, err := c.ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	servers, err := c.ListSourceServers(context.Background(), ListSourceServersQuery{})
	if err != nil {
		t.Fatal(err)
	}
	const single, multi = `a\nb\r\nc\rd\u2028e\u2029f\u2028g\x85h`, "a\nb\r\nc" + `\rd\u2028e\u2029f\u2028g\x85h`
	task, server := tasks.Items[0], servers.Items[0]
	for what, tc := range map[string]struct {
		got  *string
		want string
	}{
		"task id": {task.ID, `t\n1`}, "task state": {task.State, `RUNNING\n`}, "task name": {task.Name, single},
		"source server id": {task.SourceServer.ID, `s\n`}, "sub task name": {task.SubTasks[0].Name, single},
		"server name": {server.Name, single}, "error_params": {server.Checks[0].ErrorParams, single},
		"current task id": {server.CurrentTask.ID, `t\r1`},
		"error_json":      {task.ErrorJSON, multi}, "subtask_info": {task.SubtaskInfo, multi}, "process_trace": {task.SubTasks[0].ProcessTrace, multi},
		"error_or_warn": {server.Checks[0].ErrorOrWarn, multi}, "current task subtask_info": {server.CurrentTask.SubtaskInfo, multi},
		"clone_error": {server.CurrentTask.CloneServer.CloneError, multi}, "clone error_msg": {server.CurrentTask.CloneServer.ErrorMsg, multi},
	} {
		if got := deref(tc.got); got != tc.want {
			t.Errorf("%s: got %q, want %q", what, got, tc.want)
		}
	}
}

// Any piece of partialMatchLen bytes of a credential longer than that is masked in data bound
// for the state, the middle of a token as much as its ends, for each of several credentials, on
// every page of a listing.
func TestDecode_InnerPiecesOfCredentialsAreMasked(t *testing.T) {
	t.Parallel()
	iamToken := "MIIZ" + strings.Repeat("q7Vx-2mLp9RzK4wB8nT3yH6c", 40) + "Jend"
	const sk, st = "sk-Hn4Rt8Yq2Wp6Zx9Lc3Vb7Md1", "st-Jk5Fs9Gd3Ha7Qw2Er6Ty8Ui4"
	auth := &stubSecrets{secrets: []string{iamToken, sk, st}}
	names := []string{iamToken[1 : len(iamToken)-1], sk[5:17], "x" + st[3:16] + "y"}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		var tasks []string
		for i := offset; i < min(offset+limit, len(names)); i++ {
			tasks = append(tasks, fmt.Sprintf(`{"id":"t%d","state":"RUNNING","name":"%s"}`, i, names[i]))
		}
		writeJSON(w, 200, `{"count":3,"tasks":[`+strings.Join(tasks, ",")+`]}`)
	})
	list, err := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = auth }).ListTasks(context.Background(), ListTasksQuery{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 {
		t.Fatalf("got %d tasks, want 3", len(list.Items))
	}
	for _, task := range list.Items {
		for _, secret := range auth.secrets {
			noPieceOf(t, "task "+*task.ID+" name", *task.Name, secret)
		}
		if !strings.Contains(*task.Name, redactedMark) {
			t.Errorf("task %s name = %q, want the piece masked", *task.ID, *task.Name)
		}
	}
	// A body without a piece is not taken for one, and a credential of partialMatchLen bytes or
	// fewer is looked for only whole.
	if containsAny([]byte(`{"name":"`+sk[:partialMatchLen-1]+` `+sk[1:partialMatchLen]+`"}`), auth.secrets) ||
		containsAny([]byte(`"123456789012"`), []string{"1234567890123"[1:]}) {
		t.Error("containsAny found a piece that is not there")
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
	tasks, servers, detail := readEachEndpoint(t, srv.URL)
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

// stubSecrets authenticates with nothing and holds several credentials, as the client would
// with a password, the IAM token issued for it and a proxy's password.
type stubSecrets struct{ secrets []string }

func (s *stubSecrets) Authenticate(*http.Request) error { return nil }
func (s *stubSecrets) Secrets() []string                { return s.secrets }

// BenchmarkDecodePageCleaning measures what the checks for API data bound for the state cost on
// a full page of 200 tasks (compare BenchmarkDecodePage/decode): the search for an echo of the
// credentials, whole, encoded or any 12-byte piece, with one IAM-token-like credential of about
// 1 KB and with three; and the walk that escapes line breaks, for a page whose every error_json
// holds lines.
func BenchmarkDecodePageCleaning(b *testing.B) {
	body := benchPage(b)
	raw := make([]byte, 768)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	token := "MII" + base64.StdEncoding.EncodeToString(raw)
	for name, secrets := range map[string][]string{
		"pieces-1KB-token":     {token},
		"pieces-3-credentials": {token, "sk-Hn4Rt8Yq2Wp6Zx9Lc3Vb7Md1-bench", "pw-Zc8Xv4Bn6Mq2Lw9Ke3Rj7Tp5-bench"},
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if containsAny(body, secrets) {
					b.Fatal("the page holds no credential")
				}
			}
		})
	}
	lines := bytes.ReplaceAll(body, []byte(`"error_json":""`), []byte(`"error_json":"line one\nline two"`))
	b.Run("walk-page-with-lines", func(b *testing.B) {
		var page ListTasksResponse
		if err := json.Unmarshal(lines, &page); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(lines)))
		for b.Loop() {
			cleanDecodedStrings(lines, reflect.ValueOf(&page), nil, false)
		}
	})
}

// readEachEndpoint reads the task list, the source server list and the detail of task abc-123
// from the server at url, each of which must succeed.
func readEachEndpoint(t *testing.T, url string) (*TaskList, *SourceServerList, *TaskDetail) {
	t.Helper()
	c := newTestClient(t, url)
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
	return tasks, servers, detail
}
