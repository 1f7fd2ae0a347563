package smsapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// flakyServer answers with fail for the first failures requests, then with okPage.
func flakyServer(t *testing.T, failures int64, fail func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= failures {
			fail(w)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	return srv, &n
}

func TestClient_Retries429WithRetryAfter(t *testing.T) {
	cases := map[string]func() string{
		"seconds":   func() string { return "1" },
		"http-date": func() string { return time.Now().Add(time.Second).UTC().Format(http.TimeFormat) },
	}
	for name, value := range cases {
		t.Run(name, func(t *testing.T) {
			srv, n := flakyServer(t, 1, func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", value())
				writeJSON(w, http.StatusTooManyRequests, `{"error_code":"APIGW.0308","error_msg":"throttled"}`)
			})
			c := newTestClient(t, srv.URL)
			start := time.Now()
			resp, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n.Load() != 2 || len(resp.Tasks) != 1 {
				t.Errorf("requests = %d, tasks = %d; want 2 and 1", n.Load(), len(resp.Tasks))
			}
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
}

func TestClient_RetriesServerErrors(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, n := flakyServer(t, 2, func(w http.ResponseWriter) { writeJSON(w, status, `{}`) })
			c := newTestClient(t, srv.URL)
			if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 3 {
				t.Errorf("requests = %d, want 3", n.Load())
			}
		})
	}
}

func TestClient_RetriesExhaustedReturnsAPIError(t *testing.T) {
	srv, n := flakyServer(t, 100, func(w http.ResponseWriter) {
		w.Header().Set("X-Request-Id", "req-503")
		writeJSON(w, http.StatusServiceUnavailable, `{"error_code":"SMS.9001","error_msg":"busy","request_id":"body-id"}`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	ae, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("err = %v, want *APIError", err)
	}
	want := APIError{Status: 503, URL: srv.URL + "/v3/tasks", Code: "SMS.9001", Message: "busy", RequestID: "req-503", Attempts: 3}
	if *ae != want {
		t.Errorf("APIError = %+v, want %+v", *ae, want)
	}
	if n.Load() != 3 {
		t.Errorf("requests = %d, want 3", n.Load())
	}
	if msg := err.Error(); msg != "HTTP 503 (error_code SMS.9001, request id req-503): busy (gave up after 3 attempts)" {
		t.Errorf("Error() = %q", msg)
	}
}

func TestClient_RetryAfterBeyondMaxFailsAtOnce(t *testing.T) {
	cases := map[string]struct {
		value func() string
		wait  time.Duration
	}{
		"seconds":   {func() string { return "3600" }, time.Hour},
		"http-date": {func() string { return time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat) }, 2 * time.Hour},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv, n := flakyServer(t, 100, func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", tc.value())
				writeJSON(w, http.StatusTooManyRequests, `{"error_code":"APIGW.0308","error_msg":"throttled"}`)
			})
			c := newTestClient(t, srv.URL)
			before := time.Now()
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			ae, ok := AsAPIError(err)
			if !ok || ae.Status != 429 || ae.Attempts != 1 {
				t.Fatalf("err = %v, want APIError 429 after 1 attempt", err)
			}
			if n.Load() != 1 {
				t.Errorf("requests = %d, want 1", n.Load())
			}
			lo, hi := before.Add(tc.wait-2*time.Second), time.Now().Add(tc.wait+time.Second)
			if ae.RetryAfter.Before(lo) || ae.RetryAfter.After(hi) {
				t.Errorf("RetryAfter = %s, want between %s and %s", ae.RetryAfter, lo, hi)
			}
			if !strings.Contains(err.Error(), "retry after") {
				t.Errorf("error does not say when to retry: %v", err)
			}
		})
	}
}

func TestClient_NonRetryable4xxFailsAtOnce(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, n := flakyServer(t, 100, func(w http.ResponseWriter) {
				writeJSON(w, status, fmt.Sprintf(`{"error_code":"SMS.%d","error_msg":"no"}`, status))
			})
			c := newTestClient(t, srv.URL)
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			ae, ok := AsAPIError(err)
			if !ok || ae.Status != status || ae.Code != fmt.Sprintf("SMS.%d", status) || ae.Attempts != 1 {
				t.Fatalf("err = %#v", err)
			}
			if n.Load() != 1 {
				t.Errorf("requests = %d, want exactly 1", n.Load())
			}
		})
	}
}

