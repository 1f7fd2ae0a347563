package smsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// The object form the reference describes is read with every count exact, a check's nulls kept.
func TestShowTaskConsistencyResult_ReadsTheObjectForm(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"task_id":"t-1","result_list":[
			{"finished_time":1733472000000,"check_result":"success","consistency_result":[
				{"dir_check":"/home","num_total_files":9007199254740993,"num_different_files":0,"num_target_miss_files":0,"num_target_more_files":0},
				{"dir_check":"/var","num_total_files":10,"num_different_files":2,"num_target_miss_files":1,"num_target_more_files":0}]},
			{"finished_time":null,"check_result":"success","consistency_result":[
				{"dir_check":"/","num_total_files":3,"num_different_files":0,"num_target_miss_files":0,"num_target_more_files":0}]}]}`)
	})
	r, err := newTestClient(t, srv.URL+"/sms/").ShowTaskConsistencyResult(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/tasks/t-1/consistency-result" {
		t.Errorf("path %q", gotPath)
	}
	if len(r.ResultList) != 2 || *r.ResultList[0].FinishedTime != 1733472000000 || r.ResultList[1].FinishedTime != nil ||
		*r.ResultList[0].ConsistencyResult[0].NumTotalFiles != 9007199254740993 || r.ResultList[0].Text != nil {
		t.Fatalf("result: %+v", r)
	}
	if dirs := r.ResultList[0].ConsistencyResult; *dirs[1].DirCheck != "/var" || *dirs[1].NumDifferentFiles != 2 || *dirs[1].NumTargetMissFiles != 1 {
		t.Errorf("directories: %+v", dirs)
	}
	if r.ResultList[0].Clean() || !r.ResultList[1].Clean() || r.Clean() {
		t.Errorf("clean: first %v, second %v, whole %v; want false, true, false", r.ResultList[0].Clean(), r.ResultList[1].Clean(), r.Clean())
	}
}

// The SDK's form, strings: a string holding a check object as JSON is read as that object; any
// other string, one holding a mistyped or ambiguous object included, is kept whole in Text, line
// breaks included, and is never clean.
func TestShowTaskConsistencyResult_ReadsTheStringForm(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"task_id":"t-1","result_list":[
			"{\"finished_time\":5,\"check_result\":\"ok\",\"consistency_result\":[{\"dir_check\":\"/\",\"num_total_files\":1,\"num_different_files\":0,\"num_target_miss_files\":0,\"num_target_more_files\":0}]}",
			"/data: 3 files differ\nsee the report",
			"{not json",
			"{\"check_result\":1}",
			"{\"check_result\":\"a\",\"check_result\":\"b\"}"]}`)
	})
	r, err := newTestClient(t, srv.URL).ShowTaskConsistencyResult(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	first, second, third := r.ResultList[0], r.ResultList[1], r.ResultList[2]
	if first.Text != nil || *first.FinishedTime != 5 || *first.ConsistencyResult[0].DirCheck != "/" || !first.Clean() {
		t.Errorf("string holding an object: %+v", first)
	}
	if second.Text == nil || *second.Text != "/data: 3 files differ\nsee the report" || second.CheckResult != nil || second.Clean() {
		t.Errorf("plain string: %+v", second)
	}
	if third.Text == nil || *third.Text != "{not json" || r.Clean() {
		t.Errorf("string that is no JSON: %+v, whole clean %v", third, r.Clean())
	}
	for i, want := range map[int]string{3: `{"check_result":1}`, 4: `{"check_result":"a","check_result":"b"}`} {
		if got := r.ResultList[i]; got.Text == nil || *got.Text != want || got.CheckResult != nil {
			t.Errorf("string holding an object that is no check (%d): %+v", i, got)
		}
	}
	empty := TaskConsistencyResult{ResultList: []ConsistencyCheck{}}
	if empty.Clean() {
		t.Error("a task without checks is clean")
	}
}

// Answers a gate could misread fail the read: another task's result, no result_list, a null or
// empty check (a string holding one too), a directory without its name or a count, a negative
// count, and a wrong type. A missing task is a *NotFoundError.
func TestShowTaskConsistencyResult_RejectsWhatAGateCouldMisread(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 404, `{"error_code":"SMS.6002","error_msg":"not found"}`)
	})
	var nf *NotFoundError
	if _, err := newTestClient(t, srv.URL).ShowTaskConsistencyResult(context.Background(), "gone-task"); !errors.As(err, &nf) || nf.ID != "gone-task" {
		t.Errorf("404: %v", err)
	}
	dir := func(fields string) string { return `{"result_list":[{"consistency_result":[{` + fields + `}]}]}` }
	const counts = `"num_total_files":1,"num_different_files":0,"num_target_miss_files":0,"num_target_more_files":0`
	for body, want := range map[string]string{
		`{"task_id":"other","result_list":[]}`: `consistency result of task "other", not of the task "t-1"`,
		`{"task_id":"t-1"}`:                    "no result_list array",
		`{"result_list":null}`:                 "no result_list array",
		`{"result_list":[null]}`:               "result_list[0] holds none of",
		`{"result_list":[{}]}`:                 "result_list[0] holds none of",
		dir(counts):                            "result_list[0].consistency_result[0] has no dir_check",
		dir(`"dir_check":"/x","num_total_files":1,"num_different_files":0,"num_target_miss_files":0`):                            `("/x") has no num_target_more_files`,
		dir(`"dir_check":"/x","num_total_files":1,"num_different_files":-2,"num_target_miss_files":0,"num_target_more_files":0`): `("/x") has a negative num_different_files (-2)`,
		`{"result_list":[7]}`:                                 `field "result_list" at byte 0: got JSON number`,
		`{"result_list":[{"finished_time":"today"}]}`:         `field "result_list.finished_time"`,
		`{"result_list":["{\"dir\":1}"]}`:                     "result_list[0] holds none of",
		`{"result_list":[{"consistency_result":"all fine"}]}`: `field "result_list.consistency_result"`,
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		_, err := newTestClient(t, srv.URL).ShowTaskConsistencyResult(context.Background(), "t-1")
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want a DecodeError saying %q, got %v", body, want, err)
		}
	}
}

// Strings of a hostile answer reach the caller cleaned: an echoed token masked, a line break in
// a directory name escaped, while a Text keeps its lines.
func TestShowTaskConsistencyResult_CleansHostileStrings(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"result_list":[{"check_result":"`+testToken+`","consistency_result":[
			{"dir_check":"/a\n\nApply complete!","num_total_files":1,"num_different_files":0,"num_target_miss_files":0,"num_target_more_files":0}]},
			"line one\nline two \u202e"]}`)
	})
	r, err := newTestClient(t, srv.URL).ShowTaskConsistencyResult(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	assertNoToken(t, "check_result", *r.ResultList[0].CheckResult)
	if got := *r.ResultList[0].ConsistencyResult[0].DirCheck; got != `/a\n\nApply complete!` {
		t.Errorf("dir_check %q, want its line breaks escaped", got)
	}
	if got := *r.ResultList[1].Text; got != `line one`+"\n"+`line two \u202e` {
		t.Errorf("text %q, want its line break kept and the override escaped", got)
	}
}
