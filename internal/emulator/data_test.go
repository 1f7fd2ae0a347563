package emulator

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referencePath is the API reference in the shared folder beside the repository, when present.
const referencePath = "../../../shared/api/list-migration-tasks.txt"

func TestExampleResponseIsTheReference(t *testing.T) {
	doc, err := os.ReadFile(referencePath)
	if err != nil {
		t.Skipf("API reference not available: %v", err)
	}
	for line := range strings.Lines(string(doc)) {
		if strings.HasPrefix(line, `{ "count"`) {
			if got := string(ExampleResponse()); got != strings.TrimRight(line, "\r\n") {
				t.Error("testdata/example-response.json differs from the reference's example response")
			}
			return
		}
	}
	t.Error("no example response found in the reference")
}

func TestExampleServedVerbatim(t *testing.T) {
	tasks := ExampleTasks()
	if len(tasks) != 3 {
		t.Fatalf("%d example tasks, want 3", len(tasks))
	}
	// Re-assembling the reference's body from the tasks, with its own separators, proves that
	// each task holds exactly the reference's bytes, spaces and nulls included.
	rebuilt := `{ "count" : 3, "tasks" : [ ` + joinTasks(tasks, ", ") + ` ] }`
	if rebuilt != string(ExampleResponse()) {
		t.Fatal("ExampleTasks are not the reference's tasks byte for byte")
	}
	s := start(t, Options{Tasks: tasks})
	_, body := get(t, s, "", "")
	want := `{"count":3,"tasks":[` + joinTasks(tasks, ",") + `]}`
	if string(body) != want {
		t.Errorf("served body differs from the reference's tasks:\n%s", body)
	}
	// The three tasks share one id; the third has a null source_server, so it has no source id.
	if got := list(t, s, "id=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"); *got.Count != 3 {
		t.Errorf("id filter: count %d, want 3", *got.Count)
	}
	if got := list(t, s, "source_server_id=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx0001"); *got.Count != 2 {
		t.Errorf("source_server_id filter: count %d, want 2", *got.Count)
	}
	if got := list(t, s, "name=sms_task_leddesktop"); len(got.Tasks) != 1 || !bytes.Equal(got.Tasks[0], tasks[2]) {
		t.Errorf("name filter: %s", got.Tasks)
	}
}

func TestGenerateTasksDeterministic(t *testing.T) {
	a, b := GenerateTasks(300, 42), GenerateTasks(300, 42)
	if !slices.EqualFunc(a, b, sameTask) {
		t.Error("same seed, different tasks")
	}
	if short := GenerateTasks(10, 42); !slices.EqualFunc(short, a[:10], sameTask) {
		t.Error("GenerateTasks(10) is not a prefix of GenerateTasks(300)")
	}
	if c := GenerateTasks(300, 43); bytes.Equal(a[0], c[0]) {
		t.Error("different seeds, same first task")
	}
	if len(GenerateTasks(0, 1)) != 0 || len(GenerateTasks(-1, 1)) != 0 {
		t.Error("no tasks expected for n <= 0")
	}
}

