package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// ListTasksQuery filters GET /v3/tasks. A nil filter is not sent; a pointer to "" is sent as an
// empty parameter, because the API treats the two differently.
type ListTasksQuery struct {
	State               *string
	Name                *string
	ID                  *string
	SourceServerID      *string
	EnterpriseProjectID *string
	// PageSize is the API's limit. 0 means MaxPageSize (200).
	PageSize int
}

func (q ListTasksQuery) pageSize() (int, error) {
	switch {
	case q.PageSize == 0:
		return MaxPageSize, nil
	case q.PageSize < 0 || q.PageSize > MaxPageSize:
		return 0, fmt.Errorf("smsapi: PageSize must be between 1 and %d, got %d", MaxPageSize, q.PageSize)
	}
	return q.PageSize, nil
}

func (q ListTasksQuery) values(limit, offset int) url.Values {
	v := url.Values{}
	v.Set("limit", strconv.Itoa(limit))
	v.Set("offset", strconv.Itoa(offset))
	for _, f := range []struct {
		key string
		val *string
	}{
		{"state", q.State},
		{"name", q.Name},
		{"id", q.ID},
		{"source_server_id", q.SourceServerID},
		{"enterprise_project_id", q.EnterpriseProjectID},
	} {
		if f.val != nil {
			v.Set(f.key, *f.val)
		}
	}
	return v
}

// TaskList is the result of ListTasks.
type TaskList struct {
	// Count is the API's count from the first page of the listing used.
	Count int64
	// Tasks are in API order, deduplicated across pages by id (never within a page). Never nil.
	Tasks []Task
	// Requests is the number of pages successfully fetched; HTTP attempts are logged, not counted.
	Requests int
	// DuplicatesDropped counts tasks dropped because their id appeared on an earlier page, which
	// happens when tasks are created while the pages are read.
	DuplicatesDropped int
	// OffsetCapped reports that Count exceeds what offsets up to MaxOffset can reach.
	OffsetCapped bool
	// Reread reports that the first listing contradicted itself and was read again.
	Reread bool
}

// Incomplete reports whether fewer tasks came back than the API counted. ListTasks fails rather
// than return a listing that contradicts its count, so this happens only under the offset cap.
func (l *TaskList) Incomplete() bool {
	return l != nil && int64(len(l.Tasks)) < l.Count
}

// ListTasksPage fetches one page at a record offset, holding one slot of the client-wide
// concurrency limit across its retries.
func (c *Client) ListTasksPage(ctx context.Context, q ListTasksQuery, offset int) (*ListTasksResponse, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	limit, err := q.pageSize()
	if err != nil {
		return nil, err
	}
	if offset < 0 || offset > MaxOffset {
		return nil, fmt.Errorf("smsapi: offset must be between 0 and %d, got %d", MaxOffset, offset)
	}
	resp, _, err := c.page(ctx, q, limit, offset, nil)
	return resp, err
}

// ListTasks fetches all pages through the paging engine (ListAll): every task that matches the
// query once, in API order, or an error; never part of a listing, since a partial list would let
// a gate pass on part of the fleet.
func (c *Client) ListTasks(ctx context.Context, q ListTasksQuery) (*TaskList, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	limit, err := q.pageSize()
	if err != nil {
		return nil, err
	}
	l, err := ListAll(ctx, c, c.tasksEndpoint(q), limit)
	if err != nil {
		return nil, err
	}
	return &TaskList{Count: l.Count, Tasks: l.Items, Requests: l.Requests,
		DuplicatesDropped: l.DuplicatesDropped, OffsetCapped: l.OffsetCapped, Reread: l.Reread}, nil
}

// tasksEndpoint describes GET /v3/tasks with the query's filters to the paging engine.
func (c *Client) tasksEndpoint(q ListTasksQuery) Endpoint[Task] {
	return Endpoint[Task]{
		Noun: "tasks", ItemsKey: "tasks", MaxLimit: MaxPageSize, MaxOffset: MaxOffset,
		FetchPage: func(ctx context.Context, limit, offset int, dst []Task) (Page[Task], error) {
			resp, reqID, err := c.page(ctx, q, limit, offset, dst)
			if err != nil {
				return Page[Task]{}, err
			}
			return Page[Task]{Count: resp.Count, Items: resp.Tasks, ItemsNull: resp.Tasks == nil, RequestID: reqID}, nil
		},
		ItemID: taskID,
	}
}

func taskID(t *Task) (string, bool) {
	if t.ID == nil {
		return "", false
	}
	return *t.ID, true
}

// page fetches and decodes one page, into dst's array if it fits (see decodeListTasksInto), and
// returns its request id for later diagnostics. Only the request holds a concurrency slot.
func (c *Client) page(ctx context.Context, q ListTasksQuery, limit, offset int, dst []Task) (*ListTasksResponse, string, error) {
	ex, err := c.fetch(ctx, q, limit, offset)
	if err != nil {
		return nil, "", err
	}
	reqID := c.scrub(ex.requestID())
	if ex.status < 200 || ex.status > 299 {
		return nil, reqID, c.newAPIError(ex)
	}
	if ex.tooLarge {
		return nil, reqID, &DecodeError{Offset: offset, RequestID: reqID,
			Err: fmt.Errorf("the body exceeds %d bytes (Config.MaxResponseBytes); use a smaller page size or raise the limit", c.cfg.MaxResponseBytes)}
	}
	resp, err := decodeListTasksInto(ex.body, dst, limit)
	if err != nil {
		// Error messages quote the start of the body. If a credential is in the body, describe the
		// masked body instead, so that an excerpt cut mid-credential cannot leak a fragment.
		if clean := c.scrub(string(ex.body)); clean != string(ex.body) {
			if _, cleanErr := decodeListTasksInto([]byte(clean), nil, limit); cleanErr != nil {
				err = cleanErr
			}
		}
		return nil, reqID, &DecodeError{Offset: offset, RequestID: reqID, Err: c.scrubErr(err)}
	}
	return resp, reqID, nil
}

