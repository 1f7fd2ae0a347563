package smsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"
)

func TestGetAnswer_BadBodies(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{``, "the body is empty, want a JSON object of counters"},
		{`[1]`, "the body is a JSON array, want a JSON object of counters"},
		{`<html>`, "HTML"},
		{`{"waiting":"3"}`, `field "waiting"`},
		{`{"waiting":1e400}`, "waiting"},
		{`{"waiting":3`, "truncated"},
		{`{"waiting":9223372036854775808}`, "outside the range of a 64-bit integer"},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-bad")
			writeJSON(w, 200, c.body)
		})
		_, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) ||
			!strings.Contains(err.Error(), "invalid response for source server overview (request id req-bad)") {
			t.Errorf("body %q: err = %v, want it to mention %q", c.body, err, c.want)
		}
	}
}

func TestListTasksPage_DecodeErrorsAreNotRetried(t *testing.T) {
	cases := map[string]struct {
		body  string
		limit int64
		want  string
	}{
		"malformed json":     {`{"count":`, 0, "ends early"},
		"html body":          {`<!DOCTYPE html><html><title>Login</title></html>`, 0, "HTML"},
		"not an object":      {`[1,2]`, 0, "array"},
		"tasks not an array": {`{"count":1,"tasks":true}`, 0, "want an array"},
		"beyond int64":       {`{"count":1,"tasks":[{"total_time":99999999999999999999}]}`, 0, "outside the range of a 64-bit integer"},
		"over the size cap":  {`{"count":1,"tasks":[{"id":"` + strings.Repeat("x", 200) + `"}]}`, 100, "larger than 100 bytes, the most that is read for one page; use a smaller page size"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int64
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("X-Request-Id", "rid-7")
				writeJSON(w, http.StatusOK, tc.body)
			})
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = tc.limit })
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{PageSize: 20}, 40)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a DecodeError", err)
			}
			if de.Offset != 40 || de.RequestID != "rid-7" || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("DecodeError = %+v (%v)", de, err)
			}
			if !strings.Contains(err.Error(), "offset 40") || !strings.Contains(err.Error(), "request id rid-7") {
				t.Errorf("message does not name offset and request id: %v", err)
			}
			if n.Load() != 1 {
				t.Errorf("requests = %d, want 1", n.Load())
			}
		})
	}
}

// FuzzErrorResponse feeds arbitrary statuses, headers and bodies through the path that turns an
// answer into an error: no panic, no control character, no credential, bounded length.
func FuzzErrorResponse(f *testing.F) {
	f.Add(403, "rid\x1b[2J", []byte(`{"error_code":"SMS.0403","error_msg":"\u001b[2J`+testToken+`"}`))
	f.Add(200, strings.Repeat("r", 5000), []byte(`{"error_code":"SMS.9999","error_msg":"busy"}`))
	f.Add(502, "", []byte("<html><body>\x07Bad gateway "+testToken[:20]+"</body></html>"))
	f.Add(200, "\u202eid", []byte(`{"count":1e400,"tasks":[]}`))
	c := newTestClient(f, "http://127.0.0.1:1")
	f.Fuzz(func(t *testing.T, status int, requestID string, body []byte) {
		if status < 100 || status > 599 {
			status = 500
		}
		ex := &exchange{url: "http://127.0.0.1:1/v3/tasks", status: status,
			header: http.Header{"X-Request-Id": {requestID}}, body: body}
		// readAnswer is what getAnswer does with a final answer: an *APIError for a non-2xx, a
		// *DecodeError for a 2xx it cannot use.
		var msgs []string
		if _, err := readAnswer(c, ex, tasksList.answer(0, 0, nil), new(ListTasksResponse)); err != nil {
			msgs = append(msgs, err.Error())
		}
		for _, msg := range msgs {
			assertPrintable(t, "error", msg)
			assertNoToken(t, "error", msg)
			if n := utf8.RuneCountInString(msg); n > 4*maxMessageLen {
				t.Errorf("error of %d runes", n)
			}
		}
	})
}
