package smsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkListTasks_20000 lists 20,000 tasks (101 pages of 200 at steps of 199) from a server that takes 20 ms per
// request, the latency that dominates against a real region, to show what MaxConcurrency buys.
func BenchmarkListTasks_20000(b *testing.B) {
	const total, latency = 20000, 20 * time.Millisecond

	// Pages are encoded once, at the offsets the client asks (steps of 199, each page repeating
	// the last task of the one before), so the benchmark measures the client, not the fake server.
	tasks := make([]map[string]any, total)
	for i := range tasks {
		tasks[i] = map[string]any{
			"id": fmt.Sprintf("task-%05d", i), "name": fmt.Sprintf("sms_task_%d", i), "type": "MIGRATE_BLOCK",
			"os_type": "LINUX", "state": "MIGRATE_SUCCESS", "create_date": 1585139506000 + i, "priority": 1,
			"migrate_speed": 0.0, "start_target_server": true, "error_json": "", "total_time": 3878000,
			"source_server": map[string]any{"id": "s", "ip": "192.168.0.1", "name": "src", "os_type": "LINUX"},
			"target_server": map[string]any{"id": "t", "vm_id": "vm", "name": "dst", "ip": nil},
			"sub_tasks":     []map[string]any{{"id": i, "name": "CREATE_CLOUD_SERVER", "progress": 100}},
		}
	}
	pages := map[int][]byte{}
	for off := 0; off < total; off += MaxPageSize - 1 {
		body, err := json.Marshal(map[string]any{"count": total, "tasks": tasks[off:min(off+MaxPageSize, total)]})
		if err != nil {
			b.Fatal(err)
		}
		pages[off] = body
	}

	var requests, inFlight, maxInFlight atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			seen := maxInFlight.Load()
			if now <= seen || maxInFlight.CompareAndSwap(seen, now) {
				break
			}
		}
		time.Sleep(latency)
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(pages[off])
	}))
	b.Cleanup(srv.Close)

	for _, conc := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("MaxConcurrency=%d", conc), func(b *testing.B) {
			c := newTestClient(b, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = conc })
			requests.Store(0)
			maxInFlight.Store(0)
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				list, err := c.ListTasks(context.Background(), ListTasksQuery{})
				if err != nil {
					b.Fatal(err)
				}
				if len(list.Items) != total {
					b.Fatalf("got %d tasks, want %d", len(list.Items), total)
				}
				n++
			}
			b.ReportMetric(float64(requests.Load())/float64(n), "requests/op")
			b.ReportMetric(float64(maxInFlight.Load()), "max-in-flight")
			// The API phase of a read should stay within 1.3 x ceil(pages / MaxConcurrency) x
			// latency; this ratio is the left side over ceil(pages / MaxConcurrency) x latency.
			pages := 1 + (total-MaxPageSize+MaxPageSize-2)/(MaxPageSize-1)
			ideal := time.Duration((pages+conc-1)/conc) * latency
			b.ReportMetric(float64(b.Elapsed())/float64(n)/float64(ideal), "x-ideal")
		})
	}
}
