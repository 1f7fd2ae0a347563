package smsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// A repeated key is rejected at any depth, under the case folding encoding/json uses to match
// keys to fields, so that no task (or nested object of one) is a merge of two objects.
func TestDecodeListTasks_RepeatedKeys(t *testing.T) {
	rejected := map[string]string{
		"count twice":                 `{"count":1,"count":2,"tasks":[]}`,
		"tasks twice":                 `{"count":1,"tasks":[{"id":"A","name":"a"}],"tasks":[{"id":"B"}]}`,
		"tasks in another case":       `{"count":1,"tasks":[{"id":"A"}],"Tasks":[{"id":"B"}]}`,
		"tasks escaped":               `{"count":1,"tasks":[{"id":"A"}],"\u0074asks":[{"id":"B"}]}`,
		"id twice in a task":          `{"count":1,"tasks":[{"id":"A","state":"MIGRATE_FAIL","id":"B"}]}`,
		"state in upper case":         `{"count":1,"tasks":[{"state":"MIGRATE_FAIL","STATE":"MIGRATE_SUCCESS"}]}`,
		"long s folds to s":           `{"count":1,"tasks":[{"state":"MIGRATE_FAIL","ſtate":"MIGRATE_SUCCESS"}]}`,
		"kelvin sign folds to k":      `{"count":1,"tasks":[{"special_config":[{"config_key":"a","config_\u212aey":"b"}]}]}`,
		"nested in source_server":     `{"count":1,"tasks":[{"source_server":{"ip":"10.0.0.1","ip":"10.0.0.2"}}]}`,
		"in a sub-task":               `{"count":1,"tasks":[{"sub_tasks":[{"id":1,"progress":5,"progress":100}]}]}`,
		"in an object the API added":  `{"count":1,"tasks":[{"brand_new":{"x":1,"x":2}}]}`,
		"second of many keys":         `{"count":1,"tasks":[{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"b":8}]}`,
		"after an unrelated repeated": `{"count":1,"tasks":[{"x":{"k":1},"k":2,"k":3}]}`,
	}
	for name, body := range rejected {
		t.Run(name, func(t *testing.T) {
			resp, err := decodeTasksPage([]byte(body), 0)
			var rk *RepeatedKeyError
			if !errors.As(err, &rk) || resp != nil {
				t.Fatalf("decodeTasksPage = %v, %v; want a RepeatedKeyError", resp, err)
			}
			if !strings.Contains(err.Error(), "is repeated in one object") {
				t.Errorf("message %q does not say what is wrong", err)
			}
		})
	}
	accepted := map[string]string{
		"the same key in different objects": `{"count":2,"tasks":[{"id":"a","source_server":{"id":"s"}},{"id":"b","target_server":{"id":"s"}}]}`,
		"keys that differ only past a fold": `{"count":1,"tasks":[{"state":"READY","states":"x","stat":"y"}]}`,
		"a key inside a string":             `{"count":1,"tasks":[{"name":"\"name\":1,\"name\"","error_json":"{\"a\":1,\"a\":2}"}]}`,
		"escaped quotes and backslashes":    `{"count":1,"tasks":[{"name":"a\\","id":"b\\\"c"}]}`,
		"the reference example":             referenceExample,
	}
	for name, body := range accepted {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeTasksPage([]byte(body), 0); err != nil {
				t.Fatalf("decodeTasksPage: %v", err)
			}
		})
	}
}

// The case of the gate issue: "tasks": [A], "tasks": [B] used to yield a task that was in neither
// array (B's id with A's name and state), because encoding/json merges into the same element.
func TestListTasks_RepeatedTasksKeyFailsTheRead(t *testing.T) {
	_, url := newPagedServer(t, func(int, int) string {
		return `{"count":1,"tasks":[{"id":"A","name":"a","state":"MIGRATE_FAIL"}],"tasks":[{"id":"B"}]}`
	})
	list, err := newTestClient(t, url).ListTasks(t.Context(), ListTasksQuery{})
	var de *DecodeError
	if !errors.As(err, &de) || list != nil || !strings.Contains(err.Error(), `"tasks" is repeated`) {
		t.Fatalf("ListTasks = %v, %v; want a DecodeError naming the repeated key", list, err)
	}
}

