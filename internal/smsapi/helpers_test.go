package smsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testToken is long and distinctive so that a leak in any message is easy to spot.
const testToken = "MIIDtestTOKEN-0123456789-abcdefghijklmnopqrstuvwxyz-SECRET"

// newTestClient builds a client with millisecond backoffs so retry tests run fast.
func newTestClient(t testing.TB, endpoint string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoint:       endpoint,
		Auth:           TokenAuth{Token: testToken},
		MaxRetries:     3,
		MaxConcurrency: 4,
		RetryWaitMin:   time.Millisecond,
		RetryWaitMax:   5 * time.Millisecond,
		RequestTimeout: 10 * time.Second,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.closeIdleConnections)
	return c
}

// newServer starts an httptest server closed at the end of the test.
func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// writeRaw takes over the connection, writes raw as the whole answer and closes it.
func writeRaw(t testing.TB, w http.ResponseWriter, raw string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("response writer cannot hijack")
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	defer conn.Close()
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
}

// writeTruncated answers 200 with a Content-Length larger than what it sends, then closes the
// connection, which is what a proxy that dies mid-response looks like to the client.
func writeTruncated(t testing.TB, w http.ResponseWriter, full string) {
	writeRaw(t, w, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		len(full), full[:len(full)/2]))
}

// hangUp closes the connection without any answer.
func hangUp(t testing.TB, w http.ResponseWriter) { writeRaw(t, w, "") }

func assertNoToken(t testing.TB, what, s string) {
	t.Helper()
	if strings.Contains(s, testToken) {
		t.Errorf("%s contains the token: %s", what, s)
	}
}

func ptr[T any](v T) *T { return &v }

// logEntry is one captured log line.
type logEntry struct {
	level  string
	msg    string
	fields map[string]any
}

// captureLogger records log lines for assertions.
type captureLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("debug", msg, fields)
}

func (l *captureLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("warn", msg, fields)
}

func (l *captureLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, fields})
}

func (l *captureLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

// fakeAPI serves GET /v3/tasks over a generated list of task ids, honouring limit and offset, and
// records what it was asked.
type fakeAPI struct {
	t       testing.TB
	count   int64 // the count the API reports
	ids     []string
	pageCap int                            // when > 0, no page has more tasks than this
	delay   func(offset int) time.Duration // optional latency per page

	mu      sync.Mutex
	queries []url.Values
	paths   []string
	tokens  []string

	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

func newFakeAPI(t testing.TB, count int64, n int) *fakeAPI {
	f := &fakeAPI{t: t, count: count}
	for i := range n {
		f.ids = append(f.ids, fmt.Sprintf("task-%05d", i))
	}
	return f
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		old := f.maxInFlight.Load()
		if now <= old || f.maxInFlight.CompareAndSwap(old, now) {
			break
		}
	}
	q := r.URL.Query()
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.paths = append(f.paths, r.URL.Path)
	f.tokens = append(f.tokens, r.Header.Get("X-Auth-Token"))
	f.mu.Unlock()

	limit, err1 := strconv.Atoi(q.Get("limit"))
	offset, err2 := strconv.Atoi(q.Get("offset"))
	if err1 != nil || err2 != nil || limit < 0 || limit > MaxPageSize || offset < 0 || offset > MaxOffset {
		writeJSON(w, http.StatusBadRequest, `{"error_code":"SMS.9999","error_msg":"bad paging"}`)
		return
	}
	if f.delay != nil {
		select {
		case <-time.After(f.delay(offset)):
		case <-r.Context().Done():
			return
		}
	}
	if f.pageCap > 0 {
		limit = min(limit, f.pageCap)
	}
	start := min(offset, len(f.ids))
	end := min(offset+limit, len(f.ids))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", offset))
	_ = json.NewEncoder(w).Encode(pageBody(f.count, f.ids[start:end]))
}

func pageBody(count int64, ids []string) map[string]any {
	tasks := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		tasks = append(tasks, map[string]any{"id": id, "name": "name-" + id, "state": "RUNNING"})
	}
	return map[string]any{"count": count, "tasks": tasks}
}