func TestGenerateTasksVariety(t *testing.T) {
	tasks := GenerateTasks(300, 1)
	states, ids, eps := map[string]bool{}, map[string]bool{}, map[string]bool{}
	shapes := map[string]map[string]bool{} // Field name -> the JSON shapes seen: object, array, [], null, absent.
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	srcName := regexp.MustCompile(`^src-[a-z]+-\d{3}$`)
	var beyond53 bool
	for i, raw := range tasks {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("task %d: %v", i, err)
		}
		var task struct {
			ID, Name, State string
			EP              *string                `json:"enterprise_project_id"`
			CreateDate      int64                  `json:"create_date"`
			Estimate        *int64                 `json:"estimate_complete_time"`
			SourceServer    *struct{ Name string } `json:"source_server"`
		}
		if err := json.Unmarshal(raw, &task); err != nil {
			t.Fatalf("task %d: %v", i, err)
		}
		states[task.State] = true
		if !uuid.MatchString(task.ID) || ids[task.ID] {
			t.Errorf("task %d: id %q is not a fresh UUID", i, task.ID)
		}
		ids[task.ID] = true
		if want := "sms-task-" + strings.Repeat("0", 5-len(itoa(i))) + itoa(i); task.Name != want {
			t.Errorf("task %d: name %q, want %q", i, task.Name, want)
		}
		if task.EP != nil {
			eps[*task.EP] = true
		}
		if task.CreateDate < 1<<40 {
			t.Errorf("task %d: create_date %d is not a millisecond epoch", i, task.CreateDate)
		}
		beyond53 = beyond53 || (task.Estimate != nil && *task.Estimate > 1<<53)
		if task.SourceServer != nil && !srcName.MatchString(task.SourceServer.Name) {
			t.Errorf("task %d: source server name %q", i, task.SourceServer.Name)
		}
		for _, f := range []string{"source_server", "target_server", "clone_server", "network_check_info",
			"sub_tasks", "special_config", "enterprise_project_id", "migration_ip", "need_migration_test",
			"total_cpu_usage", "agent_cpu_usage", "total_mem_usage", "agent_mem_usage", "total_disk_io",
			"agent_disk_io", "subtask_info"} {
			if shapes[f] == nil {
				shapes[f] = map[string]bool{}
			}
			shapes[f][shape(m, f)] = true
		}
	}
	for _, st := range States {
		if !states[st] {
			t.Errorf("state %s never generated", st)
		}
	}
	if len(states) != len(States) {
		t.Errorf("states %v include unknown ones", states)
	}
	want := map[string][]string{
		"source_server":         {"object", "null", "absent"},
		"target_server":         {"object", "null", "absent"},
		"clone_server":          {"object", "null", "absent"},
		"network_check_info":    {"object", "null", "absent"},
		"sub_tasks":             {"array", "[]", "null", "absent"},
		"special_config":        {"array", "[]", "null", "absent"},
		"enterprise_project_id": {"string", "null", "absent"},
		"migration_ip":          {"string", "absent"},
		"need_migration_test":   {"bool", "absent"},
		"total_cpu_usage":       {"number", "absent"},
		"agent_disk_io":         {"number", "absent"},
		"subtask_info":          {"string", "absent"},
	}
	for f, ws := range want {
		for _, w := range ws {
			if !shapes[f][w] {
				t.Errorf("%s is never %s (seen %v)", f, w, shapes[f])
			}
		}
	}
	if len(eps) < 3 || !eps["0"] {
		t.Errorf("enterprise projects %v, want several including \"0\"", eps)
	}
	if !beyond53 {
		t.Error("no Long beyond 2^53 generated")
	}
	if s := GenerateTasks(5, 9); !slices.ContainsFunc(s, func(r json.RawMessage) bool {
		return bytes.Contains(r, []byte(`"state":"MIGRATE_FAIL"`))
	}) {
		t.Error("no MIGRATE_FAIL among 5 tasks")
	}
}

func sameTask(a, b json.RawMessage) bool { return bytes.Equal(a, b) }

func joinTasks(tasks []json.RawMessage, sep string) string {
	parts := make([]string, len(tasks))
	for i, t := range tasks {
		parts[i] = string(t)
	}
	return strings.Join(parts, sep)
}

// shape names the JSON shape of m[f].
func shape(m map[string]json.RawMessage, f string) string {
	v, ok := m[f]
	switch {
	case !ok:
		return "absent"
	case string(v) == "null":
		return "null"
	case string(v) == "[]":
		return "[]"
	case v[0] == '[':
		return "array"
	case v[0] == '{':
		return "object"
	case v[0] == '"':
		return "string"
	case string(v) == "true" || string(v) == "false":
		return "bool"
	}
	return "number"
}

// The largest data set serves its last pages: every offset the API accepts is reachable. How
// long generating and keying take is measured by BenchmarkGenerateTasks and BenchmarkNew.
func TestGenerateTasks_MaxOffsetServed(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 65,535 tasks")
	}
	s := New(Options{Tasks: GenerateTasks(65535, 1)})
	if got := s.page(pageQuery{limit: 200, offset: 65535 - 100}); !bytes.HasPrefix(got, []byte(`{"count":65535,`)) {
		t.Errorf("page starts %.40s", got)
	}
}