// checkPageShape counts exactly what encoding/json decodes, and tells absent and null from [].
func TestCheckPageShape_CountsItems(t *testing.T) {
	cases := map[string]struct {
		body    string
		present bool
		items   int
	}{
		"absent":             {`{"count":0}`, false, 0},
		"null":               {`{"count":0,"tasks":null}`, false, 0},
		"empty":              {`{"count":0,"tasks":[ ]}`, true, 0},
		"nested arrays":      {`{"tasks":[{"sub_tasks":[{},{},{}]},[1,[2,3]],"x,y",null]}`, true, 4},
		"other case":         {`{"TASKS":[1,2]}`, true, 2},
		"not at the top":     {`{"x":{"tasks":[1,2,3]},"tasks":[1]}`, true, 1},
		"white space around": {" \n{ \"tasks\" : [ 1 , 2 ] } ", true, 2},
	}
	for name, tc := range cases {
		shape, err := checkPageShape([]byte(tc.body), "tasks", 0)
		if err != nil || shape.itemsPresent != tc.present || shape.items != tc.items {
			t.Errorf("%s: shape %+v, %v; want present %v, %d items", name, shape, err, tc.present, tc.items)
		}
	}
	if _, err := checkPageShape([]byte(`{"tasks":[1,2,3]}`), "tasks", 2); !errors.As(err, new(*TooManyItemsError)) {
		t.Errorf("3 items with limit 2: %v, want a TooManyItemsError", err)
	}
	if _, err := checkPageShape([]byte(`{"tasks":[1,2]}`), "tasks", 2); err != nil {
		t.Errorf("2 items with limit 2: %v", err)
	}
}

// The memory bound rests on this: a page over its limit is rejected by the scan, before any task
// is decoded, so a small body of many empty objects allocates next to nothing. (Decoding the 60,000
// tasks of this 180 KB body would allocate over 20 MB of Task structs.)
func TestDecodeListTasks_OverfullPageIsNotDecoded(t *testing.T) {
	body := []byte(`{"count":60000,"tasks":[` + strings.Repeat(`{},`, 59999) + `{}]}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const runs = 10
	for range runs {
		if _, err := decodeTasksPage(body, MaxPageSize); !errors.As(err, new(*TooManyItemsError)) {
			t.Fatalf("err = %v, want a TooManyItemsError", err)
		}
	}
	runtime.ReadMemStats(&after)
	if perRun := (after.TotalAlloc - before.TotalAlloc) / runs; perRun > 64<<10 {
		t.Errorf("rejecting the page allocated %d bytes per run, want under 64 KiB", perRun)
	}
}

// FuzzCheckPageShape checks the scanner against encoding/json: on any JSON object the decoder
// accepts, the scanner does not give up, and the items it counts are the tasks decoded.
func FuzzCheckPageShape(f *testing.F) {
	f.Add([]byte(referenceExample))
	f.Add([]byte(`{"count":0,"tasks":[]}`))
	f.Add([]byte(`{"tasks":[{"a":"\"}"},{"b":[{},[]]}]}`))
	f.Add([]byte(`{"Tasks":null}`))
	f.Add([]byte(`{"ta\u0073ks":[{}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp ListTasksResponse
		if json.Unmarshal(body, &resp) != nil || !bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")) {
			return
		}
		shape, err := checkPageShape(body, "tasks", 0)
		if errors.As(err, new(*RepeatedKeyError)) {
			return
		}
		if err != nil {
			t.Fatalf("the scanner gave up on a body encoding/json accepts: %v", err)
		}
		if shape.items != len(resp.Tasks) || shape.itemsPresent != (resp.Tasks != nil) {
			t.Fatalf("scanned %+v, decoded %d tasks (nil %v)", shape, len(resp.Tasks), resp.Tasks == nil)
		}
	})
}

