package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeListTasks_RejectsBadBodies(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"empty":               {"", "body is empty"},
		"whitespace":          {" \n\t", "body is empty"},
		"html":                {"<html><body><h1>502 Bad Gateway</h1></body></html>", "HTML"},
		"array":               {`[{"id":"a"}]`, "the body is a JSON array, want an object"},
		"null":                {`null`, "JSON null"},
		"string":              {`"tasks"`, "a JSON string"},
		"number":              {`42`, "JSON number"},
		"not json":            {`count=1`, "not JSON"},
		"malformed":           {`{"count":1,"tasks":[}`, "malformed JSON at byte"},
		"truncated":           {referenceExample[:100], "ends early after 100 bytes"},
		"trailing data":       {`{"count":1,"tasks":[]} {}`, "malformed JSON"},
		"tasks not an array":  {`{"count":1,"tasks":{"id":"a"}}`, `field "tasks" at byte`},
		"tasks a string":      {`{"count":1,"tasks":"none"}`, "got JSON string, want an array"},
		"task not an object":  {`{"count":1,"tasks":[7]}`, "want an object"},
		"count beyond int64":  {`{"count":9223372036854775808,"tasks":[]}`, "9223372036854775808 is outside the range of a 64-bit integer"},
		"date beyond int64":   {`{"count":1,"tasks":[{"create_date":1e19}]}`, "1e19 is written with a fraction or an exponent, want a plain integer"},
		"fractional priority": {`{"count":1,"tasks":[{"priority":1.5}]}`, "1.5 is written with a fraction or an exponent"},
		"count as string":     {`{"count":"3","tasks":[]}`, "got JSON string, want an integer"},
		"bool as string":      {`{"count":1,"tasks":[{"syncing":"yes"}]}`, "want a boolean"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resp, err := decodeTasksPage([]byte(tc.body), 0)
			if err == nil || resp != nil {
				t.Fatalf("decoded %q without error: %+v", tc.body, resp)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// A success without a body (200 with Content-Length 0) is a clear decode error, and so is any
// 2xx but 200 (204 No Content, 206 Partial Content with a whole page's body): the references
// document 200 only, and a partial answer must not pass a gate.
func TestListTasksPage_EmptySuccess(t *testing.T) {
	for status, want := range map[int]string{
		http.StatusOK:             "body is empty",
		http.StatusNoContent:      "HTTP 204 No Content, where only 200 OK carries a whole answer",
		http.StatusPartialContent: "HTTP 206 Partial Content, where only 200 OK carries a whole answer",
	} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if status == http.StatusOK {
					w.Header().Set("Content-Length", "0")
					w.WriteHeader(status)
					return
				}
				writeJSON(w, status, `{"count":1,"tasks":[{"id":"t1","state":"MIGRATE_SUCCESS"}]}`)
			})
			c := newTestClient(t, srv.URL)
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want a DecodeError saying %q", err, want)
			}
			_, err = c.ShowTask(context.Background(), "t1")
			if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
				t.Fatalf("ShowTask: err = %v, want a DecodeError saying %q", err, want)
			}
		})
	}
}

