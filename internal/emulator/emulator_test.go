package emulator

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// listBody is the 200 body, decoded by the test itself rather than with the client's types.
type listBody struct {
	Count *int              `json:"count"`
	Tasks []json.RawMessage `json:"tasks"`
}

// errBody is the error body of the gateway and of the service.
type errBody struct {
	Code      string `json:"error_code"`
	Msg       string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	s := NewTestServer(opts)
	t.Cleanup(func() { s.Close() })
	return s
}

// get requests the tasks with query and returns the response with its body read.
func get(t *testing.T, s *Server, query, token string) (*http.Response, []byte) {
	t.Helper()
	return request(t, s, "/v3/tasks?"+query, token)
}

// request GETs path (with its query) from s with token, if any, and reads the body.
func request(t *testing.T, s *Server, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, body
}

func list(t *testing.T, s *Server, query string) listBody {
	t.Helper()
	resp, body := get(t, s, query, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET ?%s: status %d, body %s", query, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var lb listBody
	if err := json.Unmarshal(body, &lb); err != nil || lb.Count == nil || lb.Tasks == nil {
		t.Fatalf("GET ?%s: body %s does not have count and tasks (%v)", query, body, err)
	}
	return lb
}

// checkError checks an error answer: status, code, message prefix, and a request_id that
// repeats the X-Request-Id header.
func checkError(t *testing.T, resp *http.Response, body []byte, status int, code, msgPrefix string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, body)
	}
	var e errBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	if e.Code != code || !strings.HasPrefix(e.Msg, msgPrefix) {
		t.Errorf("error = %+v, want code %s and message starting %q", e, code, msgPrefix)
	}
	if id := resp.Header.Get("X-Request-Id"); id == "" || e.RequestID != id {
		t.Errorf("request_id %q, X-Request-Id header %q: want equal and non-empty", e.RequestID, id)
	}
}

// field decodes one top-level field of a task, "" when absent.
func field(t *testing.T, task json.RawMessage, name string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(task, &m); err != nil {
		t.Fatal(err)
	}
	return string(m[name])
}

func TestFilters(t *testing.T) {
	tasks := GenerateTasks(300, 7)
	s := start(t, Options{Tasks: tasks})

	// The expected matches are computed from fully decoded tasks, independently of the
	// emulator's key extraction.
	type decoded struct {
		ID, Name, State, EP string
		Source              string
	}
	var all []decoded
	for _, raw := range tasks {
		var d struct {
			ID, Name, State string
			EP              *string              `json:"enterprise_project_id"`
			SourceServer    *struct{ ID string } `json:"source_server"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		x := decoded{ID: d.ID, Name: d.Name, State: d.State}
		if d.EP != nil {
			x.EP = *d.EP
		}
		if d.SourceServer != nil {
			x.Source = d.SourceServer.ID
		}
		all = append(all, x)
	}
	// Some tasks share a source server, as a re-migration does; take the first such server.
	perSource := map[string]int{}
	for _, d := range all {
		perSource[d.Source]++
	}
	var sharedSource string
	for _, d := range all {
		if d.Source != "" && perSource[d.Source] > 1 {
			sharedSource = d.Source
			break
		}
	}
	if sharedSource == "" {
		t.Fatal("no two generated tasks share a source server")
	}
	cases := []struct {
		query string
		keep  func(decoded) bool
	}{
		{"state=MIGRATE_FAIL", func(d decoded) bool { return d.State == "MIGRATE_FAIL" }},
		{"name=sms-task-00042", func(d decoded) bool { return d.Name == "sms-task-00042" }},
		{"name=sms-task-0004", func(decoded) bool { return false }}, // Exact match, not prefix.
		{"id=" + all[9].ID, func(d decoded) bool { return d.ID == all[9].ID }},
		{"source_server_id=" + sharedSource, func(d decoded) bool { return d.Source == sharedSource }},
		{"enterprise_project_id=0", func(d decoded) bool { return d.EP == "0" }},
		{"enterprise_project_id=0&state=MIGRATE_SUCCESS", func(d decoded) bool { return d.EP == "0" && d.State == "MIGRATE_SUCCESS" }},
		{"name=&state=&id=&source_server_id=&enterprise_project_id=", func(decoded) bool { return true }},
		{"unknown=1&page_size=3", func(decoded) bool { return true }},
	}
	for _, c := range cases {
		var want []string
		for _, d := range all {
			if c.keep(d) {
				want = append(want, d.ID)
			}
		}
		got := list(t, s, c.query+"&limit=200")
		if *got.Count != len(want) {
			t.Errorf("?%s: count = %d, want %d", c.query, *got.Count, len(want))
		}
		var ids []string
		for _, task := range got.Tasks {
			ids = append(ids, strings.Trim(field(t, task, "id"), `"`))
		}
		if !slices.Equal(ids, want[:min(len(want), 200)]) {
			t.Errorf("?%s: ids = %v, want %v", c.query, ids, want)
		}
	}
}

