package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	s := start(t, Options{Tasks: GenerateTasks(30, 1), Latency: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/v3/tasks?offset="+itoa(i%2*10), nil)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	waitFor(t, func() bool { return s.Stats().InFlight == 5 })
	cancel()
	wg.Wait()
	waitFor(t, func() bool { return s.Stats().InFlight == 0 })
	st := s.Stats()
	if st.Requests != 5 || st.MaxInFlight != 5 || st.PerOffset[0] != 3 || st.PerOffset[10] != 2 {
		t.Errorf("Stats() = %+v, want 5 requests, 5 at once, offsets {0:3 10:2}", st)
	}

	s.ResetStats()
	fast := start(t, Options{Tasks: GenerateTasks(30, 1)})
	for _, q := range []string{"limit=10", "limit=10&offset=10", "limit=10&offset=20", "offset=zz"} {
		get(t, fast, q, "")
	}
	st = fast.Stats()
	if st.Requests != 4 || st.MaxInFlight != 1 || len(st.PerOffset) != 3 || st.PerOffset[10] != 1 {
		t.Errorf("sequential Stats() = %+v", st)
	}
	qs := fast.Queries()
	if len(qs) != 4 || qs[1].Get("offset") != "10" || qs[3].Get("offset") != "zz" {
		t.Errorf("Queries() = %v", qs)
	}
	fast.ResetStats()
	if st := fast.Stats(); st.Requests != 0 || len(st.PerOffset) != 0 || len(fast.Queries()) != 0 {
		t.Errorf("after ResetStats: %+v, %d queries", st, len(fast.Queries()))
	}
	if st := s.Stats(); st.Requests != 0 || st.MaxInFlight != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
}

func TestMutateWhilePaging(t *testing.T) {
	var s *Server
	var mu sync.Mutex
	var hooked []url.Values
	s = start(t, Options{Tasks: GenerateTasks(30, 1), OnRequest: func(q url.Values) {
		mu.Lock()
		hooked = append(hooked, q)
		mu.Unlock()
		if q.Get("offset") == "10" {
			// Deleting a task already listed shifts every later task one place forward, so a
			// client paging by offset skips one: the case that paging tests must catch.
			s.Mutate(func(tasks []json.RawMessage) []json.RawMessage { return slices.Delete(tasks, 0, 1) })
		}
	}})
	first := list(t, s, "limit=10")
	second := list(t, s, "limit=10&offset=10")
	if *first.Count != 30 || *second.Count != 29 {
		t.Errorf("counts %d, %d; want 30 then 29", *first.Count, *second.Count)
	}
	if got := field(t, second.Tasks[0], "name"); got != `"sms-task-00011"` {
		t.Errorf("after the delete, offset 10 starts with %s, want sms-task-00011", got)
	}
	mu.Lock()
	if len(hooked) != 2 || hooked[1].Get("limit") != "10" {
		t.Errorf("OnRequest saw %v", hooked)
	}
	mu.Unlock()

	s.Mutate(func(tasks []json.RawMessage) []json.RawMessage {
		return append(tasks, json.RawMessage(`{"id":"added","name":"late","state":"READY","source_server":{"id":"s1"}}`))
	})
	if got := list(t, s, "source_server_id=s1&state=READY"); *got.Count != 1 {
		t.Errorf("added task: count %d, want 1", *got.Count)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := start(t, Options{Tasks: GenerateTasks(200, 1)})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 10 {
				switch (i + j) % 4 {
				case 0:
					s.Mutate(func(tasks []json.RawMessage) []json.RawMessage { return tasks[:len(tasks)-1] })
				case 1:
					s.InjectFaults(Fault{Status: 500})
				default:
					resp, err := http.Get(s.URL() + "/v3/tasks?offset=" + itoa(j*10))
					if err != nil {
						t.Error(err)
						return
					}
					if _, err := io.Copy(io.Discard, resp.Body); err != nil {
						t.Error(err)
					}
					resp.Body.Close()
				}
				s.Stats()
				s.Queries()
			}
		})
	}
	wg.Wait()
	if st := s.Stats(); st.Requests != 40 {
		t.Errorf("Requests = %d, want 40", st.Requests)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
	}
}