func TestClient_RetriesTruncatedBody(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeTruncated(t, w, okPage)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	c := newTestClient(t, srv.URL)
	resp, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 || len(resp.Tasks) != 1 || *resp.Tasks[0].ID != "t1" {
		t.Errorf("requests = %d, tasks = %v; want 2 requests and [t1]", n.Load(), taskIDs(resp.Tasks))
	}
}

func TestClient_TruncatedBodyOnEveryAttempt(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeTruncated(t, w, okPage)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	var de *DecodeError
	if err == nil || errors.As(err, &de) || !strings.Contains(err.Error(), "3 attempt") || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("err = %v, want a read error after 3 attempts", err)
	}
	if n.Load() != 3 {
		t.Errorf("requests = %d, want 3", n.Load())
	}
}

func TestClient_RetriesDroppedConnection(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			hangUp(t, w)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	c := newTestClient(t, srv.URL)
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Errorf("requests = %d, want 2", n.Load())
	}
}

func TestClient_RetryAfterGateHoldsOtherRequests(t *testing.T) {
	srv, n := flakyServer(t, 1, func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, `{}`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err == nil {
		t.Fatal("want the 429 as an error, since no retry is allowed")
	}
	c.gateMu.Lock()
	until := c.gateUntil
	c.gateMu.Unlock()
	if time.Until(until) < 20*time.Second {
		t.Fatalf("gate closes until %s, want about 30s from now", until)
	}
	// Another request must wait at the gate rather than reach the server.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.ListTasksPage(ctx, ListTasksQuery{}, 200)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline while waiting at the gate", err)
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

func TestBackoff(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	resp := func(status int, retryAfter string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		if retryAfter != "" {
			r.Header.Set("Retry-After", retryAfter)
		}
		return r
	}
	if got := c.backoff(time.Millisecond, time.Second, 0, resp(429, "7")); got != 7*time.Second {
		t.Errorf("Retry-After 7 gives %s, want exactly 7s", got)
	}
	if got := c.backoff(time.Millisecond, time.Second, 0, resp(503, "0")); got < time.Millisecond {
		t.Errorf("Retry-After 0 gives %s, want at least the 1ms backoff floor", got)
	}
	for attempt := range 12 {
		for range 50 {
			got := c.backoff(10*time.Millisecond, 300*time.Millisecond, attempt, resp(500, "soon"))
			ceiling := min(10*time.Millisecond<<attempt, 300*time.Millisecond)
			if got < 10*time.Millisecond || got > ceiling || got < ceiling/2 {
				t.Fatalf("attempt %d: backoff %s outside [max(min, %s), %s]", attempt, got, ceiling/2, ceiling)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"soon", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"0", 0, true},
		{" 120 ", 120 * time.Second, true},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Saturday, 01-Mar-25 12:01:00 GMT", time.Minute, true},
		{"Sat Mar  1 12:00:05 2025", 5 * time.Second, true},
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0, true},
		{"99999999999999999999999", 10 * 365 * 24 * time.Hour, true},
	}
	for _, tc := range cases {
		got, until, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && !until.Equal(now.Add(got)) {
			t.Errorf("parseRetryAfter(%q) until = %s, want %s", tc.in, until, now.Add(got))
		}
	}
}

func TestClient_RequestTimeoutBoundsEachAttempt(t *testing.T) {
	var n atomic.Int64
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select { // The first attempt hangs until the client gives up on it.
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 200 * time.Millisecond })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatalf("the timed-out attempt was not retried: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("requests = %d, want 2", n.Load())
	}
}

func TestReadBounded(t *testing.T) {
	cases := []struct {
		body     string
		limit    int64
		want     string
		tooLarge bool
	}{
		{"abcd", 4, "abcd", false},
		{"abcde", 4, "abcd", true},
		{"abc", math.MaxInt64, "abc", false},
		{"", 0, "", false},
		{"a", 0, "", true},
	}
	for _, tc := range cases {
		got, tooLarge, err := readBounded(strings.NewReader(tc.body), tc.limit)
		if err != nil || string(got) != tc.want || tooLarge != tc.tooLarge {
			t.Errorf("readBounded(%q, %d) = %q, %v, %v", tc.body, tc.limit, got, tooLarge, err)
		}
	}
}