// Odd but possible JSON: every input gives a clear error or well-formed data, never a panic.
func TestDecodeListTasks_OddJSON(t *testing.T) {
	deep := `{"count":1,"tasks":[{"sub_tasks":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}]}`
	failures := map[string]struct{ body, want string }{
		"nesting beyond the decoder's depth": {deep, "malformed JSON"},
		"NaN":                                {`{"count":NaN,"tasks":[]}`, "malformed JSON"},
		"leading zero":                       {`{"count":01,"tasks":[]}`, "malformed JSON"},
		"exponent in an integer field":       {`{"count":1e3,"tasks":[]}`, "1e3 is written with a fraction or an exponent"},
		"negative beyond int64":              {`{"count":-9223372036854775809,"tasks":[]}`, "outside the range of a 64-bit integer"},
		"byte order mark":                    {"\ufeff{\"count\":0,\"tasks\":[]}", "not JSON"},
		"sub_tasks not an array":             {`{"count":1,"tasks":[{"sub_tasks":{}}]}`, "want an array"},
		"source_server not an object":        {`{"count":1,"tasks":[{"source_server":"srv"}]}`, "want an object"},
	}
	for name, tc := range failures {
		t.Run(name, func(t *testing.T) {
			resp, err := decodeTasksPage([]byte(tc.body), 0)
			if err == nil || resp != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("decodeTasksPage = %v, %v; want an error containing %q", resp, err, tc.want)
			}
		})
	}

	// Invalid UTF-8 inside a string becomes U+FFFD, so the value can go into the Terraform state.
	resp, err := decodeTasksPage([]byte("{\"count\":1,\"tasks\":[{\"name\":\"bad \xff\xfe name\"}]}"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if name := *resp.Tasks[0].Name; !utf8.ValidString(name) || name != "bad \uFFFD\uFFFD name" {
		t.Errorf("name = %q, want valid UTF-8 with replacement characters", name)
	}
	// A repeated key is rejected (TestDecodeListTasks_RepeatedKeys has the cases).
	resp, err = decodeTasksPage([]byte(`{"count":1,"count":2,"tasks":[]}`), 0)
	if err == nil || resp != nil {
		t.Errorf("repeated key: %v, %v", resp, err)
	}
	// Unknown fields are ignored, so new API fields do not break old providers.
	resp, err = decodeTasksPage([]byte(`{"count":1,"next_marker":"x","tasks":[{"id":"a","brand_new":{"x":[1]}}]}`), 0)
	if err != nil || len(resp.Tasks) != 1 || *resp.Tasks[0].ID != "a" {
		t.Errorf("unknown fields: %v, %v", resp, err)
	}
}

func TestListTasks_PreservesNullAbsentAndEmpty(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":3,"tasks":[
			{"id":"null","sub_tasks":null,"source_server":null,"error_json":null,"special_config":null},
			{"id":"absent"},
			{"id":"empty","sub_tasks":[],"source_server":{},"error_json":"","special_config":[],
			 "target_server":{"ip":null,"vm_id":""}}]}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range list.Items[:2] {
		if task.SubTasks != nil || task.SourceServer != nil || task.ErrorJSON != nil || task.SpecialConfig != nil || task.TargetServer != nil {
			t.Errorf("%s: null or absent fields are not nil: %+v", *task.ID, task)
		}
	}
	e := list.Items[2]
	if e.SubTasks == nil || len(e.SubTasks) != 0 || e.SpecialConfig == nil || len(e.SpecialConfig) != 0 {
		t.Errorf("[] did not stay an empty non-nil slice: %#v %#v", e.SubTasks, e.SpecialConfig)
	}
	if e.SourceServer == nil || *e.SourceServer != (SourceServer{}) || e.ErrorJSON == nil || *e.ErrorJSON != "" {
		t.Errorf("{} and \"\" were not kept: %+v %v", e.SourceServer, e.ErrorJSON)
	}
	if e.TargetServer.IP != nil || e.TargetServer.VMID == nil || *e.TargetServer.VMID != "" {
		t.Errorf("target_server = %+v", *e.TargetServer)
	}
}

func TestListTasks_KeepsInt64Precision(t *testing.T) {
	const big = 9007199254740993 // 2^53 + 1: a float64 would round it to ...992.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":1,"tasks":[{"id":"t","create_date":9007199254740993,
			"total_time":9223372036854775807,"sub_tasks":[{"id":9007199254740993,"start_date":9007199254740993}]}]}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	task := list.Items[0]
	if *task.CreateDate != big || *task.TotalTime != 9223372036854775807 || *task.SubTasks[0].ID != big || *task.SubTasks[0].StartDate != big {
		t.Errorf("precision lost: create_date %d, total_time %d, sub id %d", *task.CreateDate, *task.TotalTime, *task.SubTasks[0].ID)
	}
}