// benchPage is a full page of 200 tasks shaped like the API's, about 130 KB.
func benchPage(b *testing.B) []byte {
	tasks := make([]map[string]any, 0, MaxPageSize)
	for i := range MaxPageSize {
		tasks = append(tasks, map[string]any{
			"id": "task-" + strings.Repeat("x", 30) + string(rune('a'+i%26)), "name": "sms_task", "type": "MIGRATE_BLOCK",
			"os_type": "LINUX", "state": "MIGRATE_SUCCESS", "create_date": 1585139506000 + i, "priority": 1,
			"migrate_speed": 0.0, "start_target_server": true, "error_json": "", "total_time": 3878000,
			"source_server": map[string]any{"id": "s", "ip": "192.168.0.1", "name": "src", "os_type": "LINUX"},
			"target_server": map[string]any{"id": "t", "vm_id": "vm", "name": "dst", "ip": nil},
			"sub_tasks": []map[string]any{
				{"id": i, "name": "CREATE_CLOUD_SERVER", "progress": 100, "start_date": 1, "end_date": 2},
				{"id": i + 1, "name": "SSL_CONFIG", "progress": 100, "start_date": 1, "end_date": 2},
			},
		})
	}
	body, err := json.Marshal(map[string]any{"count": 1000, "tasks": tasks})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDecodePage compares the repeated-key and limit scan with the decoding it guards, on one
// full page, and shows what rejecting an overfull page costs. "decode" includes "scan".
func BenchmarkDecodePage(b *testing.B) {
	body := benchPage(b)
	// The answer is described once, so that "decode" measures the decoding of the one request
	// path (scan, decode, settle) and nothing else.
	tasks := tasksList.answer(MaxPageSize, 0, nil)
	decode := func(body []byte) error {
		var page ListTasksResponse
		return tasks.decode(body, &page)
	}
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := checkPageShape(body, "tasks", MaxPageSize); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The byte searches every page gets before its strings may be walked: a long string, and an
	// echo of a credential (whole, encoded, or its first or last bytes).
	b.Run("guards", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		secrets := []string{"MIIEabc+def/ghiJKLmnoPQR=stuvWXyz0123=="}
		for b.Loop() {
			if mayHoldLongString(body, maxDataStringLen) || containsAny(body, secrets) || mayHoldControls(body) {
				b.Fatal("the page holds none of these")
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := decode(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The most memory per body byte a full page can cost: every task made of sub-tasks "{}",
	// each 3 bytes of body decoded into a 48-byte SubTask.
	nested := []byte(`{"count":200,"tasks":[` + strings.Repeat(`{"sub_tasks":[`+strings.Repeat(`{},`, 999)+`{}]},`, 199) +
		`{"sub_tasks":[` + strings.Repeat(`{},`, 999) + `{}]}]}`)
	b.Run("decode-nested-worst", func(b *testing.B) {
		b.SetBytes(int64(len(nested)))
		for b.Loop() {
			if err := decode(nested); err != nil {
				b.Fatal(err)
			}
		}
	})
	overfull := []byte(`{"count":60000,"tasks":[` + strings.Repeat(`{},`, 59999) + `{}]}`)
	b.Run("reject-overfull-60000", func(b *testing.B) {
		b.SetBytes(int64(len(overfull)))
		for b.Loop() {
			if err := decode(overfull); err == nil {
				b.Fatal("accepted")
			}
		}
	})
	b.Run("decode-unchecked-60000", func(b *testing.B) {
		b.SetBytes(int64(len(overfull)))
		for b.Loop() {
			var resp ListTasksResponse
			if err := json.Unmarshal(overfull, &resp); err != nil {
				b.Fatal(err)
			}
		}
	})
}
