package smsapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// These tests cover hostile or broken answers that the decoder tests in errors_test.go and the
// retry tests in retry_test.go leave out: bodies without end, compressed bodies that expand past
// the cap, bodies that trickle, empty successes, odd JSON, faults on later pages, redirects that
// change scheme or never end. Each must end in a clear error (or the right data), never a panic
// or a hang.

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

// A success without a body (200 with Content-Length 0) is a clear decode error, and so is any
// 2xx but 200 (204 No Content, 206 Partial Content with a whole page's body): the references
// document 200 only, and a partial answer must not pass a gate.
func TestListTasksPage_EmptySuccess(t *testing.T) {
	for status, want := range map[int]string{
		http.StatusOK:             "body is empty",
		http.StatusNoContent:      "HTTP 204 No Content, where only 200 OK carries a whole answer",
		http.StatusPartialContent: "HTTP 206 Partial Content, where only 200 OK carries a whole answer",
	} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if status == http.StatusOK {
					w.Header().Set("Content-Length", "0")
					w.WriteHeader(status)
					return
				}
				writeJSON(w, status, `{"count":1,"tasks":[{"id":"t1","state":"MIGRATE_SUCCESS"}]}`)
			})
			c := newTestClient(t, srv.URL)
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want a DecodeError saying %q", err, want)
			}
			_, err = c.ShowTask(context.Background(), "t1")
			if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
				t.Fatalf("ShowTask: err = %v, want a DecodeError saying %q", err, want)
			}
		})
	}
}

// Odd but possible JSON: every input gives a clear error or well-formed data, never a panic.
func TestDecodeListTasks_OddJSON(t *testing.T) {
	deep := `{"count":1,"tasks":[{"sub_tasks":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}]}`
	failures := map[string]struct{ body, want string }{
		"nesting beyond the decoder's depth": {deep, "malformed JSON"},
		"NaN":                                {`{"count":NaN,"tasks":[]}`, "malformed JSON"},
		"leading zero":                       {`{"count":01,"tasks":[]}`, "malformed JSON"},
		"exponent in an integer field":       {`{"count":1e3,"tasks":[]}`, "1e3 is written with a fraction or an exponent"},
		"negative beyond int64":              {`{"count":-9223372036854775809,"tasks":[]}`, "outside the range of a 64-bit integer"},
		"byte order mark":                    {"\ufeff{\"count\":0,\"tasks\":[]}", "not JSON"},
		"sub_tasks not an array":             {`{"count":1,"tasks":[{"sub_tasks":{}}]}`, "want an array"},
		"source_server not an object":        {`{"count":1,"tasks":[{"source_server":"srv"}]}`, "want an object"},
	}
	for name, tc := range failures {
		t.Run(name, func(t *testing.T) {
			resp, err := decodeTasksPage([]byte(tc.body), 0)
			if err == nil || resp != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("decodeTasksPage = %v, %v; want an error containing %q", resp, err, tc.want)
			}
		})
	}

	// Invalid UTF-8 inside a string becomes U+FFFD, so the value can go into the Terraform state.
	resp, err := decodeTasksPage([]byte("{\"count\":1,\"tasks\":[{\"name\":\"bad \xff\xfe name\"}]}"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if name := *resp.Tasks[0].Name; !utf8.ValidString(name) || name != "bad \uFFFD\uFFFD name" {
		t.Errorf("name = %q, want valid UTF-8 with replacement characters", name)
	}
	// A repeated key is rejected (TestDecodeListTasks_RepeatedKeys has the cases).
	resp, err = decodeTasksPage([]byte(`{"count":1,"count":2,"tasks":[]}`), 0)
	if err == nil || resp != nil {
		t.Errorf("repeated key: %v, %v", resp, err)
	}
	// Unknown fields are ignored, so new API fields do not break old providers.
	resp, err = decodeTasksPage([]byte(`{"count":1,"next_marker":"x","tasks":[{"id":"a","brand_new":{"x":[1]}}]}`), 0)
	if err != nil || len(resp.Tasks) != 1 || *resp.Tasks[0].ID != "a" {
		t.Errorf("unknown fields: %v, %v", resp, err)
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

// Redirects that keep the host but change the scheme, or that never end, are refused; neither
// carries the token anywhere but the configured origin.
func TestClient_RedirectEdgeCases(t *testing.T) {
	t.Run("https to http on the same host and port", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+r.Host+r.URL.RequestURI(), http.StatusFound)
		}))
		t.Cleanup(srv.Close)
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true })
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if err == nil || !strings.Contains(err.Error(), "redirected to http://") || !strings.Contains(err.Error(), "not the configured endpoint") {
			t.Fatalf("err = %v, want the downgrade refused", err)
		}
	})
	t.Run("endless loop on the same host", func(t *testing.T) {
		var hits atomic.Int64
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Auth-Token") != testToken {
				t.Errorf("hop %d lost the token", hits.Load())
			}
			hits.Add(1)
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		})
		c := newTestClient(t, srv.URL)
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("stopped after %d redirects", maxRedirects)) {
			t.Fatalf("err = %v, want the redirect loop stopped", err)
		}
		if hits.Load() != maxRedirects {
			t.Errorf("hops = %d, want %d and no retry of the loop", hits.Load(), maxRedirects)
		}
	})
	t.Run("a Location that is not a URL, holding the token", func(t *testing.T) {
		const token = "MIIEabc+def/ghiJKLmnoPQR=stuvWXyz0123=="
		var hits atomic.Int64
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Location", "http://user:"+token+"@"+r.Host+"/x?token="+token)
			w.WriteHeader(http.StatusMovedPermanently)
		})
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = TokenAuth{Token: token} })
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, ErrRedirectRefused) || !strings.Contains(err.Error(), "Location header of the API's redirect is not a valid URL") {
			t.Fatalf("err = %v, want the redirect refused", err)
		}
		if strings.Contains(err.Error(), "MIIEabc") || strings.Contains(err.Error(), "/x") {
			t.Errorf("err = %v, want no part of the Location", err)
		}
		if hits.Load() != 1 {
			t.Errorf("requests = %d, want 1: a malformed redirect is not retried", hits.Load())
		}
	})
}

