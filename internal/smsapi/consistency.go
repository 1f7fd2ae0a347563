package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// TaskConsistencyResult is the answer of GET /v3/tasks/{task_id}/consistency-result (the SDK's
// ShowConsistencyResultResponse): what the consistency checks of a task found.
type TaskConsistencyResult struct {
	TaskID     *string            `json:"task_id" doc:"ID of the task."`
	ResultList []ConsistencyCheck `json:"result_list" doc:"The task's consistency checks; empty for a task that has run none."`
}

// ConsistencyCheck is one item of result_list: one consistency check of the task. The API
// reference describes an object (finished_time, check_result and the per-directory
// consistency_result), which is also what the huaweicloud provider reads; the SDK declares the
// items as strings. Both are read (see UnmarshalJSON): a string holding such an object as JSON is
// read as that object, and any other string is kept whole in Text, which is never clean.
type ConsistencyCheck struct {
	FinishedTime      *int64              `json:"finished_time" doc:"When the check finished, as an epoch timestamp (milliseconds assumed, like the API's other times)."`
	CheckResult       *string             `json:"check_result" doc:"Outcome of the check run, as the API words it."`
	ConsistencyResult []ConsistencyResult `json:"consistency_result" doc:"What the check found, one entry per directory checked."`
	Text              *string             `json:"text" text:"multiline" doc:"The item as the API sent it when it is a string that holds no check object (the SDK declares the items as strings), with the other fields null; null when the item is an object."`
}

// ConsistencyResult is what a check found in one directory, the SDK's ConsistencyResult.
type ConsistencyResult struct {
	DirCheck           *string `json:"dir_check" doc:"Directory checked."`
	NumTotalFiles      *int64  `json:"num_total_files" doc:"Number of files checked in the directory."`
	NumDifferentFiles  *int64  `json:"num_different_files" doc:"Number of files whose content differs between the source and the target."`
	NumTargetMissFiles *int64  `json:"num_target_miss_files" doc:"Number of files the target lacks."`
	NumTargetMoreFiles *int64  `json:"num_target_more_files" doc:"Number of files only the target has."`
}

// consistencyCheckObject is the object form of a check, decoded without UnmarshalJSON.
type consistencyCheckObject struct {
	FinishedTime      *int64              `json:"finished_time"`
	CheckResult       *string             `json:"check_result"`
	ConsistencyResult []ConsistencyResult `json:"consistency_result"`
}

// UnmarshalJSON reads a check in either form the references give it. An object is the check. A
// string is read as the check object it holds as JSON; a string that holds no object, or one
// that does not read as a check (a repeated key, a wrong type), is kept whole in Text. Null leaves
// the zero check, which checkConsistencyResult rejects; any other JSON is a wrong type.
func (c *ConsistencyCheck) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("empty consistency check") // encoding/json never passes an empty value.
	}
	switch b[0] {
	case '{':
		return c.decodeObject(b)
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		inner := bytes.TrimSpace([]byte(s))
		if len(inner) > 0 && inner[0] == '{' {
			// The page scan did not see inside the string, so a repeated key is looked for here.
			if _, err := checkPageShape(inner, "", 0); err == nil && c.decodeObject(inner) == nil {
				return nil
			}
		}
		*c = ConsistencyCheck{Text: &s}
		return nil
	case 'n':
		*c = ConsistencyCheck{}
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[ConsistencyCheck]()}
}

func (c *ConsistencyCheck) decodeObject(b []byte) error {
	var o consistencyCheckObject
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*c = ConsistencyCheck{FinishedTime: o.FinishedTime, CheckResult: o.CheckResult, ConsistencyResult: o.ConsistencyResult}
	return nil
}

// jsonKind names the kind of a JSON value for a type error, as encoding/json does.
func jsonKind(b []byte) string {
	switch b[0] {
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "number"
}

// ShowTaskConsistencyResult fetches the consistency check results of one task, GET
// /v3/tasks/{task_id}/consistency-result. A 404 with an SMS error code is a *NotFoundError, as
// for ShowTask.
func (c *Client) ShowTaskConsistencyResult(ctx context.Context, taskID string) (*TaskConsistencyResult, error) {
	a := answer[TaskConsistencyResult]{resource: "consistency result of task " + taskID,
		want:     "a JSON object with the result_list array",
		validate: func(r *TaskConsistencyResult) error { return checkConsistencyResult(r, taskID) }}
	return getObjectAnswer(ctx, c, taskObject, taskID, "/consistency-result", a)
}

// checkConsistencyResult rejects an answer that a decommission gate could misread: one without
// the result_list array, naming another task, with a check that holds none of a check's fields
// (null or {}), or with a directory that lacks its name or one of its counts, or has a negative
// count. An empty result_list is a task without checks.
func checkConsistencyResult(r *TaskConsistencyResult, taskID string) error {
	if r.ResultList == nil {
		return errors.New("the body holds no result_list array")
	}
	if r.TaskID != nil && !strings.EqualFold(*r.TaskID, taskID) {
		return fmt.Errorf("the body is the consistency result of task %q, not of the task %q that was asked for", truncate(*r.TaskID, 80), taskID)
	}
	for i, check := range r.ResultList {
		if reflect.ValueOf(check).IsZero() {
			return fmt.Errorf("result_list[%d] holds none of finished_time, check_result and consistency_result", i)
		}
		for j, dir := range check.ConsistencyResult {
			if err := checkDirectoryResult(dir); err != nil {
				return fmt.Errorf("result_list[%d].consistency_result[%d] %w", i, j, err)
			}
		}
	}
	return nil
}

func checkDirectoryResult(d ConsistencyResult) error {
	if d.DirCheck == nil {
		return errors.New("has no dir_check")
	}
	for _, n := range []struct {
		name  string
		value *int64
	}{
		{"num_total_files", d.NumTotalFiles}, {"num_different_files", d.NumDifferentFiles},
		{"num_target_miss_files", d.NumTargetMissFiles}, {"num_target_more_files", d.NumTargetMoreFiles},
	} {
		switch {
		case n.value == nil:
			return fmt.Errorf("(%q) has no %s", truncate(*d.DirCheck, 80), n.name)
		case *n.value < 0:
			return fmt.Errorf("(%q) has a negative %s (%d)", truncate(*d.DirCheck, 80), n.name, *n.value)
		}
	}
	return nil
}

// Clean reports whether the check found every directory it checked identical on the source and
// the target: it has at least one directory, and no directory has a different, missing or extra
// file. A check kept as Text is never clean.
func (c *ConsistencyCheck) Clean() bool {
	if len(c.ConsistencyResult) == 0 {
		return false
	}
	for _, d := range c.ConsistencyResult {
		for _, n := range []*int64{d.NumDifferentFiles, d.NumTargetMissFiles, d.NumTargetMoreFiles} {
			if n == nil || *n != 0 {
				return false
			}
		}
	}
	return true
}

// Clean reports whether the task has at least one check and every check in result_list is
// clean, older ones included.
func (r *TaskConsistencyResult) Clean() bool {
	if len(r.ResultList) == 0 {
		return false
	}
	for i := range r.ResultList {
		if !r.ResultList[i].Clean() {
			return false
		}
	}
	return true
}
