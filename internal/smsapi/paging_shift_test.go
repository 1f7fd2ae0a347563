package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A listing that shifts while it is read: an item deleted in front and another created behind
// keep the count and every page full, yet offset paging without overlap skips the item that
// moved across a page boundary. Each page now repeats the last item of the page before, so the
// shift shows, the listing is read again, and an item present for the whole read is never
// missing from a successful one (DESIGN.md, "Consistent listings").

// shiftingAPI serves one list of JSON objects under key, honouring limit and offset. Before the
// page at a matching offset is read (after page 0 of the pass was served), shift deletes the
// first item and appends a new one, once per pass or on every pass.
type shiftingAPI struct {
	key        string
	mu         sync.Mutex
	items      []string
	next       int // The number of the next item created.
	passes     int // Requests for offset 0 so far.
	shiftedIn  int // The pass that last shifted.
	shiftAt    int // The offset whose request shifts the list; 0 shifts on the first page after page 0.
	everyPass  bool
	requests   int
	itemFormat string // fmt format of a created item, given its number.
}

func (a *shiftingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	a.mu.Lock()
	a.requests++
	if offset == 0 {
		a.passes++
	}
	due := offset > 0 && (a.shiftAt == 0 || offset == a.shiftAt) && a.shiftedIn < a.passes && (a.everyPass || a.shiftedIn == 0)
	if due {
		a.shiftedIn = a.passes
		a.items = append(a.items[1:], fmt.Sprintf(a.itemFormat, a.next))
		a.next++
	}
	page := a.items[min(offset, len(a.items)):min(offset+limit, len(a.items))]
	body := fmt.Sprintf(`{"count":%d,%q:[%s]}`, len(a.items), a.key, strings.Join(page, ","))
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// newShiftingAPI serves items 1–6, the third failed, as tasks or source servers.
func newShiftingAPI(key string) *shiftingAPI {
	format := `{"id":"task-%d","state":"MIGRATE_SUCCESS"}`
	failed := `{"id":"task-3","state":"MIGRATE_FAIL"}`
	if key == "source_servers" {
		format = `{"id":"server-%d","state":"finished","migration_cycle":"cutovered"}`
		failed = `{"id":"server-3","state":"replicate","migration_cycle":"replicating"}`
	}
	a := &shiftingAPI{key: key, next: 7, itemFormat: format}
	for i := 1; i <= 6; i++ {
		a.items = append(a.items, fmt.Sprintf(format, i))
	}
	a.items[2] = failed
	return a
}

// listIDs lists tasks or source servers with page size 2 and returns the ids.
func listIDs(t *testing.T, c *Client, key string) ([]string, bool, string, error) {
	t.Helper()
	if key == "tasks" {
		l, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
		if err != nil {
			return nil, false, "", err
		}
		return taskIDs(l.Items), l.Reread, l.FirstInconsistency, nil
	}
	l, err := c.ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 2})
	if err != nil {
		return nil, false, "", err
	}
	ids := make([]string, len(l.Items))
	for i, s := range l.Items {
		ids[i] = *s.ID
	}
	return ids, l.Reread, l.FirstInconsistency, nil
}

// The rows of the gate issue: page_size 2, items 1–6 with item 3 failed; after page 0 is served,
// item 1 is deleted and item 7 created. The count stays 6 and every page is full; the failed
// item must still be in the result, which is the second, consistent read. The shift is also made
// at a later page, between two pages that are both past the first.
func TestListAll_ShiftingListingKeepsEveryItem(t *testing.T) {
	for _, key := range []string{"tasks", "source_servers"} {
		for _, shiftAt := range []int{0, 4} {
			t.Run(fmt.Sprintf("%s shifted at offset %d", key, shiftAt), func(t *testing.T) {
				api := newShiftingAPI(key)
				api.shiftAt = shiftAt
				srv := newServer(t, api.ServeHTTP)
				// One request at a time, so that the pages before the shift are served before it.
				c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 1 })
				ids, reread, first, err := listIDs(t, c, key)
				if err != nil {
					t.Fatal(err)
				}
				prefix := "task-"
				if key == "source_servers" {
					prefix = "server-"
				}
				want := []string{prefix + "2", prefix + "3", prefix + "4", prefix + "5", prefix + "6", prefix + "7"}
				if !slices.Equal(ids, want) {
					t.Errorf("ids = %v, want %v: items 2 to 6 existed for the whole read", ids, want)
				}
				if !reread || !strings.Contains(first, "does not repeat") {
					t.Errorf("reread %v, first inconsistency %q; want the shift seen and the listing read again", reread, first)
				}
			})
		}
	}
}

