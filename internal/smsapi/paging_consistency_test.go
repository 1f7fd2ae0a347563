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
	"sync/atomic"
	"testing"
	"time"
)

// The consistency rules of ListAll (DESIGN.md, "Consistent listings"), each against an httptest
// server that breaks it, and the drift that a re-read repairs.

// A short page ends the listing: the pages above it that are running are cancelled and no page
// above it is started. Once the short page at 199 was served, the server holds every page above
// it until the client gives up on it, so the listing can only finish if they are cancelled; with
// two workers (MaxConcurrency 1) at most one page above, already started and waiting for the
// slot the short page gave back, can be requested after it. A page above that comes first is
// answered at once (holding it would keep the only slot from the short page).
func TestListTasks_ShortPageEndsListing(t *testing.T) {
	var (
		mu         sync.Mutex
		pass       int
		shortSeen  bool
		aboveAfter = map[int][]int{} // Per pass, the pages above requested after the short page.
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		mu.Lock()
		switch offset {
		case 0:
			pass++
			shortSeen = false
		case 199:
			shortSeen = true
		}
		hold := offset > 199 && shortSeen
		if hold {
			aboveAfter[pass] = append(aboveAfter[pass], offset)
		}
		mu.Unlock()
		switch {
		case offset == 0:
			writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksRange("a", 0, 200)+`}`)
		case offset == 199:
			writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksRange("a", 199, 249)+`}`)
		case !hold:
			writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksRange("a", offset, offset+200)+`}`)
		default:
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
				writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksRange("a", offset, offset+200)+`}`)
			}
		}
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	started := time.Now()
	_, err := c.ListTasks(context.Background(), ListTasksQuery{})
	var ie *InconsistentListingError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an InconsistentListingError", err)
	}
	if want := "read 249 tasks against a count of 1000"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if elapsed := time.Since(started); elapsed > 15*time.Second {
		t.Errorf("the listing took %s: the held pages above the short one were not cancelled", elapsed)
	}
	mu.Lock()
	defer mu.Unlock()
	for p, offsets := range aboveAfter {
		if len(offsets) > 1 {
			t.Errorf("read %d requested %v after the short page at 199, want at most the one page already started", p, offsets)
		}
	}
}

