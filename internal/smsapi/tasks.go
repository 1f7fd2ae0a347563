package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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
// left out. The provider hashes them into the data source's id.
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

// values is the query of the page at (limit, offset).
func (q ListTasksQuery) values(limit, offset int) url.Values {
	v := q.Values()
	v.Set("limit", strconv.Itoa(limit))
	v.Set("offset", strconv.Itoa(offset))
	return v
}

// TaskList is the result of ListTasks.
type TaskList = Listing[Task]

// ListTasksPage fetches one page at a record offset, holding one slot of the client-wide
// concurrency limit across its retries.
func (c *Client) ListTasksPage(ctx context.Context, q ListTasksQuery, offset int) (*ListTasksResponse, error) {
	limit, err := c.pageArguments(ctx, q.PageSize, offset)
	if err != nil {
		return nil, err
	}
	resp, _, err := c.page(ctx, q, limit, offset, nil)
	return resp, err
}

// ListTasks fetches all pages through the paging engine (ListAll): every task that matches the
// query once, in API order, or an error; never part of a listing, since a partial list would let
// a gate pass on part of the fleet.
func (c *Client) ListTasks(ctx context.Context, q ListTasksQuery) (*TaskList, error) {
	limit, err := c.listArguments(ctx, q.PageSize)
	if err != nil {
		return nil, err
	}
	return ListAll(ctx, c, c.tasksEndpoint(q), limit)
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
		ItemID:    taskID,
		ItemState: func(t *Task) string { return deref(t.State) },
	}
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

// page fetches and decodes one page, into dst's array if it fits (see decodeListTasksInto), and
// returns its request id for later diagnostics. Only the request holds a concurrency slot.
func (c *Client) page(ctx context.Context, q ListTasksQuery, limit, offset int, dst []Task) (*ListTasksResponse, string, error) {
	ex, err := c.fetch(ctx, q, limit, offset)
	if err != nil {
		return nil, "", err
	}
	reqID := c.clean(ex.requestID(), maxIDLen)
	if ex.status < 200 || ex.status > 299 {
		return nil, reqID, c.newAPIError(ex)
	}
	resp, err := c.decodePage(ex, dst, limit)
	if err != nil {
		return nil, reqID, &DecodeError{Offset: offset, RequestID: reqID, URL: ex.url, Err: err}
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
	if c == nil || c.http == nil {
		return errors.New("smsapi: the Client was not created with New")
	}
	if ctx == nil {
		return errors.New("smsapi: nil context")
	}
	return nil
}
