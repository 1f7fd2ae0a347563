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
// above it is started. The server holds every page above offset 200 until the client gives up
// on it, so the listing can only finish if they are cancelled; with two workers (MaxConcurrency
// 1) a page at 600 or 800 could only start after the short page was seen.
func TestListTasks_ShortPageEndsListing(t *testing.T) {
	var (
		mu    sync.Mutex
		above []int
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		switch offset {
		case 0:
			writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksJSON("a", 200)+`}`)
		case 200:
			writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksJSON("b", 50)+`}`)
		default:
			mu.Lock()
			above = append(above, offset)
			mu.Unlock()
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
				writeJSON(w, http.StatusOK, `{"count":1000,"tasks":`+tasksJSON("c", 200)+`}`)
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
	if want := "read 250 tasks against a count of 1000"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if elapsed := time.Since(started); elapsed > 15*time.Second {
		t.Errorf("the listing took %s: the held pages above the short one were not cancelled", elapsed)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, offset := range above {
		if offset != 400 {
			t.Errorf("offset %d was requested although only 400 can start before the page at 200 ends the listing", offset)
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
			want:     []string{"read 100 tasks against a count of 1000", "request ids read2-at0", "request ids read1-at0"},
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
					return `{"count":6,"tasks":` + tasksJSON("m", 1) + `}`
				}
				return `{"count":6,"tasks":` + tasksJSON(fmt.Sprint("p", offset), 2) + `}`
			},
			offsets: []int{0, 2},
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
			offsets: []int{0, 2},
			want:    []string{"read 2 tasks against a count of 1000000000000", "offsets up to 65535 reach 65536"},
		},
		"every page the same beyond the offset cap": {
			pageSize: 200,
			body:     func(int) string { return `{"count":70000,"tasks":` + tasksJSON("a", 200) + `}` },
			// A server that ignores offset: the page at 2·limit repeats the first and ends each
			// read, instead of 328 pages read twice.
			offsets: []int{0, 200, 400},
			want:    []string{"read 200 tasks against a count of 70000", "the page at offset 400 repeats the first page's tasks"},
		},
		"tasks gone after the count": {
			pageSize: 2,
			body: func(offset int) string {
				if offset >= 4 {
					return `{"count":5,"tasks":[]}`
				}
				return `{"count":5,"tasks":` + tasksJSON(fmt.Sprint("p", offset), 2) + `}`
			},
			offsets: []int{0, 2, 4},
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
// read, so the first listing holds one task fewer than its count. It is read again from offset
// 0; the second listing is consistent and is used, every task once and in order, and the DEBUG
// log says so.
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
		if offset == 5 && len(current) == 12 {
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
			strings.Contains(fmt.Sprint(e.fields["reason"]), "where the first page's count is 12"))
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
// and an endless count that was 65,536 requests per listing, twice; a full page at offset
// 2·limit or more that only repeats the first page ends the pass as inconsistent instead, so
// the read fails after a few requests, for every list endpoint.
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
				writeJSON(w, 200, `{"count":1000000000000,"`+key+`":[{"id":"same","name":"n"}]}`)
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

// One task created in front while a page_size 1 listing is read pushes the first task onto the
// second page: that is drift, which the re-read resolves, not a server ignoring offset.
func TestListAll_OneInsertionWithPageSizeOneIsNotAStall(t *testing.T) {
	t.Parallel()
	var passes atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset := r.URL.Query().Get("offset")
		if offset == "0" && passes.Add(1) == 1 {
			writeJSON(w, 200, `{"count":4,"tasks":[{"id":"a"}]}`)
			return
		}
		if passes.Load() == 1 { // "new" was created in front after page 0 was read.
			ids := map[string]string{"1": "a", "2": "b", "3": "c"}
			writeJSON(w, 200, `{"count":5,"tasks":[{"id":"`+ids[offset]+`"}]}`)
			return
		}
		ids := map[string]string{"0": "new", "1": "a", "2": "b", "3": "c", "4": "d"}
		writeJSON(w, 200, `{"count":5,"tasks":[{"id":"`+ids[offset]+`"}]}`)
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
			"2": `{"count":4,"tasks":[{"id":"t1","state":"MIGRATE_FAIL"},{"id":"t3","state":"MIGRATE_SUCCESS"}]}`,
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
			writeJSON(w, http.StatusOK, `{"count":3,"tasks":[{"id":"","state":"MIGRATE_FAIL"}]}`)
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
