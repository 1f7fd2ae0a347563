package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
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
	// Count is the API's count from the first page.
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
}

// Incomplete reports whether fewer tasks came back than the API counted: the offset cap, tasks
// deleted between pages, dropped duplicates or a short first page.
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

// ListTasks fetches all pages. Page one gives the count; the remaining pages are at offsets
// PageSize, 2*PageSize, ... below the count and up to MaxOffset, fetched concurrently through the
// client-wide limit and joined in order. A page shorter than PageSize or a first page holding the
// whole count ends the listing without another request. If any page fails the whole call fails:
// a partial list would make Terraform believe tasks were deleted.
// Once the count is known, one array is allocated for all pages and each page is decoded straight
// into its window of it, so tasks are not copied from page slices into a result; each body is
// dropped as soon as it is decoded.
func (c *Client) ListTasks(ctx context.Context, q ListTasksQuery) (*TaskList, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	limit, err := q.pageSize()
	if err != nil {
		return nil, err
	}
	first, reqID, err := c.page(ctx, q, limit, 0, nil)
	if err != nil {
		return nil, err
	}
	if first.Count == nil {
		return nil, &DecodeError{Offset: 0, RequestID: reqID,
			Err: errors.New(`"count" is missing or null, so the number of pages is unknown`)}
	}
	count := *first.Count
	if count < 0 {
		return nil, &DecodeError{Offset: 0, RequestID: reqID, Err: fmt.Errorf(`"count" is negative (%d)`, count)}
	}

	// The largest offset the API accepts that is a multiple of the page size, plus one page.
	reachable := int64(MaxOffset/limit)*int64(limit) + int64(limit)
	list := &TaskList{Count: count, Requests: 1, OffsetCapped: count > reachable}

	var offsets []int
	if len(first.Tasks) >= limit && int64(len(first.Tasks)) < count {
		for off := limit; int64(off) < count && off <= MaxOffset; off += limit {
			offsets = append(offsets, off)
		}
	}
	if len(offsets) == 0 {
		list.Tasks, list.DuplicatesDropped = joinPages([][]Task{first.Tasks}, nil, limit)
		return list, nil
	}
	buf := make([]Task, (1+len(offsets))*limit)
	pages := make([][]Task, 1+len(offsets))
	pages[0] = first.Tasks
	if err := c.fetchPages(ctx, q, limit, offsets, buf, pages[1:]); err != nil {
		return nil, err
	}
	list.Requests += len(offsets)
	list.Tasks, list.DuplicatesDropped = joinPages(pages, buf, limit)
	return list, nil
}

// fetchPages fills out[i] with the page at offsets[i], decoded into its window of buf: page i+1
// of the listing, at (i+1)*limit, in fresh zeroed memory written once, so no field of a task can
// be left over from another. The semaphore limits the client as a whole to MaxConcurrency
// requests, and a page is decoded after its slot is given back; twice as many workers as slots
// keep every slot carrying a request while other pages are decoded. The worker count also bounds
// goroutines for any count. The first failure cancels the pages still running and is returned.
func (c *Client) fetchPages(ctx context.Context, q ListTasksQuery, limit int, offsets []int, buf []Task, out [][]Task) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	workers := min(2*c.cfg.MaxConcurrency, len(offsets))
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(offsets) {
					return
				}
				// The window's capacity ends where the next begins: a page longer than the limit
				// gets an array of its own instead of spilling into the next window.
				start := (i + 1) * limit
				resp, _, err := c.page(ctx, q, limit, offsets[i], buf[start:start:start+limit])
				if err != nil {
					errOnce.Do(func() {
						firstErr = err
						cancel()
					})
					return
				}
				out[i] = resp.Tasks
			}
		})
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		// Only the caller's context can be done here, since cancel runs only after a failure.
		return fmt.Errorf("smsapi: listing tasks: %w", ctx.Err())
	}
	return firstErr
}

// joinPages concatenates pages in order and drops a task whose id appeared on an earlier page.
// Duplicates within one page are kept: the API returns them (its own reference example does), and
// dropping them would hide what the API said. Tasks without an id are never dropped. When pages
// 1.. sit in their windows of buf (see fetchPages), tasks move down within buf instead of being
// copied out; the write position never passes the read position, so no unread task is overwritten.
func joinPages(pages [][]Task, buf []Task, limit int) ([]Task, int) {
	total := 0
	inPlace := buf != nil
	for i, p := range pages {
		total += len(p)
		switch {
		case len(p) > limit:
			inPlace = false // Writing it from the start of its window would reach the next one.
		case i > 0 && len(p) > 0 && inPlace && &p[0] != &buf[i*limit]:
			inPlace = false // The page was decoded somewhere else.
		}
	}
	tasks := buf[:0]
	if !inPlace {
		tasks = make([]Task, 0, total)
	}
	// The page an id first appeared on tells, in one pass, a duplicate across pages (dropped)
	// from one within a page (kept), without reading a task twice.
	firstPage := make(map[string]int, total)
	dropped := 0
	for i, p := range pages {
		for j := range p {
			if id := p[j].ID; id != nil {
				page, seen := firstPage[*id]
				if seen && page < i {
					dropped++
					continue
				}
				if !seen {
					firstPage[*id] = i
				}
			}
			tasks = append(tasks, p[j])
		}
	}
	if inPlace {
		// The tasks left behind past the end would keep what they point to reachable.
		clear(buf[len(tasks):])
	}
	return tasks, dropped
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
	resp, err := c.decodePage(ex, dst)
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