// Issue 10, item 7: a 200 that carries a Huawei error shows its code and message.
func TestListTasks_ErrorBodyWithStatus200(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"error_code": "SMS.9999", "error_msg": "The system is busy."}`)
	})
	_, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "error_code SMS.9999") ||
		!strings.Contains(err.Error(), "The system is busy.") || strings.Contains(err.Error(), `"count" is missing`) {
		t.Errorf("err = %v, want a DecodeError with the code and message", err)
	}
}

// A 2xx body with a top-level error key holding anything but null, "", {} or [] is an error
// answer, even when it also holds a count or a counter, whatever the type of the code; and a listing's null elements are not items that its count covers, while
// an object without keys is an item whose every field is null.
func TestDecode_ErrorBodiesAndEmptyItemsAreNotAnswers(t *testing.T) {
	cases := []struct{ name, path, body, want string }{
		{"tasks, count 0 beside the error", "/v3/tasks", `{"count":0,"error_code":"APIG.0101","error_msg":"The API does not exist"}`,
			"answered with an error instead of a task list (error_code APIG.0101): The API does not exist"},
		{"tasks, only error_msg", "/v3/tasks", `{"count":0,"tasks":[],"error_msg":"backend exploded"}`, "backend exploded"},
		{"sources beside the error", "/v3/sources", `{"count":0,"source_servers":[],"error_code":"SMS.9999","error_msg":"partial"}`, "(error_code SMS.9999): partial"},
		{"overview beside the error", "/v3/sources/overview", `{"error_code":"APIG.0101","error_msg":"gone","waiting":0}`, "(error_code APIG.0101): gone"},
		{"a number code beside tasks", "/v3/tasks", `{"count":1,"tasks":[{"id":"a"}],"error_code":500}`, "instead of a task list (error_code 500)"},
		{"a boolean code beside servers", "/v3/sources", `{"count":0,"source_servers":[],"ERROR_CODE":true}`, "(error_code true)"},
		{"an object code", "/v3/tasks", `{"count":0,"tasks":[],"error_code":{"id":"X"},"error_msg":"m"}`, `(error_code {"id":"X"}): m`},
		{"camel case", "/v3/tasks", `{"count":0,"tasks":[],"errorCode":"APIGW.0301","errorMsg":"Incorrect IAM authentication information"}`,
			"(error_code APIGW.0301): Incorrect IAM authentication information"},
		{"an error object beside counters", "/v3/sources/overview", `{"waiting":1,"error":{"code":"APIGW.0308","message":"throttled"}}`,
			"(error_code APIGW.0308): throttled"},
		{"an error object of another shape", "/v3/tasks", `{"count":0,"tasks":[],"error":{"reason":"quota"}}`, `error instead of a task list: {"reason":"quota"}`},
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
	// An error key that is empty, or one inside an item, is not an error answer; nor is the
	// overview's counter named "error".
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/sources/overview" {
			writeJSON(w, http.StatusOK, `{"waiting":1,"error":3}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"count":1,"error_code":"","error_msg":null,"errorCode":{},"error":[ ],"source_servers":[{"id":"s","current_task":{"error_code":"X"}}]}`)
	})
	if _, err := newTestClient(t, srv.URL).ListSourceServers(context.Background(), ListSourceServersQuery{}); err != nil {
		t.Errorf("err = %v, want the listing read", err)
	}
	if o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background()); err != nil || o.Error == nil || *o.Error != 3 {
		t.Errorf("overview: %v, want the error counter read", err)
	}
	srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":1,"tasks":[ { } ]}`)
	})
	if list, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{}); err != nil || len(list.Items) != 1 {
		t.Errorf("a task without fields: %v, want it kept with every field null", err)
	}
}

// FuzzDecodeListTasks checks that no body makes the decoder panic, that every failure has a
// message, and that whatever it accepts survives a round trip unchanged (null stays nil, [] stays
// empty, integers keep every digit).
func FuzzDecodeListTasks(f *testing.F) {
	f.Add([]byte(referenceExample))
	f.Add([]byte(referenceExample[:len(referenceExample)/2]))
	f.Add([]byte(`{"count":0,"tasks":[]}`))
	f.Add([]byte(`{"count":null,"tasks":null}`))
	f.Add([]byte(`{"count":9007199254740993,"tasks":[{"id":"a","sub_tasks":[{"id":9223372036854775807}],"special_config":[]}]}`))
	f.Add([]byte(`{"count":9223372036854775808}`))
	f.Add([]byte(`{"tasks":{}}`))
	f.Add([]byte(`{"tasks":[1,"x",null]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`<html><body>502 Bad Gateway</body></html>`))
	f.Add([]byte(``))
	f.Add([]byte(`{"count":1} {"count":2}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := decodeTasksPage(body, 0)
		if err != nil {
			if resp != nil || err.Error() == "" {
				t.Fatalf("error %q with response %v", err, resp)
			}
			return
		}
		if resp == nil {
			t.Fatal("nil response without error")
		}
		again, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		resp2, err := decodeTasksPage(again, 0)
		if err != nil {
			t.Fatalf("decoding our own encoding %s: %v", again, err)
		}
		if !reflect.DeepEqual(resp, resp2) {
			t.Fatalf("round trip changed the page:\n%s\n%s", body, string(again))
		}
	})
}