// An API that answers 401 and echoes the rejected IAM token: the client renews the token and
// retries, and neither the renewal's log line nor the final error shows the old or the new token,
// although the old one is no longer the current credential when the line is written.
func TestClient_RejectedIAMTokenEchoIsMasked(t *testing.T) {
	var issued atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/auth/tokens") {
			w.Header().Set("X-Subject-Token", fmt.Sprintf("MIIiam-token-%d-0123456789abcdef", issued.Add(1)))
			writeJSON(w, http.StatusCreated, `{"token":{}}`)
			return
		}
		token := r.Header.Get("X-Auth-Token")
		w.Header().Set("X-Request-Id", "rid-"+token)
		writeJSON(w, http.StatusUnauthorized, `{"error_code":"APIG.1002","error_msg":"bad token `+token+`"}`)
	})
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Auth = &IAMPasswordAuth{AuthURL: srv.URL + "/v3", UserName: "u", Password: "pw-0123456789-secret", DomainName: "d"}
		cfg.Logger = log
	})
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if _, ok := AsAPIError(err); !ok {
		t.Fatalf("err = %v, want the second 401", err)
	}
	if issued.Load() != 2 {
		t.Fatalf("tokens issued = %d, want 2 (one renewal)", issued.Load())
	}
	texts := []string{err.Error()}
	for _, e := range log.all() {
		texts = append(texts, fmt.Sprint(e))
	}
	for _, text := range texts {
		if strings.Contains(text, "MIIiam-token-") || strings.Contains(text, "pw-0123456789") {
			t.Errorf("a token or the password leaked: %s", text)
		}
	}
}
