package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
)

// apiURL is the endpoint with path appended (path is already escaped) and query.
func (c *Client) apiURL(escapedPath string, query url.Values) (*url.URL, error) {
	base := c.tasksURL
	escaped := strings.TrimSuffix(base.EscapedPath(), "/v3/tasks") + escapedPath
	u, err := url.Parse(escaped)
	if err != nil {
		return nil, fmt.Errorf("smsapi: building the URL: %w", err)
	}
	base.Path, base.RawPath = u.Path, u.RawPath
	base.RawQuery = query.Encode()
	return &base, nil
}

// objectRequest is one GET of a JSON object: what is read, for errors, and how to decode it.
type objectRequest struct {
	resource string // "source servers page", "task 1a2b"
	offset   int    // the page's offset, for a page
	want     string // what the body should be, for errors: "a JSON object of counters"
	itemsKey string // the items array of a page, "" for a single object
	limit    int    // the page's limit
	// validate, when set, judges the decoded object; its error fails the read as an invalid
	// response, like a body that does not decode.
	validate func() error
}

// getObject GETs one JSON object into dst through the client-wide concurrency limit and the
// retries of every request. It returns the request id of the answer and whether the request's
// itemsKey held an array.
func (c *Client) getObject(ctx context.Context, u *url.URL, r objectRequest, dst any) (string, bool, error) {
	resource := r.resource
	if err := c.acquire(ctx); err != nil {
		return "", false, fmt.Errorf("smsapi: reading %s: %w", resource, err)
	}
	ex, err := c.get(ctx, u)
	c.release()
	if err != nil {
		if ctx.Err() != nil {
			return "", false, fmt.Errorf("smsapi: reading %s: %w", resource, err)
		}
		return "", false, err
	}
	reqID := c.clean(ex.requestID(), maxIDLen)
	if ex.status < 200 || ex.status > 299 {
		return reqID, false, c.newAPIError(ex)
	}
	fail := func(err error) error {
		return &DecodeError{Resource: resource, Offset: r.offset, RequestID: reqID, URL: ex.url, Err: err}
	}
	var present bool
	err = c.decodeAnswer(ex, r.want, "for one answer", func(body []byte, keep bool) (any, error) {
		into := dst
		if !keep {
			into = new(map[string]any) // A masked copy is decoded only for its error.
		}
		itemsPresent, err := decodeObject(body, r.want, r.itemsKey, r.limit, into)
		if keep {
			present = itemsPresent
		}
		return into, err
	})
	if err != nil {
		return reqID, false, fail(err)
	}
	if r.validate != nil {
		if err := r.validate(); err != nil {
			return reqID, false, fail(sanitizeErr(err, c.secrets()))
		}
	}
	return reqID, present, nil
}

// decodeObject parses a body that must be one JSON object, with the messages of the task list.
// Like a task page, it is first scanned for repeated keys and, when itemsKey is set, for more
// than limit items (see checkPageShape), so an ambiguous or overfull body is never decoded. It
// reports whether itemsKey holds an array (absent and null do not).
func decodeObject(body []byte, want, itemsKey string, limit int, dst any) (itemsPresent bool, err error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return false, errors.New("the body is empty, want " + want)
	}
	if trimmed[0] != '{' {
		return false, errors.New(strings.Replace(notAnObject(trimmed).Error(), "an object with count and tasks", want, 1))
	}
	shape, err := checkPageShape(body, itemsKey, limit)
	if err != nil && !errors.Is(err, errScanGaveUp) {
		return false, err
	}
	if err := shape.problem(itemsKey, strings.ReplaceAll(itemsKey, "_", " ")); err != nil {
		return false, err
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return false, describeJSONError(err, len(body))
	}
	return shape.itemsPresent, nil
}

// taskIDPattern is what ShowTask accepts as a task id: the characters of the ids SMS issues,
// so that an id can never name another path ("..", "a/b") or smuggle a query.
var taskIDPattern = regexp.MustCompile(TaskIDPattern)

// TaskNotFoundError is a 404 answer to GET /v3/tasks/{task_id}: no task has that id (or it was
// deleted). The reference does not document the status for an unknown id; 404 is what the
// service is observed to answer and what other tools expect.
type TaskNotFoundError struct {
	TaskID string
	*APIError
}

func (e *TaskNotFoundError) Error() string {
	return fmt.Sprintf("no migration task with id %q: %s", e.TaskID, e.APIError.Error())
}

func (e *TaskNotFoundError) Unwrap() error { return e.APIError }

// ShowTask fetches the detail of one task, GET /v3/tasks/{task_id}. A 404 is returned as a
// *TaskNotFoundError naming the id.
func (c *Client) ShowTask(ctx context.Context, taskID string) (*TaskDetail, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	if !taskIDPattern.MatchString(taskID) {
		return nil, fmt.Errorf("smsapi: task id %q is not a task id (1 to 255 letters, digits, '-', '_' or '.')", taskID)
	}
	u, err := c.apiURL("/v3/tasks/"+url.PathEscape(taskID), nil)
	if err != nil {
		return nil, err
	}
	var detail TaskDetail
	req := objectRequest{resource: "task " + taskID, want: "a JSON object with the task's fields",
		validate: func() error { return checkTaskDetail(&detail, taskID) }}
	if _, _, err := c.getObject(ctx, u, req, &detail); err != nil {
		if ae, ok := AsAPIError(err); ok && ae.Status == 404 {
			return nil, &TaskNotFoundError{TaskID: taskID, APIError: ae}
		}
		return nil, err
	}
	return &detail, nil
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
	req := objectRequest{resource: "source server overview", want: "a JSON object of counters",
		validate: func() error { return checkOverview(&overview) }}
	if _, _, err := c.getObject(ctx, u, req, &overview); err != nil {
		return nil, err
	}
	return &overview, nil
}

// TaskIDPattern is the pattern ShowTask checks task ids against, for callers that validate
// earlier (the provider, at plan time).
const TaskIDPattern = `^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$`

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
