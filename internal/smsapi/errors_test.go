package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDecodeListTasks_RejectsBadBodies(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"empty":               {"", "body is empty"},
		"whitespace":          {" \n\t", "body is empty"},
		"html":                {"<html><body><h1>502 Bad Gateway</h1></body></html>", "HTML"},
		"array":               {`[{"id":"a"}]`, "the body is a JSON array, want an object"},
		"null":                {`null`, "JSON null"},
		"string":              {`"tasks"`, "a JSON string"},
		"number":              {`42`, "JSON number"},
		"not json":            {`count=1`, "not JSON"},
		"malformed":           {`{"count":1,"tasks":[}`, "malformed JSON at byte"},
		"truncated":           {referenceExample[:100], "ends early after 100 bytes"},
		"trailing data":       {`{"count":1,"tasks":[]} {}`, "malformed JSON"},
		"tasks not an array":  {`{"count":1,"tasks":{"id":"a"}}`, `field "tasks" at byte`},
		"tasks a string":      {`{"count":1,"tasks":"none"}`, "got JSON string, want an array"},
		"task not an object":  {`{"count":1,"tasks":[7]}`, "want an object"},
		"count beyond int64":  {`{"count":9223372036854775808,"tasks":[]}`, "9223372036854775808 is outside the range of a 64-bit integer"},
		"date beyond int64":   {`{"count":1,"tasks":[{"create_date":1e19}]}`, "1e19 is written with a fraction or an exponent, want a plain integer"},
		"fractional priority": {`{"count":1,"tasks":[{"priority":1.5}]}`, "1.5 is written with a fraction or an exponent"},
		"count as string":     {`{"count":"3","tasks":[]}`, "got JSON string, want an integer"},
		"bool as string":      {`{"count":1,"tasks":[{"syncing":"yes"}]}`, "want a boolean"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resp, err := decodeTasksPage([]byte(tc.body), 0)
			if err == nil || resp != nil {
				t.Fatalf("decoded %q without error: %+v", tc.body, resp)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
		})
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
		"wrong types":   {`{"error_code":{"a":1},"error_msg":["x"]}`, "", "", "", false},
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