// Listings that contradict their count on both reads fail closed: the error names what was
// read against what was counted and the request ids of both reads, and the whole listing is
// read exactly twice. These are the rows of the gate issue.
func TestListTasks_InconsistentTwiceFails(t *testing.T) {
	cases := map[string]struct {
		pageSize int
		body     func(offset int) string
		offsets  []int // per read
		requests int   // when set, the number of requests over both reads instead
		want     []string
	}{
		"count 1000 but every page holds 100 of 200": {
			pageSize: 200,
			body:     func(int) string { return `{"count":1000,"tasks":` + tasksJSON("a", 100) + `}` },
			offsets:  []int{0},
			want: []string{"read 100 tasks against a count of 1000", "request ids read2-at0", "request ids read1-at0",
				"the first page held 100 of the 200 asked for, so the API may cap the page size at 100"},
		},
		"count 0 with three failed tasks": {
			pageSize: 200,
			body:     func(int) string { return `{"count":0,"tasks":` + tasksJSON("f", 3) + `}` },
			offsets:  []int{0},
			want:     []string{"read 3 tasks against a count of 0", "the pages held 3 tasks in all"},
		},
		"a short middle page": {
			pageSize: 2,
			body: func(offset int) string {
				if offset == 2 {
					return `{"count":6,"tasks":` + tasksRange("t", 2, 3) + `}`
				}
				return `{"count":6,"tasks":` + tasksRange("t", offset, offset+2) + `}`
			},
			offsets: []int{0, 1, 2},
			want:    []string{"read 3 tasks against a count of 6"},
		},
		"a huge count with empty later pages": {
			pageSize: 2,
			body: func(offset int) string {
				if offset == 0 {
					return `{"count":1000000000000,"tasks":` + tasksJSON("a", 2) + `}`
				}
				return `{"count":1000000000000,"tasks":[]}`
			},
			offsets: []int{0, 1},
			want:    []string{"read 2 tasks against a count of 1000000000000", "offsets up to 65535 reach 65537"},
		},
		"every page the same beyond the offset cap": {
			pageSize: 200,
			body:     func(int) string { return `{"count":70000,"tasks":` + tasksJSON("a", 200) + `}` },
			// A server that ignores offset: the third page repeats the first and ends each read,
			// instead of 330 pages read twice.
			offsets: []int{0, 199, 398},
			want:    []string{"read 200 tasks against a count of 70000", "the page at offset 398 repeats the first page's tasks"},
		},
		"tasks gone after the count": {
			pageSize: 2,
			body: func(offset int) string {
				// Four tasks are served, five counted.
				return `{"count":5,"tasks":` + tasksRange("t", offset, min(offset+2, 4)) + `}`
			},
			offsets: []int{0, 1, 2, 3},
			want:    []string{"read 4 tasks against a count of 5"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api, url := newPagedServer(t, func(offset, _ int) string { return tc.body(offset) })
			// One request at a time, so that a short page is always seen before the next starts.
			c := newTestClient(t, url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
			list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: tc.pageSize})
			var ie *InconsistentListingError
			if !errors.As(err, &ie) || list != nil {
				t.Fatalf("ListTasks = %v, %v; want an InconsistentListingError", list, err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			got := api.requested()
			if tc.requests > 0 {
				if len(got) != tc.requests {
					t.Errorf("requests = %d, want %d", len(got), tc.requests)
				}
				return
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(append(slices.Clone(tc.offsets), tc.offsets...)))
			if len(got) > len(want)+2 || !isSubsequence(want, got) {
				t.Errorf("offsets requested = %v, want each of %v twice (two reads)", got, tc.offsets)
			}
		})
	}
}

// tasksRange renders the tasks prefix-from … prefix-(to-1) of one list, so that pages cut from it
// overlap as the client asks them to.
func tasksRange(prefix string, from, to int) string {
	parts := make([]string, 0, max(0, to-from))
	for i := from; i < to; i++ {
		parts = append(parts, fmt.Sprintf(`{"id":"%s-%d","state":"MIGRATE_FAIL"}`, prefix, i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// isSubsequence reports whether every element of want (sorted) is in got (sorted).
func isSubsequence(want, got []int) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && want[i] == g {
			i++
		}
	}
	return i == len(want)
}

// A task deleted at the front between two pages pulls a task not yet read onto a page already
// read, so the next page does not start with the last task of the page before. It is read again
// from offset 0; the second listing is consistent and is used, every task once and in order, and
// the DEBUG log says so.
func TestListTasks_RereadAfterDeletionIsUsed(t *testing.T) {
	all := make([]string, 12)
	for i := range all {
		all[i] = fmt.Sprintf("task-%02d", i)
	}
	var (
		mu      sync.Mutex
		current = slices.Clone(all)
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		mu.Lock()
		if offset == 4 && len(current) == 12 {
			current = current[1:] // task-00 is deleted after the first page was read.
		}
		ids := current[min(offset, len(current)):min(offset+limit, len(current))]
		count := len(current)
		mu.Unlock()
		writeJSON(w, http.StatusOK, mustJSON(t, pageBody(int64(count), ids)))
	})
	logs := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 1; cfg.Logger = logs })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := taskIDs(list.Items); !slices.Equal(got, all[1:]) {
		t.Errorf("ids = %v, want %v", got, all[1:])
	}
	if !list.Reread || list.Count != 11 || list.Requests != 6 {
		t.Errorf("reread %v, count %d, requests %d; want true, 11, 6", list.Reread, list.Count, list.Requests)
	}
	var again, used bool
	for _, e := range logs.all() {
		again = again || (e.level == "debug" && strings.Contains(e.msg, "reading it again from offset 0") &&
			strings.Contains(fmt.Sprint(e.fields["reason"]), `the page at offset 4 does not repeat the item with id "task-04"`))
		used = used || (e.level == "debug" && strings.Contains(e.msg, "second listing is consistent and is used"))
	}
	if !again || !used {
		t.Errorf("debug log: re-read announced %v, second listing reported used %v", again, used)
	}
}

// The re-read runs under the caller's context: when the deadline passes during it, the read
// fails with the deadline, not with a listing.
func TestListTasks_RereadCountsAgainstTheDeadline(t *testing.T) {
	var reads atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if reads.Add(1) > 1 {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(10 * time.Second):
			}
		}
		writeJSON(w, http.StatusOK, `{"count":5,"tasks":`+tasksJSON("a", 3)+`}`)
	})
	c := newTestClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	list, err := c.ListTasks(ctx, ListTasksQuery{})
	if !errors.Is(err, context.DeadlineExceeded) || list != nil {
		t.Fatalf("ListTasks = %v, %v; want the deadline", list, err)
	}
	if n := reads.Load(); n != 2 {
		t.Errorf("requests = %d, want 2 (the read and its re-read)", n)
	}
}

