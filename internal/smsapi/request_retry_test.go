package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

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

// When retries run out after different failures, the error describes the last answer: its
// status, error_code, error_msg and request id, not the first one's.
func TestClient_ExhaustedRetriesReportLastAnswer(t *testing.T) {
	answers := []func(w http.ResponseWriter){
		func(w http.ResponseWriter) {
			w.Header().Set("X-Request-Id", "first")
			writeJSON(w, 500, `{"error_code":"SMS.0001","error_msg":"first failure"}`)
		},
		func(w http.ResponseWriter) { writeJSON(w, 502, `<html><h1>502 Bad Gateway</h1></html>`) },
		func(w http.ResponseWriter) {
			w.Header().Set("X-Request-Id", "last")
			writeJSON(w, 503, `{"error_code":"SMS.9001","error_msg":"still busy"}`)
		},
	}
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answers[min(int(n.Add(1))-1, 2)](w) })
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	ae, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("err = %v, want an APIError", err)
	}
	want := APIError{Status: 503, URL: srv.URL + "/v3/tasks", Code: "SMS.9001", Message: "still busy", RequestID: "last", Attempts: 3}
	if *ae != want {
		t.Errorf("APIError = %+v, want %+v", *ae, want)
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

// Issue 10, item 4: "Retry-After: 0" and a date in the past keep the normal backoff.
func TestClient_RetryAfterZeroKeepsTheBackoffFloor(t *testing.T) {
	for name, value := range map[string]string{
		"zero":         "0",
		"date in past": time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat),
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := flakyServer(t, 100, func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", value)
				writeJSON(w, http.StatusServiceUnavailable, `{}`)
			})
			const floor = 40 * time.Millisecond
			c := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.MaxRetries = 4
				cfg.RetryWaitMin = floor
				cfg.RetryWaitMax = 100 * time.Millisecond
			})
			start := time.Now()
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if _, ok := AsAPIError(err); !ok || n.Load() != 5 {
				t.Fatalf("err = %v after %d requests, want the 503 after 5", err, n.Load())
			}
			// A lower bound only: a loaded machine makes it slower, never faster.
			if elapsed := time.Since(start); elapsed < 4*floor {
				t.Errorf("5 attempts took %s, want at least 4 backoffs of %s", elapsed, floor)
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

// A transient fault on any page, the first or a later one, is retried and the listing completes
// whole and in order; the fault costs exactly one extra request.
func TestListTasks_TransientFaultOnAnyPage(t *testing.T) {
	faults := map[string]func(t *testing.T, w http.ResponseWriter){
		"429":       func(_ *testing.T, w http.ResponseWriter) { writeJSON(w, 429, `{"error_code":"APIG.0308"}`) },
		"500":       func(_ *testing.T, w http.ResponseWriter) { writeJSON(w, 500, `{}`) },
		"502":       func(_ *testing.T, w http.ResponseWriter) { writeJSON(w, 502, `<html>Bad Gateway</html>`) },
		"503":       func(_ *testing.T, w http.ResponseWriter) { writeJSON(w, 503, `{}`) },
		"504":       func(_ *testing.T, w http.ResponseWriter) { writeJSON(w, 504, ``) },
		"dropped":   func(t *testing.T, w http.ResponseWriter) { hangUp(t, w) },
		"truncated": func(t *testing.T, w http.ResponseWriter) { writeTruncated(t, w, okPage+strings.Repeat(" ", 100)) },
	}
	for name, fail := range faults {
		for _, offset := range []string{"0", "40"} {
			t.Run(name+" at offset "+offset, func(t *testing.T) {
				api := newFakeAPI(t, 55, 55)
				var failed atomic.Bool
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("offset") == offset && failed.CompareAndSwap(false, true) {
						fail(t, w)
						return
					}
					api.ServeHTTP(w, r)
				})
				c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxConcurrency = 3 })
				list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 20})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(taskIDs(list.Items), api.ids) || list.Incomplete() {
					t.Errorf("tasks = %v", taskIDs(list.Items))
				}
				// Three pages plus the failed attempt, which fakeAPI does not see.
				if api.requests() != 3 || list.Requests != 3 {
					t.Errorf("pages served = %d, pages counted = %d, want 3", api.requests(), list.Requests)
				}
			})
		}
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