func TestPaging(t *testing.T) {
	tasks := GenerateTasks(300, 1)
	s := start(t, Options{Tasks: tasks})

	if got := list(t, s, ""); *got.Count != 300 || len(got.Tasks) != 100 {
		t.Errorf("defaults: count %d, %d tasks; want 300 and 100", *got.Count, len(got.Tasks))
	}
	var joined []json.RawMessage
	for offset := 0; offset < 300; offset += 70 {
		page := list(t, s, "limit=70&offset="+itoa(offset))
		joined = append(joined, page.Tasks...)
	}
	if len(joined) != len(tasks) {
		t.Fatalf("pages hold %d tasks, want %d", len(joined), len(tasks))
	}
	for i := range tasks {
		if string(joined[i]) != string(tasks[i]) {
			t.Fatalf("task %d differs from the task given to the server", i)
		}
	}
	for _, c := range []struct {
		query string
		n     int
	}{
		{"limit=0", 0}, {"limit=200", 200}, {"offset=295&limit=10", 5}, {"offset=300", 0},
		{"offset=65535", 0}, {"limit=&offset=", 100}, {"state=MIGRATE_FAIL&offset=1&limit=1", 1},
	} {
		got := list(t, s, c.query)
		if len(got.Tasks) != c.n || *got.Count == 0 {
			t.Errorf("?%s: %d tasks (count %d), want %d", c.query, len(got.Tasks), *got.Count, c.n)
		}
	}
	// Offsets count matching tasks: the second failed task is at offset 1 of the filtered list.
	fails := list(t, s, "state=MIGRATE_FAIL&limit=2")
	second := list(t, s, "state=MIGRATE_FAIL&offset=1&limit=1")
	if string(second.Tasks[0]) != string(fails.Tasks[1]) {
		t.Error("offset does not count within the filtered tasks")
	}
}

func TestValidation(t *testing.T) {
	s := start(t, Options{Tasks: GenerateTasks(20, 1)})
	for _, q := range []string{
		"limit=-1", "limit=201", "limit=abc", "limit=1.5", "limit=1e2", "limit=99999999999999999999",
		"offset=-1", "offset=65536", "offset=x", "state=BOGUS", "state=migrate_success",
	} {
		resp, body := get(t, s, q, "")
		name := q[:strings.IndexByte(q, '=')]
		checkError(t, resp, body, http.StatusBadRequest, "SMS.9004", "Invalid parameter: "+name)
	}
}

func TestAuth(t *testing.T) {
	s := start(t, Options{Tasks: ExampleTasks(), Token: "secret"})
	seen := map[string]bool{}
	for _, token := range []string{"", "wrong", "Secret"} {
		resp, body := get(t, s, "", token)
		checkError(t, resp, body, http.StatusUnauthorized, "APIG.1002", "Incorrect token or token resolution failed")
		seen[resp.Header.Get("X-Request-Id")] = true
	}
	resp, _ := get(t, s, "", "secret")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("right token: status %d", resp.StatusCode)
	}
	seen[resp.Header.Get("X-Request-Id")] = true
	if len(seen) != 4 {
		t.Errorf("request ids are not unique: %v", seen)
	}
}

func TestRoutes(t *testing.T) {
	s := start(t, Options{Tasks: ExampleTasks(), PathPrefix: "sms/"})
	if !strings.HasSuffix(s.URL(), "/sms") {
		t.Errorf("URL() = %q, want it to end with the prefix /sms", s.URL())
	}
	if got := list(t, s, ""); *got.Count != 3 {
		t.Errorf("count = %d, want 3", *got.Count)
	}
	base := strings.TrimSuffix(s.URL(), "/sms")
	for _, path := range []string{"/v3/tasks", "/sms/v3/tasks/", "/sms/v3/task", "/sms/v3/tasks/1/x", "/sms/v3/sources/1/x", "/sms/v3/migprojects/1/x"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		checkError(t, resp, body, http.StatusNotFound, "APIG.0101", "The API does not exist")
	}
	resp, err := http.Post(s.URL()+"/v3/tasks", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkError(t, resp, body, http.StatusNotFound, "APIG.0101", "The API does not exist")
}

func TestLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.168.1.10:0", "example.com:0", "127.0.0.1"} {
		if _, err := New(Options{}).Start(addr); err == nil {
			t.Errorf("Start(%q) succeeded, want a refusal", addr)
		}
	}
	addrs := []string{"127.0.0.1:0", "localhost:0", "127.0.0.2:0"}
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		ln.Close()
		addrs = append(addrs, "[::1]:0")
	}
	for _, addr := range addrs {
		s := New(Options{Tasks: ExampleTasks()})
		u, err := s.Start(addr)
		if err != nil {
			t.Errorf("Start(%q): %v", addr, err)
			continue
		}
		if u != s.URL() || !strings.HasPrefix(u, "http://") {
			t.Errorf("Start(%q) = %q, URL() = %q", addr, u, s.URL())
		}
		if _, err := s.Start(addr); err == nil {
			t.Errorf("second Start(%q) succeeded", addr)
		}
		if got := list(t, s, ""); *got.Count != 3 {
			t.Errorf("%s: count %d", addr, *got.Count)
		}
		s.Close()
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