// An API that shifts on every read fails closed after one re-read, naming the page that does not
// repeat the item it should.
func TestListAll_ListingThatKeepsShiftingFails(t *testing.T) {
	for _, key := range []string{"tasks", "source_servers"} {
		t.Run(key, func(t *testing.T) {
			api := newShiftingAPI(key)
			api.everyPass = true
			srv := newServer(t, api.ServeHTTP)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 1 })
			_, _, _, err := listIDs(t, c, key)
			var ie *InconsistentListingError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an InconsistentListingError", err)
			}
			if !strings.Contains(ie.Reason, "the page at offset 1 does not repeat the item with id") ||
				!strings.Contains(ie.FirstReason, "does not repeat") {
				t.Errorf("reasons %q / %q, want both to name the page that does not repeat the last item before it", ie.Reason, ie.FirstReason)
			}
			api.mu.Lock()
			defer api.mu.Unlock()
			if api.passes != 2 || api.requests > 2*5 {
				t.Errorf("passes = %d, requests = %d; want two reads of at most 5 pages", api.passes, api.requests)
			}
		})
	}
}

// Items without ids are known by their content: a shift among them shows as well.
func TestListAll_ShiftAmongItemsWithoutIDs(t *testing.T) {
	api := newShiftingAPI("tasks")
	api.itemFormat = `{"name":"task-%d"}`
	for i := range api.items {
		api.items[i] = fmt.Sprintf(api.itemFormat, i+1)
	}
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	l, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(l.Items))
	for i, task := range l.Items {
		names[i] = *task.Name
	}
	if want := "task-2,task-3,task-4,task-5,task-6,task-7"; strings.Join(names, ",") != want || !l.Reread {
		t.Errorf("names = %v, reread %v; want %s from a second read", names, l.Reread, want)
	}
	if !strings.Contains(l.FirstInconsistency, "does not repeat an item without an id") {
		t.Errorf("first inconsistency %q, want the item without an id named as such", l.FirstInconsistency)
	}
}

// An API that caps its pages below the page size asked for fails every read, since the first
// page is short while the count is larger. The error says the API may cap the page size, and at
// what, so that a smaller page size can be tried; with it, the listing reads.
func TestListTasks_CappedPagesNameThePageSize(t *testing.T) {
	api := newFakeAPI(t, 120, 120)
	api.pageCap = 50
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL)
	_, err := c.ListTasks(context.Background(), ListTasksQuery{})
	var ie *InconsistentListingError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an InconsistentListingError", err)
	}
	if ie.PageCap != 50 || ie.PageSize != 200 || !strings.Contains(err.Error(), "the API may cap the page size at 50") {
		t.Errorf("page cap %d of %d, error %q; want 50 of 200 and the cap named", ie.PageCap, ie.PageSize, err)
	}
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 50})
	if err != nil || len(list.Items) != 120 {
		t.Fatalf("with page size 50: %v, %v", list, err)
	}

	// A short first page whose count is no larger, or an empty one, says nothing of a cap.
	for _, body := range []string{`{"count":3,"tasks":` + tasksJSON("a", 3) + `}`, `{"count":9,"tasks":[]}`} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, body) })
		_, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
		if errors.As(err, &ie) && ie.PageCap != 0 || err != nil && strings.Contains(err.Error(), "cap the page size") {
			t.Errorf("%s: err = %v, want no page cap named", body, err)
		}
	}
}
