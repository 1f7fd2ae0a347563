package smsapi

import (
	"context"
	"net/url"
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

// Values returns the filters as query parameters, without limit and offset; unset filters are
// left out. A listing builds them once and every page sends them with its own limit and offset;
// the provider hashes them into the data source's id.
func (q ListTasksQuery) Values() url.Values {
	v := url.Values{}
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
type TaskList = Listing[Task]

// tasksList is GET /v3/tasks.
var tasksList = listSpec[Task, ListTasksResponse]{
	path: "/v3/tasks", itemsKey: "tasks", noun: "tasks", name: "a task list",
	fields:    func(r *ListTasksResponse) (*int64, *[]Task) { return r.Count, &r.Tasks },
	itemID:    taskID,
	itemState: func(t *Task) string { return deref(t.State) },
	filters: sortedChecks(
		itemFilter[Task]{key: "state", value: func(t *Task) *string { return t.State }},
		itemFilter[Task]{key: "id", value: func(t *Task) *string { return t.ID }, fold: true},
		itemFilter[Task]{key: "source_server_id", fold: true, nullOK: true, value: func(t *Task) *string {
			if t.SourceServer == nil {
				return nil
			}
			return t.SourceServer.ID
		}},
		itemFilter[Task]{key: "enterprise_project_id", nullOK: true, value: func(t *Task) *string { return t.EnterpriseProjectID }},
	),
}

// ListTasksPage fetches one page at a record offset, holding one slot of the client-wide
// concurrency limit across its retries.
func (c *Client) ListTasksPage(ctx context.Context, q ListTasksQuery, offset int) (*ListTasksResponse, error) {
	return tasksList.page(ctx, c, q.Values(), q.PageSize, offset)
}

// ListTasks fetches all pages through the paging engine (ListAll): every task that matches the
// query once, in API order, or an error; never part of a listing, since a partial list would let
// a gate pass on part of the fleet.
func (c *Client) ListTasks(ctx context.Context, q ListTasksQuery) (*TaskList, error) {
	return tasksList.list(ctx, c, q.Values(), q.PageSize)
}

// taskID is a task's identity for dropping repeats; an empty id identifies nothing.
func taskID(t *Task) (string, bool) {
	if t.ID == nil || *t.ID == "" {
		return "", false
	}
	return *t.ID, true
}

// deref reads an optional string; a missing one compares as "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
