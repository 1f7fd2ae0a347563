package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// tasksJSON renders n tasks with ids prefix-0, prefix-1, ….
func tasksJSON(prefix string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"id":"%s-%d","state":"MIGRATE_FAIL"}`, prefix, i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// pagedServer answers each offset with the body body(offset, listing), where listing counts the
// requests for offset 0 (1 for the first listing, 2 for the re-read), and records the offsets.
type pagedServer struct {
	mu      sync.Mutex
	offsets []int
	reads   int
}

func newPagedServer(t *testing.T, body func(offset, listing int) string) (*pagedServer, string) {
	p := &pagedServer{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		p.mu.Lock()
		if offset == 0 {
			p.reads++
		}
		listing := p.reads
		p.offsets = append(p.offsets, offset)
		p.mu.Unlock()
		w.Header().Set("X-Request-Id", fmt.Sprintf("read%d-at%d", listing, offset))
		writeJSON(w, http.StatusOK, body(offset, listing))
	})
	return p, srv.URL
}

func (p *pagedServer) requested() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.offsets)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A page holding more tasks than the limit it was asked for is an invalid response: it fails at
// once, without a re-read, and its tasks are never decoded (TestDecodeListTasks_OverfullPageIsNotDecoded).
func TestListTasks_PageOverItsLimitIsRejected(t *testing.T) {
	overfull := `{"count":1000,"tasks":[` + strings.Repeat(`{},`, 59999) + `{}]}`
	api, url := newPagedServer(t, func(int, int) string { return overfull })
	c := newTestClient(t, url)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{})
	var de *DecodeError
	if !errors.As(err, &de) || list != nil {
		t.Fatalf("ListTasks = %v, %v; want a DecodeError", list, err)
	}
	for _, want := range []string{`"tasks" holds more than the limit of 200`, "offset 0", "request id read1-at0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if got := api.requested(); !slices.Equal(got, []int{0}) {
		t.Errorf("offsets requested = %v, want [0]: an invalid page is not re-read", got)
	}
}

// An overfull later page is rejected the same way, naming its own offset (1: page size 2 steps
// by 1, each page repeating the last task of the page before).
func TestListTasks_LaterPageOverItsLimitIsRejected(t *testing.T) {
	_, url := newPagedServer(t, func(offset, _ int) string {
		if offset == 0 {
			return `{"count":3,"tasks":` + tasksJSON("a", 2) + `}`
		}
		return `{"count":3,"tasks":` + tasksJSON("b", 3) + `}`
	})
	c := newTestClient(t, url)
	_, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
	if err == nil || !strings.Contains(err.Error(), "offset 1") || !strings.Contains(err.Error(), "more than the limit of 2") {
		t.Fatalf("err = %v, want the page at offset 1 rejected for exceeding the limit", err)
	}
}

// "tasks" missing or null while count > 0 is an error on any page; with count 0 it is an empty list.
func TestListTasks_MissingOrNullTasksWithCount(t *testing.T) {
	failures := map[string]struct {
		first, later string
		wantOffset   string
	}{
		"missing": {`{"count":3}`, "", "offset 0"},
		"null":    {`{"count":3,"tasks":null}`, "", "offset 0"},
		// With a count of 3, pages of 2 are read at offsets 0 and 1 only.
		"missing on page two":  {`{"count":3,"tasks":` + tasksJSON("a", 2) + `}`, `{"count":3}`, "offset 1"},
		"null on page two":     {`{"count":3,"tasks":` + tasksJSON("a", 2) + `}`, `{"count":3,"tasks":null}`, "offset 1"},
		"count null on page 2": {`{"count":3,"tasks":` + tasksJSON("a", 2) + `}`, `{"count":null,"tasks":[]}`, "offset 1"},
	}
	for name, tc := range failures {
		t.Run(name, func(t *testing.T) {
			_, url := newPagedServer(t, func(offset, _ int) string {
				if offset == 0 {
					return tc.first
				}
				return tc.later
			})
			c := newTestClient(t, url)
			list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 2})
			var de *DecodeError
			if !errors.As(err, &de) || list != nil || !strings.Contains(err.Error(), tc.wantOffset) {
				t.Fatalf("ListTasks = %v, %v; want a DecodeError at %s", list, err, tc.wantOffset)
			}
			if !strings.Contains(err.Error(), `"count"`) {
				t.Errorf("error %q does not say which field is wrong", err)
			}
		})
	}
	for _, body := range []string{`{"count":0}`, `{"count":0,"tasks":null}`, `{"count":0,"tasks":[]}`} {
		_, url := newPagedServer(t, func(int, int) string { return body })
		list, err := newTestClient(t, url).ListTasks(context.Background(), ListTasksQuery{})
		if err != nil || list.Items == nil || len(list.Items) != 0 || list.Count != 0 {
			t.Errorf("%s: ListTasks = %+v, %v; want an empty, non-nil list", body, list, err)
		}
	}
}

func TestListTasks_CountMissingOrNegative(t *testing.T) {
	for _, body := range []string{`{"tasks":[]}`, `{"count":null,"tasks":[]}`, `{"count":-1,"tasks":[]}`} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "rid")
			writeJSON(w, http.StatusOK, body)
		})
		c := newTestClient(t, srv.URL)
		_, err := c.ListTasks(context.Background(), ListTasksQuery{})
		var de *DecodeError
		if !errors.As(err, &de) || de.RequestID != "rid" || !strings.Contains(err.Error(), `"count"`) {
			t.Errorf("%s: err = %v, want a DecodeError about count", body, err)
		}
	}
}

func TestListTasks_KeepsOrderAcrossConcurrentPages(t *testing.T) {
	api := newFakeAPI(t, 100, 100)
	// Earlier pages answer later, so completion order is the reverse of API order.
	api.delay = func(offset int) time.Duration { return time.Duration(100-offset) * time.Millisecond / 2 }
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 8 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := taskIDs(list.Items); !slices.Equal(got, api.ids) {
		t.Errorf("tasks out of order: %v", got)
	}
	// 1 + ceil((100 - 10) / 9) pages: each after the first repeats the last task of the one before.
	if list.Count != 100 || list.Requests != 11 || list.DuplicatesDropped != 0 || list.OffsetCapped || list.Incomplete() {
		t.Errorf("list = count %d, requests %d, dropped %d, capped %v", list.Count, list.Requests, list.DuplicatesDropped, list.OffsetCapped)
	}
}

func TestListTasks_NoExtraRequest(t *testing.T) {
	cases := map[string]struct {
		count       int64
		n, pageCap  int
		pageSize    int
		wantOffsets []int
		wantTasks   int
	}{
		// Pages step by 199, each repeating the last task of the page before.
		"count fills the last page":            {597, 597, 0, 200, []int{0, 199, 398}, 597},
		"count is a multiple of the page size": {600, 600, 0, 200, []int{0, 199, 398, 597}, 600},
		"short last page":                      {450, 450, 0, 200, []int{0, 199, 398}, 450},
		"page size 1 reads pages of 2":         {4, 4, 0, 1, []int{0, 1, 2}, 4},
		"first page holds everything":          {3, 3, 0, 200, []int{0}, 3},
		"first page exactly full":              {200, 200, 0, 200, []int{0}, 200},
		"no tasks":                             {0, 0, 0, 200, []int{0}, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, tc.count, tc.n)
			api.pageCap = tc.pageCap
			srv := newServer(t, api.ServeHTTP)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 3 })
			list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: tc.pageSize})
			if err != nil {
				t.Fatal(err)
			}
			if got := api.offsets(); !slices.Equal(got, tc.wantOffsets) {
				t.Errorf("offsets requested = %v, want %v", got, tc.wantOffsets)
			}
			if len(list.Items) != tc.wantTasks || list.Requests != len(tc.wantOffsets) || list.Count != tc.count {
				t.Errorf("tasks = %d, requests = %d, count = %d", len(list.Items), list.Requests, list.Count)
			}
			if list.Incomplete() != (int64(tc.wantTasks) < tc.count) {
				t.Errorf("Incomplete() = %v", list.Incomplete())
			}
			if list.Items == nil {
				t.Error("Tasks is nil, want an empty slice")
			}
		})
	}
}

func TestListTasks_CapsOffsets(t *testing.T) {
	api := newFakeAPI(t, 70000, 70000)
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 8 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	// Offsets step by 199: the last that the API accepts is 329 x 199 = 65471, whose page ends at
	// 65671.
	offsets := api.offsets()
	if last := offsets[len(offsets)-1]; last > MaxOffset || last != 65471 {
		t.Errorf("largest offset = %d, want 65471 (<= %d)", last, MaxOffset)
	}
	if len(offsets) != 330 || list.Requests != 330 || len(list.Items) != 65671 {
		t.Errorf("requests = %d/%d, tasks = %d; want 330 and 65671", len(offsets), list.Requests, len(list.Items))
	}
	if !list.OffsetCapped || !list.Incomplete() || list.Count != 70000 {
		t.Errorf("OffsetCapped = %v, Incomplete = %v, Count = %d", list.OffsetCapped, list.Incomplete(), list.Count)
	}
}

func TestListTasks_PageFailureFailsWhole(t *testing.T) {
	api := newFakeAPI(t, 1000, 1000)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "396" { // The fifth page: pages of 100 step by 99.
			w.Header().Set("X-Request-Id", "req-396")
			writeJSON(w, http.StatusForbidden, `{"error_code":"SMS.1806","error_msg":"denied"}`)
			return
		}
		api.ServeHTTP(w, r)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 2 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 100})
	if list != nil {
		t.Errorf("got a partial list of %d tasks", len(list.Items))
	}
	ae, ok := AsAPIError(err)
	if !ok || ae.Status != 403 || ae.Code != "SMS.1806" || ae.RequestID != "req-396" {
		t.Fatalf("err = %v, want the 403 of offset 396", err)
	}
}

func TestListTasks_CancelReturnsPromptly(t *testing.T) {
	before := runtime.NumGoroutine()
	api := newFakeAPI(t, 2000, 2000)
	started := make(chan struct{})
	var once sync.Once
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" {
			once.Do(func() { close(started) })
			select { // A slow page: it answers only when the client goes away.
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		api.ServeHTTP(w, r)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 4 })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.ListTasks(ctx, ListTasksQuery{PageSize: 100})
		done <- err
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no slow page was requested")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("ListTasks did not return within 2s of cancellation")
	}

	close(release)
	srv.Close()
	c.closeIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestListTasks_HonoursMaxConcurrency(t *testing.T) {
	api := newFakeAPI(t, 200, 200)
	api.delay = func(int) time.Duration { return 30 * time.Millisecond }
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 3 })
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	// 1 + ceil((200 - 10) / 9) pages.
	if list.Requests != 23 || api.requests() != 23 {
		t.Fatalf("requests = %d/%d, want 23", list.Requests, api.requests())
	}
	if m := api.maxInFlight.Load(); m > 3 || m <= 1 {
		t.Errorf("max in flight = %d, want 2 or 3", m)
	}

	// The limit belongs to the client, so two concurrent listings share it.
	api.maxInFlight.Store(0)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := api.maxInFlight.Load(); m > 3 {
		t.Errorf("max in flight across two calls = %d, want <= 3", m)
	}
}
