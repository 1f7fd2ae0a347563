package smsapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

func TestClient_SendsTokenAcceptAndUserAgent(t *testing.T) {
	var hdr atomic.Pointer[http.Header]
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		hdr.Store(&h)
		writeJSON(w, http.StatusOK, okPage)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.UserAgent = "terraform-provider-sms/test" })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	h := *hdr.Load()
	if h.Get("X-Auth-Token") != testToken || h.Get("Accept") != "application/json" || h.Get("User-Agent") != "terraform-provider-sms/test" {
		t.Errorf("headers = %v", h)
	}
}

func TestClient_LogsEachAttemptWithoutToken(t *testing.T) {
	srv, _ := flakyServer(t, 1, func(w http.ResponseWriter) { writeJSON(w, http.StatusServiceUnavailable, `{}`) })
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{Name: ptr("n")}, 0); err != nil {
		t.Fatal(err)
	}
	var responses []logEntry
	for _, e := range log.all() {
		assertNoToken(t, "log line", fmt.Sprint(e))
		for k := range e.fields {
			if strings.Contains(strings.ToLower(k), "header") || strings.Contains(strings.ToLower(k), "token") {
				t.Errorf("log field %q may carry credentials", k)
			}
		}
		if e.msg == "smsapi: received response" {
			responses = append(responses, e)
		}
	}
	if len(responses) != 2 {
		t.Fatalf("response log lines = %d, want 2: %v", len(responses), log.all())
	}
	for i, e := range responses {
		f := e.fields
		wantStatus := []int{503, 200}[i]
		if f["method"] != "GET" || f["path"] != "/v3/tasks" || f["query"] != "limit=200&name=n&offset=0" ||
			f["status"] != wantStatus || f["attempt"] != i+1 {
			t.Errorf("response %d fields = %v", i, f)
		}
		if d, ok := f["duration"].(string); !ok || d == "" {
			t.Errorf("response %d duration = %v", i, f["duration"])
		}
	}
	if responses[0].level != "warn" || responses[1].level != "debug" {
		t.Errorf("levels = %s, %s; want warn, debug", responses[0].level, responses[1].level)
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

// endless writes an unbounded body: prefix, then filler until the client goes away.
func endless(status int, prefix string, filler byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(prefix))
		chunk := bytes.Repeat([]byte{filler}, 64<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// A 200 body that never ends is cut at the default cap of 64 MiB, reported as too large and not
// retried, because another attempt would read the same endless body again.
func TestListTasksPage_EndlessBodyStopsAtDefaultCap(t *testing.T) {
	var n atomic.Int64
	h := endless(http.StatusOK, `{"count":1,"tasks":[`, ' ')
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1); h(w, r) })
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = 0 }) // 0 selects the default.
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Fatalf("err = %v, want a DecodeError naming the %d-byte cap", err, DefaultMaxResponseBytes)
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1", n.Load())
	}
}

// An endless error body is capped too; the error keeps only a short excerpt of it.
func TestListTasksPage_EndlessErrorBody(t *testing.T) {
	srv := newServer(t, endless(http.StatusServiceUnavailable, "<html><body>busy ", 'x'))
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = 1 << 20; cfg.MaxRetries = 1 })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	ae, ok := AsAPIError(err)
	if !ok || ae.Status != 503 || ae.Attempts != 2 {
		t.Fatalf("err = %v, want an APIError 503 after 2 attempts", err)
	}
	if !strings.HasPrefix(ae.Message, "busy x") || utf8.RuneCountInString(ae.Message) > excerptLen+1 {
		t.Errorf("Message = %.300q, want a short excerpt", ae.Message)
	}
}

// The cap applies to the decompressed body: a small gzip response that inflates to far more than
// the cap is refused instead of filling memory.
func TestListTasksPage_GzipBombIsCapped(t *testing.T) {
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	_, _ = zw.Write([]byte(`{"count":1,"tasks":[`))
	_, _ = zw.Write(bytes.Repeat([]byte{' '}, 8<<20))
	_ = zw.Close()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("the client did not offer gzip, so this test proves nothing")
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(packed.Bytes())
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = 1 << 20 })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("err = %v, want a DecodeError about the cap (compressed size %d)", err, packed.Len())
	}
}

// A body that arrives one byte at a time, forever, is bounded by RequestTimeout per attempt, which
// covers reading the body and not only waiting for the headers.
func TestListTasksPage_TricklingBodyHitsRequestTimeout(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"count":1,`))
		rc := http.NewResponseController(w)
		for {
			_ = rc.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond; cfg.MaxRetries = 1 })
	start := time.Now()
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "2 attempt") || !strings.Contains(err.Error(), "the response body did not arrive in full within the request timeout (300ms)") {
		t.Fatalf("err = %v, want a body read timeout after 2 attempts", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v does not match context.DeadlineExceeded", err)
	}
	if n.Load() != 2 {
		t.Errorf("requests = %d, want 2", n.Load())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s; the request timeout did not bound the attempts", d)
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
