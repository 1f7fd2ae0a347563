package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseErrorBody(t *testing.T) {
	cases := map[string]struct {
		body             string
		code, msg, reqID string
		found            bool
	}{
		"huawei":        {`{"error_code":"SMS.0202","error_msg":"token expired","request_id":"r1"}`, "SMS.0202", "token expired", "r1", true},
		"gateway":       {`{"error_msg":"The API does not exist","error_code":"APIGW.0101","request_id":"r2"}`, "APIGW.0101", "The API does not exist", "r2", true},
		"nested":        {`{"error":{"code":"IAM.0001","message":"bad","request_id":"r3"}}`, "IAM.0001", "bad", "r3", true},
		"nested number": {`{"error":{"code":401,"message":"unauthorized"}}`, "401", "unauthorized", "", true},
		"camel case":    {`{"errorCode":"E1","errorMsg":"camel"}`, "E1", "camel", "", true},
		"code message":  {`{"code":"C","message":"M"}`, "C", "M", "", true},
		"error string":  {`{"error":"just text"}`, "", "just text", "", true},
		"nulls":         {`{"error_code":null,"error_msg":null}`, "", "", "", false},
		"empty object":  {`{}`, "", "", "", false},
		"html":          {`<html>oops</html>`, "", "", "", false},
		"array":         {`[{"error_code":"X"}]`, "", "", "", false},
		"broken json":   {`{"error_code":"X"`, "", "", "", false},
		"wrong types":   {`{"error_code":{"a":1},"error_msg":["x"]}`, `{"a":1}`, `["x"]`, "", true},
		"boolean code":  {`{"error_code":true}`, "true", "", "", true},
		"empty values":  {`{"error_code":{},"error_msg":[],"errorCode":"","error":{}}`, "", "", "", false},
		"other object":  {`{"error":{"reason":"quota"}}`, "", `{"reason":"quota"}`, "", true},
	}
	for name, tc := range cases {
		got := parseErrorBody([]byte(tc.body))
		want := errorBody{code: tc.code, message: tc.msg, requestID: tc.reqID, found: tc.found}
		if got != want {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

func TestAPIError_FromNonJSONBody(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><head><style>p{}</style><title>404</title></head>\n<body><p>Not   Found</p>"+strings.Repeat("x", 5000)+"</body></html>")
	})
	c := newTestClient(t, srv.URL)
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	ae, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(ae.Message, "404 Not Found x") || len([]rune(ae.Message)) > excerptLen+1 || ae.Code != "" {
		t.Errorf("Message = %q, Code = %q", ae.Message, ae.Code)
	}
}

func TestAPIError_Error(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		err  APIError
		want string
	}{
		{APIError{Status: 401, Code: "SMS.0202", RequestID: "abc", Message: "message", Attempts: 1},
			"HTTP 401 (error_code SMS.0202, request id abc): message"},
		{APIError{Status: 404, Attempts: 1}, "HTTP 404: Not Found"},
		{APIError{Status: 499}, "HTTP 499"},
		{APIError{Status: 500, RequestID: "r", Message: "m", Attempts: 4}, "HTTP 500 (request id r): m (gave up after 4 attempts)"},
		{APIError{Status: 429, Code: "APIGW.0308", Message: "slow down", Attempts: 1, RetryAfter: at},
			"HTTP 429 (error_code APIGW.0308): slow down; the API asks to retry after 2030-01-02T03:04:05Z"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	var nilErr *APIError
	if nilErr.Error() == "" {
		t.Error("nil APIError has an empty message")
	}
}

func TestAsAPIError(t *testing.T) {
	ae := &APIError{Status: 403}
	if got, ok := AsAPIError(fmt.Errorf("reading tasks: %w", ae)); !ok || got != ae {
		t.Errorf("wrapped: got %v, %v", got, ok)
	}
	if got, ok := AsAPIError(errors.New("other")); ok || got != nil {
		t.Errorf("other error: got %v, %v", got, ok)
	}
	if got, ok := AsAPIError(nil); ok || got != nil {
		t.Errorf("nil: got %v, %v", got, ok)
	}
}

func TestDecodeError_ErrorAndUnwrap(t *testing.T) {
	var syn *json.SyntaxError
	_, inner := decodeTasksPage([]byte(`{"count":1,"tasks":[}`), 0)
	de := &DecodeError{Offset: 400, RequestID: "rid", Err: inner}
	if msg := de.Error(); !strings.Contains(msg, "offset 400") || !strings.Contains(msg, "request id rid") || !strings.Contains(msg, "malformed JSON") {
		t.Errorf("Error() = %q", msg)
	}
	if !errors.As(de, &syn) {
		t.Error("the json.SyntaxError is not reachable through Unwrap")
	}
	var nilDE *DecodeError
	if nilDE.Error() == "" || nilDE.Unwrap() != nil {
		t.Error("nil DecodeError misbehaves")
	}
}

func TestExcerptAndTruncate(t *testing.T) {
	if got := excerpt([]byte("a\x00\xffb  c\n\nd"), 100); got != "a\x00\uFFFDb c d" {
		t.Errorf("excerpt = %q", got)
	}
	if got := excerpt([]byte("<p>x<script>alert(1)</script>y</p>"), 100); got != "x y" {
		t.Errorf("excerpt of html = %q", got)
	}
	if got := truncate("héllo wörld", 5); got != "héllo…" {
		t.Errorf("truncate = %q", got)
	}
	if got := truncate("short", 5); got != "short" {
		t.Errorf("truncate = %q", got)
	}
}

// Issue 10, item 9: the wording of errors that reach users.
func TestClient_ErrorWording(t *testing.T) {
	t.Run("token with a newline", func(t *testing.T) {
		c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Auth = TokenAuth{Token: testToken + "\n"} })
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "line break") {
			t.Errorf("err = %v, want ErrCredentials naming the line break", err)
		}
	})
	t.Run("no package prefix or Go timeout text", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) })
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond; cfg.MaxRetries = 0 })
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "smsapi:") ||
			strings.Contains(err.Error(), "Client.Timeout") || !strings.Contains(err.Error(), "within the request timeout (50ms)") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("redirect refused", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example.com/v3/tasks", http.StatusFound)
		})
		_, err := newTestClient(t, srv.URL).ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, ErrRedirectRefused) || strings.Contains(err.Error(), "smsapi:") {
			t.Errorf("err = %v, want ErrRedirectRefused", err)
		}
	})
	t.Run("404 names the URL", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
		_, err := newTestClient(t, srv.URL).ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if ae, ok := AsAPIError(err); !ok || ae.URL != srv.URL+"/v3/tasks" {
			t.Errorf("err = %v, want an APIError naming %s/v3/tasks", err, srv.URL)
		}
	})
	t.Run("numbers", func(t *testing.T) {
		for body, want := range map[string]string{
			`{"count":1.0,"tasks":[]}`:                              "1.0 is written with a fraction or an exponent, want a plain integer",
			`{"count":1,"tasks":[{"create_date":1700000000000.0}]}`: "1700000000000.0 is written with a fraction or an exponent",
			`{"count":1,"tasks":[{"migrate_speed":1e400}]}`:         "1e400 is beyond the range of a 64-bit floating-point number",
			`[]`: "the body is a JSON array, want an object",
		} {
			if _, err := decodeTasksPage([]byte(body), 0); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err = %v, want %q", body, err, want)
			}
		}
	})
}