func TestNewRecord(t *testing.T) {
	valid := []string{
		`{}`, ` {"id":"a"} `, `{"id":1,"name":null,"state":["x"],"source_server":"s"}`,
		`{"id":"\u0061\"b","source_server":{"ip":"1","id":"s\/1"},"enterprise_project_id":"0"}`,
		`{"n":[-0,1.5e+3,2E-2,0.25,true,false,null,{"a":[[]]}],"name":"\ud83d\ude00"}`,
		`{"id":"first","id":"second"}`,
	}
	invalid := []string{
		``, `[]`, `"x"`, `{`, `{"id"}`, `{"id":}`, `{"id":"a",}`, `{"id":"a"}x`, `{"a":01}`,
		`{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":tru}`, `{"a":"\x"}`, `{"a":"\u12"}`,
		"{\"a\":\"\x01\"}", `{"a":[1,]}`, `{"a":[1 2]}`, `{"a" "b"}`, `{'a':1}`, `{"a":"x}`,
	}
	for _, s := range valid {
		r, err := newRecord(json.RawMessage(s))
		if err != nil {
			t.Errorf("newRecord(%s): %v", s, err)
			continue
		}
		checkKeys(t, s, r)
	}
	for _, s := range invalid {
		if _, err := newRecord(json.RawMessage(s)); err == nil {
			t.Errorf("newRecord(%q) accepted invalid JSON", s)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted a broken task")
		}
	}()
	New(Options{Tasks: []json.RawMessage{json.RawMessage(`{"id":`)}})
}

// checkKeys compares the record's keys with a plain reading of the JSON. encoding/json matches a
// struct field's name case-insensitively, so the reading does too; an object with two keys that
// fold to one filtered name depends on their order, which a map loses, and is skipped.
func checkKeys(t *testing.T, src string, r record) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(src), &m); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	field := func(obj map[string]json.RawMessage, name string) json.RawMessage {
		var found json.RawMessage
		matches := 0
		for k, v := range obj {
			if strings.EqualFold(k, name) {
				found, matches = v, matches+1
			}
		}
		if matches > 1 {
			t.Skipf("%s: %d keys fold to %q", src, matches, name)
		}
		return found
	}
	str := func(raw json.RawMessage) string {
		var s string
		json.Unmarshal(raw, &s) //nolint:errcheck // A non-string leaves "", which is the point.
		return s
	}
	var ss map[string]json.RawMessage
	json.Unmarshal(field(m, "source_server"), &ss) //nolint:errcheck // Same: not an object leaves nil.
	want := record{id: str(field(m, "id")), name: str(field(m, "name")), state: str(field(m, "state")),
		sourceServerID: str(field(ss, "id")), enterpriseProjectID: str(field(m, "enterprise_project_id"))}
	if r.id != want.id || r.name != want.name || r.state != want.state ||
		r.sourceServerID != want.sourceServerID || r.enterpriseProjectID != want.enterpriseProjectID {
		t.Errorf("%s: keys %+v, want %+v", src, r, want)
	}
}

func FuzzNewRecord(f *testing.F) {
	for _, task := range append(ExampleTasks(), GenerateTasks(20, 1)...) {
		f.Add([]byte(task))
	}
	f.Add([]byte(`{"id":"\u00e9","a":[1,{"b":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newRecord(data)
		isObject := json.Valid(data) && bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
		if (err == nil) != isObject {
			t.Fatalf("newRecord(%q) error %v, but json.Valid says object=%v", data, err, isObject)
		}
		if err == nil {
			checkKeys(t, string(data), r)
		}
	})
}

func BenchmarkGenerateTasks(b *testing.B) {
	for b.Loop() {
		GenerateTasks(65535, 1)
	}
}

func BenchmarkNew(b *testing.B) {
	tasks := GenerateTasks(65535, 1)
	for b.Loop() {
		New(Options{Tasks: tasks})
	}
}
