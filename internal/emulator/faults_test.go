package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	s := start(t, Options{Tasks: GenerateTasks(300, 1)})

	s.InjectFaults(Fault{Status: 429, RetryAfter: "2"})
	resp, body := get(t, s, "", "")
	checkError(t, resp, body, http.StatusTooManyRequests, "APIG.0308", "The throttling threshold has been reached")
	if ra := resp.Header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After = %q, want 2", ra)
	}
	list(t, s, "") // The fault was used up.

	s.InjectFaults(Fault{Status: 503, Offset: new(100), Times: 2}, Fault{Status: 502, Body: "<html>Bad Gateway</html>"})
	if s.PendingFaults() != 3 {
		t.Errorf("PendingFaults = %d, want 3", s.PendingFaults())
	}
	resp, body = get(t, s, "offset=0", "")
	if resp.StatusCode != 502 || string(body) != "<html>Bad Gateway</html>" {
		t.Errorf("offset 0: %d %s, want the 502 with its own body", resp.StatusCode, body)
	}
	for range 2 {
		resp, body = get(t, s, "offset=100", "")
		checkError(t, resp, body, http.StatusServiceUnavailable, "SMS.9999", "")
	}
	list(t, s, "offset=100")
	if s.PendingFaults() != 0 {
		t.Errorf("PendingFaults = %d, want 0", s.PendingFaults())
	}

	s.InjectFaults(Fault{MalformedJSON: true})
	resp, body = get(t, s, "", "")
	if resp.StatusCode != 200 || json.Valid(body) || len(body) == 0 {
		t.Errorf("MalformedJSON: status %d, %d bytes, valid %v; want 200 and invalid JSON", resp.StatusCode, len(body), json.Valid(body))
	}

	s.InjectFaults(Fault{TruncateBody: true})
	resp, err := http.Get(s.URL() + "/v3/tasks")
	if err != nil {
		t.Fatalf("TruncateBody: the headers should arrive, got %v", err)
	}
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || len(body) == 0 {
		t.Errorf("TruncateBody: read %d bytes with error %v; want some bytes, then an error", len(body), err)
	}

	s.InjectFaults(Fault{Delay: 150 * time.Millisecond})
	t0 := time.Now()
	list(t, s, "")
	if d := time.Since(t0); d < 150*time.Millisecond {
		t.Errorf("delay-only fault took %v, want at least 150ms", d)
	}
	if st := s.Stats(); st.Faults != 6 {
		t.Errorf("Stats().Faults = %d, want 6", st.Faults)
	}
}

func TestFailureRate(t *testing.T) {
	statuses := func(seed int64) []int {
		s := start(t, Options{Tasks: ExampleTasks(), FailureRate: 0.5, Seed: seed})
		var out []int
		for range 40 {
			resp, _ := get(t, s, "", "")
			out = append(out, resp.StatusCode)
		}
		return out
	}
	a, b := statuses(3), statuses(3)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different failures:\n%v\n%v", a, b)
	}
	if n := len(slices.DeleteFunc(slices.Clone(a), func(c int) bool { return c != 503 })); n < 5 || n > 35 {
		t.Errorf("%d of 40 requests failed at rate 0.5", n)
	}
}

func TestLatency(t *testing.T) {
	s := start(t, Options{Tasks: ExampleTasks(), Latency: 200 * time.Millisecond})
	t0 := time.Now()
	list(t, s, "")
	if d := time.Since(t0); d < 200*time.Millisecond {
		t.Errorf("request took %v, want at least the 200ms latency", d)
	}

	slow := start(t, Options{Tasks: ExampleTasks(), Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, slow.URL()+"/v3/tasks", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
	// The handler must stop waiting once the client is gone, not hold the request for a minute.
	waitFor(t, func() bool { return slow.Stats().InFlight == 0 })
}