// fetch performs the GET of one page while holding a slot of the client-wide limit.
func (c *Client) fetch(ctx context.Context, q ListTasksQuery, limit, offset int) (*exchange, error) {
	if err := c.acquire(ctx); err != nil {
		return nil, fmt.Errorf("smsapi: listing tasks at offset %d: %w", offset, err)
	}
	defer c.release()

	u := c.tasksURL
	u.RawQuery = q.values(limit, offset).Encode()
	ex, err := c.get(ctx, &u)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("smsapi: listing tasks at offset %d: %w", offset, err)
		}
		return nil, err
	}
	return ex, nil
}

// usable rejects a nil receiver or context, which would otherwise panic deep inside net/http.
func (c *Client) usable(ctx context.Context) error {
	if c == nil || c.retry == nil {
		return errors.New("smsapi: the Client was not created with New")
	}
	if ctx == nil {
		return errors.New("smsapi: nil context")
	}
	return nil
}

// decodeListTasks parses one page. It checks the shape first so that the common wrong answers
// (an HTML page from a proxy, an array, null) get a message that says so instead of a JSON
// library error, and json.Unmarshal then rejects trailing data, wrong types and numbers that do
// not fit. Numbers go straight into int64 fields, so ids above 2^53 keep every digit.
func decodeListTasks(body []byte) (*ListTasksResponse, error) {
	return decodeListTasksInto(body, nil, 0)
}

// decodeListTasksInto is decodeListTasks writing the tasks into dst's array when they fit in its
// capacity: encoding/json appends array elements to the slice it is given. dst must be zeroed
// memory, because json leaves a field absent from the body as it finds it. A page with a repeated
// key, or with more than limit tasks (limit > 0), is rejected by checkPageShape before any task is
// decoded. Tasks is nil exactly when "tasks" is absent or null.
func decodeListTasksInto(body []byte, dst []Task, limit int) (*ListTasksResponse, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errors.New("the body is empty, want a JSON object with count and tasks")
	}
	if trimmed[0] != '{' {
		return nil, notAnObject(trimmed)
	}
	shape, err := checkPageShape(body, "tasks", limit)
	if err != nil && !errors.Is(err, errScanGaveUp) {
		return nil, err
	}
	out := ListTasksResponse{Tasks: dst[:0]}
	if jsonErr := json.Unmarshal(body, &out); jsonErr != nil {
		return nil, describeJSONError(jsonErr, len(body))
	}
	switch {
	case err != nil:
		// Only a scanner weaker than encoding/json could get here (FuzzDecodeListTasks checks it
		// cannot); the limit is then checked after decoding.
		if limit > 0 && len(out.Tasks) > limit {
			return nil, &TooManyItemsError{Key: "tasks", Limit: limit}
		}
	case !shape.itemsPresent:
		out.Tasks = nil // Absent leaves dst[:0] in place; absent and null both mean no array.
	case out.Tasks == nil:
		out.Tasks = []Task{}
	}
	return &out, nil
}

func notAnObject(trimmed []byte) error {
	if trimmed[0] == '<' {
		return fmt.Errorf("the body is HTML or XML, not JSON (a proxy or login page may have answered): %q", excerpt(trimmed, 80))
	}
	if !json.Valid(trimmed) {
		return fmt.Errorf("the body is not JSON: %q", excerpt(trimmed, 80))
	}
	kind := "number"
	switch trimmed[0] {
	case '[':
		kind = "an array"
	case '"':
		kind = "a string"
	case 'n':
		kind = "null"
	case 't', 'f':
		kind = "a boolean"
	}
	return fmt.Errorf("the body is JSON %s, want an object with count and tasks", kind)
}

// jsonProblem carries a readable message while keeping the json error for errors.As.
type jsonProblem struct {
	msg string
	err error
}

func (p *jsonProblem) Error() string { return p.msg }
func (p *jsonProblem) Unwrap() error { return p.err }

func describeJSONError(err error, size int) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
		return &jsonProblem{fmt.Sprintf("the JSON ends early after %d bytes (truncated body)", size), err}
	case errors.As(err, &syn):
		return &jsonProblem{fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, syn.Error()), err}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		want := describeType(typ.Type)
		if strings.HasPrefix(typ.Value, "number") && typ.Type != nil && typ.Type.Kind() == reflect.Int64 {
			return &jsonProblem{fmt.Sprintf("field %q at byte %d: %s is not an integer that fits in 64 bits", field, typ.Offset, typ.Value), err}
		}
		return &jsonProblem{fmt.Sprintf("field %q at byte %d: got JSON %s, want %s", field, typ.Offset, typ.Value, want), err}
	}
	return &jsonProblem{"invalid JSON: " + err.Error(), err}
}

// describeType names Go types in the JSON terms a user sees in the body.
func describeType(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}