// A server that ignores offset answers every page with the first page, full. With page_size 1
// (read as pages of 2) and an endless count that was 65,535 requests per listing, twice; a full
// third or later page that only repeats the first page ends the pass as inconsistent instead,
// so the read fails after a few requests, for every list endpoint.
func TestListAll_ServerIgnoringOffsetStopsEarly(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/v3/tasks", "/v3/sources"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int64
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				key := "tasks"
				if r.URL.Path == "/v3/sources" {
					key = "source_servers"
				}
				limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
				items := strings.Repeat(`{"id":"same","name":"n"},`, limit)
				writeJSON(w, 200, `{"count":1000000000000,"`+key+`":[`+strings.TrimSuffix(items, ",")+`]}`)
			})
			c := newTestClient(t, srv.URL)
			var err error
			if path == "/v3/tasks" {
				_, err = c.ListTasks(context.Background(), ListTasksQuery{PageSize: 1})
			} else {
				_, err = c.ListSourceServers(context.Background(), ListSourceServersQuery{PageSize: 1})
			}
			var inconsistent *InconsistentListingError
			if !errors.As(err, &inconsistent) || !strings.Contains(err.Error(), "repeats the first page") {
				t.Fatalf("want an InconsistentListingError naming the repeated first page, got %v", err)
			}
			if n := requests.Load(); n > 40 {
				t.Errorf("requests = %d, want at most 40", n)
			}
		})
	}
}

// One task created in front while a page_size 1 listing (read as pages of 2) is read pushes the
// first tasks onto later pages and the last one beyond the pages the first count asked for: that
// is drift, which the re-read resolves, not a server ignoring offset.
func TestListAll_OneInsertionWithPageSizeOneIsNotAStall(t *testing.T) {
	t.Parallel()
	var passes atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		ids := []string{"new", "a", "b", "c", "d"} // "new" is created in front after page 0 was read.
		if offset == 0 && passes.Add(1) == 1 {
			ids = ids[1:]
		}
		page := ids[min(offset, len(ids)):min(offset+limit, len(ids))]
		writeJSON(w, 200, mustJSON(t, pageBody(int64(len(ids)), page)))
	})
	l, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{PageSize: 1})
	if err != nil || strings.Join(taskIDs(l.Items), ",") != "new,a,b,c,d" || !l.Reread {
		t.Fatalf("got %+v, %v", l, err)
	}
}

// A listing that names one task twice with different states contradicts itself: keeping either
// copy could hide a MIGRATE_FAIL from a gate, so the read fails after reading again. An empty id
// identifies nothing, so two tasks with "" are both kept.
func TestListAll_RepeatedIDWithAnotherStateFails(t *testing.T) {
	cases := map[string]map[string]string{
		"within a page": {
			"0": `{"count":2,"tasks":[{"id":"t1","state":"MIGRATE_FAIL"},{"id":"t1","state":"MIGRATE_SUCCESS"}]}`,
		},
		"on a later page, count grown": {
			"0": `{"count":3,"tasks":[{"id":"t1","state":"RUNNING"},{"id":"t2","state":"MIGRATE_SUCCESS"}]}`,
			// A task created in front pushed t1 onto the second page, which still repeats t2.
			"1": `{"count":4,"tasks":[{"id":"t1","state":"MIGRATE_FAIL"},{"id":"t2","state":"MIGRATE_SUCCESS"}]}`,
		},
	}
	for name, pages := range cases {
		t.Run(name, func(t *testing.T) {
			var requests atomic.Int64
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				writeJSON(w, http.StatusOK, pages[r.URL.Query().Get("offset")])
			})
			c := newTestClient(t, srv.URL)
			_, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
			if err == nil || !strings.Contains(err.Error(), `"t1" is listed as`) || !strings.Contains(err.Error(), "MIGRATE_FAIL") {
				t.Fatalf("err = %v, want the contradiction named", err)
			}
			if n := requests.Load(); n != int64(2*len(pages)) {
				t.Errorf("requests = %d, want %d (the listing read twice)", n, 2*len(pages))
			}
		})
	}
	t.Run("a huge id is named bounded", func(t *testing.T) {
		id := strings.Repeat("x", 10000)
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, `{"count":2,"tasks":[{"id":"`+id+`","state":"MIGRATE_FAIL"},{"id":"`+id+`","state":"READY"}]}`)
		})
		_, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
		if err == nil || !strings.Contains(err.Error(), `is listed as "MIGRATE_FAIL"`) || len(err.Error()) > 1000 {
			t.Fatalf("err (%d bytes) = %.300v, want the contradiction named in a bounded message", len(fmt.Sprint(err)), err)
		}
	})
	t.Run("empty ids", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("offset") == "0" {
				writeJSON(w, http.StatusOK, `{"count":3,"tasks":[{"id":"","state":"RUNNING"},{"id":"t2"}]}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"count":3,"tasks":[{"id":"t2"},{"id":"","state":"MIGRATE_FAIL"}]}`)
		})
		list, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 3 || *list.Items[2].State != "MIGRATE_FAIL" {
			t.Errorf("tasks = %v, want all three, the failed one last", taskIDs(list.Items))
		}
	})
}
