package smsapi

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
)

// idPattern is what the client accepts as the id of an object in a path (a task, a source
// server, a migration project, a template): the characters of the ids SMS issues, so that an id
// can never name another path ("..", "a/b") or smuggle a query.
var idPattern = regexp.MustCompile(IDPattern)

// NotFoundError is a 404 that the SMS API itself answers (an SMS error code) to a GET of one
// object by its id: no object has that id (or it was deleted). The reference does not document
// the status for an unknown id; 404 is what the service is observed to answer and what other
// tools expect.
type NotFoundError struct {
	// Kind names the object in a title: "task", "source server".
	Kind string
	// Noun names it in a sentence: "migration task".
	Noun string
	// Arg is the argument that holds the id: "task_id".
	Arg string
	ID  string
	*APIError
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no %s with id %q: %s", e.Noun, e.ID, e.APIError.Error())
}

func (e *NotFoundError) Unwrap() error { return e.APIError }

// ShowTask fetches the detail of one task, GET /v3/tasks/{task_id}. A 404 that the SMS API
// itself answers (an SMS error code) is returned as a *TaskNotFoundError naming the id; a 404 of
// a gateway in front of it (APIGW.0101, an HTML page, no code) says nothing about the task, only
// that the endpoint is wrong, and is returned as the *APIError it is.
func (c *Client) ShowTask(ctx context.Context, taskID string) (*TaskDetail, error) {
	a := answer[TaskDetail]{resource: "task " + taskID, want: "a JSON object with the task's fields",
		validate: func(d *TaskDetail) error { return checkTaskDetail(d, taskID) }}
	return getObjectAnswer(ctx, c, taskObject, taskID, "", a)
}

// isSMSErrorCode reports whether an error code is one of the SMS service's own ("SMS.6002"),
// as opposed to an API gateway's ("APIGW.0101", "APIG.1002") or none.
func isSMSErrorCode(code string) bool {
	return len(code) > 4 && strings.EqualFold(code[:4], "SMS.")
}

// ShowSourcesOverview fetches the number of source servers per state, GET /v3/sources/overview.
func (c *Client) ShowSourcesOverview(ctx context.Context) (*SourcesOverview, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	u, err := c.apiURL("/v3/sources/overview", nil)
	if err != nil {
		return nil, err
	}
	var overview SourcesOverview
	a := answer[SourcesOverview]{resource: "source server overview", want: "a JSON object of counters",
		validate: checkOverview}
	if _, err := getAnswer(ctx, c, u, a, &overview); err != nil {
		return nil, err
	}
	return &overview, nil
}

// IDPattern is the pattern the client checks the id of an object in a path against, for
// callers that validate earlier (the provider, at plan time).
const IDPattern = `^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$`

// checkTaskDetail rejects a detail that cannot be the task asked for: one that holds none of a
// task's fields (a gate would judge nulls) or that names another task. A detail without an id
// is kept, since the reference does not promise one.
func checkTaskDetail(d *TaskDetail, taskID string) error {
	if reflect.ValueOf(d).Elem().IsZero() {
		return errors.New("the body holds none of the task's fields")
	}
	switch {
	case d.ID != nil && !strings.EqualFold(*d.ID, taskID):
		return fmt.Errorf("the body describes the task %q, not the task %q that was asked for", truncate(*d.ID, 80), taskID)
	case (d.ID == nil || *d.ID == "") && (d.State == nil || *d.State == ""):
		// Fields kept null are the API's to send, but an answer that names neither the task nor
		// its state cannot be told from a broken one, and a gate reads the state.
		return errors.New("the body names neither the task's id nor its state")
	}
	return nil
}

// checkOverview rejects an overview that holds none of the counters, or a negative one. Every
// counter is optional on its own, since older regions answer with four of the fourteen.
func checkOverview(o *SourcesOverview) error {
	v := reflect.ValueOf(o).Elem()
	if v.IsZero() {
		return errors.New("the body holds none of the counters")
	}
	for i := range v.NumField() {
		if n, ok := v.Field(i).Interface().(*int64); ok && n != nil && *n < 0 {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			return fmt.Errorf("%q is negative (%d)", name, *n)
		}
	}
	return nil
}