// offsets returns the requested offsets in ascending order.
func (f *fakeAPI) offsets() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int
	for _, q := range f.queries {
		o, _ := strconv.Atoi(q.Get("offset"))
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

func (f *fakeAPI) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queries)
}

func taskIDs(tasks []Task) []string {
	out := make([]string, 0, len(tasks))
	for _, t := range tasks {
		if t.ID == nil {
			out = append(out, "<nil>")
			continue
		}
		out = append(out, *t.ID)
	}
	return out
}

// closeIdleConnections lets tests check that no goroutine outlives a call.
func (c *Client) closeIdleConnections() { c.http.CloseIdleConnections() }

const okPage = `{"count":1,"tasks":[{"id":"t1","name":"one"}]}`

// referenceExample is the example response of the API reference (list-migration-tasks.txt),
// verbatim: three tasks on one page, all with the same id.
const referenceExample = `{ "count" : 3, "tasks" : [ { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "sms_task_lxxxx11", "type" : "MIGRATE_FILE", "os_type" : "LINUX", "state" : "MIGRATE_SUCCESS", "estimate_complete_time" : null, "create_date" : 1585139506000, "priority" : 1, "speed_limit" : 0, "migrate_speed" : 0.0, "start_target_server" : true, "error_json" : "", "total_time" : 3878000, "migration_ip" : "", "source_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "ip" : "192.168.*.107", "name" : "xxx-linux-1", "os_type" : "LINUX", "os_version" : "CENTOS_7_6_64BIT", "oem_system" : false, "state" : "AVAILABLE" }, "target_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "vm_id" : "", "name" : "", "ip" : null, "os_type" : "LINUX", "os_version" : null }, "log_collect_status" : "INIT" }, { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "sms_task_xxx22", "type" : "MIGRATE_BLOCK", "os_type" : "WINDOWS", "state" : "MIGRATE_SUCCESS", "estimate_complete_time" : null, "create_date" : 1585138569000, "priority" : 1, "speed_limit" : 0, "migrate_speed" : 0.0, "start_target_server" : true, "error_json" : "", "total_time" : 10824000, "migration_ip" : "", "source_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "ip" : "192.168.*.245", "name" : "xxx-windows-2", "os_type" : "WINDOWS", "os_version" : "WINDOWS2012_R2_64BIT", "oem_system" : false, "state" : "AVAILABLE" }, "target_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "vm_id" : "", "name" : "", "ip" : null, "os_type" : "WINDOWS", "os_version" : "WINDOWS2012_R2_64BIT" }, "log_collect_status" : "INIT" }, { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "sms_task_leddesktop", "type" : "MIGRATE_BLOCK", "os_type" : "WINDOWS", "state" : "MIGRATE_SUCCESS", "estimate_complete_time" : null, "create_date" : 1566130392000, "priority" : 1, "speed_limit" : 200, "migrate_speed" : 0.0, "start_target_server" : true, "error_json" : "", "total_time" : 882000, "migration_ip" : "192.168.1.201", "source_server" : null, "target_server" : { "id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "vm_id" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001", "name" : "xxx-sms-target", "ip" : null, "os_type" : "WINDOWS", "os_version" : "WINDOWS2008_R2_64BIT" }, "log_collect_status" : "INIT" } ] }`

const refID = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"

// assertPrintable fails when s holds a byte that a terminal would interpret.
func assertPrintable(t testing.TB, what, s string) {
	t.Helper()
	for _, r := range s {
		if isControl(r) {
			t.Errorf("%s holds control character %U: %q", what, r, s)
			return
		}
	}
}

// flakyServer answers with fail for the first failures requests, then with okPage.
func flakyServer(t *testing.T, failures int64, fail func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= failures {
			fail(w)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	return srv, &n
}

// decodeTasksPage decodes body as a tasks page of at most limit tasks (0 for no limit) with the
// decoder of the one request path (answer.decode: scan, decode, settle), without the HTTP round
// trip, so decoding tests need no server.
func decodeTasksPage(body []byte, limit int) (*ListTasksResponse, error) {
	var page ListTasksResponse
	a := tasksList.answer(limit, 0, nil)
	if err := a.decode(body, &page); err != nil {
		return nil, err
	}
	return &page, nil
}
