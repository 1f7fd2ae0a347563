package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
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

// getObject GETs one JSON object into dst through the client-wide concurrency limit and the
// retries of every request. resource names what is read in errors; want says what the body
// should be when it is not an object. It returns the request id of the answer.
func (c *Client) getObject(ctx context.Context, u *url.URL, resource string, offset int, want string, dst any) (string, error) {
	if err := c.acquire(ctx); err != nil {
		return "", fmt.Errorf("smsapi: reading %s: %w", resource, err)
	}
	ex, err := c.get(ctx, u)
	c.release()
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("smsapi: reading %s: %w", resource, err)
		}
		return "", err
	}
	reqID := c.scrub(ex.requestID())
	if ex.status < 200 || ex.status > 299 {
		return reqID, c.newAPIError(ex)
	}
	fail := func(err error) error {
		return &DecodeError{Resource: resource, Offset: offset, RequestID: reqID, Err: c.scrubErr(err)}
	}
	if ex.tooLarge {
		return reqID, fail(fmt.Errorf("the body exceeds %d bytes (Config.MaxResponseBytes)", c.cfg.MaxResponseBytes))
	}
	if err := decodeObject(ex.body, want, dst); err != nil {
		// As for task pages: describe the masked body, so an excerpt cannot show part of a secret.
		if clean := c.scrub(string(ex.body)); clean != string(ex.body) {
			if cleanErr := decodeObject([]byte(clean), want, dst); cleanErr != nil {
				err = cleanErr
			}
		}
		return reqID, fail(err)
	}
	return reqID, nil
}

// decodeObject parses a body that must be one JSON object, with the messages of the task list.
func decodeObject(body []byte, want string, dst any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return errors.New("the body is empty, want " + want)
	}
	if trimmed[0] != '{' {
		return errors.New(strings.Replace(notAnObject(trimmed).Error(), "an object with count and tasks", want, 1))
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return describeJSONError(err, len(body))
	}
	return nil
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
	if _, err := c.getObject(ctx, u, "task "+taskID, 0, "a JSON object with the task's fields", &detail); err != nil {
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
	if _, err := c.getObject(ctx, u, "source server overview", 0, "a JSON object of counters", &overview); err != nil {
		return nil, err
	}
	return &overview, nil
}

// TaskIDPattern is the pattern ShowTask checks task ids against, for callers that validate
// earlier (the provider, at plan time).
const TaskIDPattern = `^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$`
