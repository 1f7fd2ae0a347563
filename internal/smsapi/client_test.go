package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const okPage = `{"count":1,"tasks":[{"id":"t1","name":"one"}]}`

func TestNew_RejectsInvalidConfig(t *testing.T) {
	auth := TokenAuth{Token: testToken}
	cases := map[string]Config{
		"empty endpoint":     {Auth: auth},
		"relative endpoint":  {Endpoint: "/v3", Auth: auth},
		"no scheme":          {Endpoint: "sms.example.com", Auth: auth},
		"ftp scheme":         {Endpoint: "ftp://sms.example.com", Auth: auth},
		"no host":            {Endpoint: "http://", Auth: auth},
		"port only":          {Endpoint: "http://:8080", Auth: auth},
		"user info":          {Endpoint: "https://user:pw@sms.example.com", Auth: auth},
		"query":              {Endpoint: "https://sms.example.com?x=1", Auth: auth},
		"fragment":           {Endpoint: "https://sms.example.com#x", Auth: auth},
		"nil auth":           {Endpoint: "https://sms.example.com"},
		"typed nil auth":     {Endpoint: "https://sms.example.com", Auth: (*TokenAuth)(nil)},
		"negative retries":   {Endpoint: "https://sms.example.com", Auth: auth, MaxRetries: -1},
		"negative timeout":   {Endpoint: "https://sms.example.com", Auth: auth, RequestTimeout: -time.Second},
		"negative body cap":  {Endpoint: "https://sms.example.com", Auth: auth, MaxResponseBytes: -1},
		"min above max wait": {Endpoint: "https://sms.example.com", Auth: auth, RetryWaitMin: time.Minute, RetryWaitMax: time.Second},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := New(cfg)
			if err == nil {
				t.Fatalf("New accepted %+v: %v", cfg, c)
			}
			if strings.Contains(err.Error(), "pw") {
				t.Errorf("error repeats the endpoint password: %v", err)
			}
		})
	}
}

func TestNew_AppliesDefaults(t *testing.T) {
	c, err := New(Config{Endpoint: "https://sms.example.com", Auth: TokenAuth{Token: testToken}})
	if err != nil {
		t.Fatal(err)
	}
	got := c.cfg
	if got.RequestTimeout != 60*time.Second || got.RetryWaitMin != time.Second || got.RetryWaitMax != 30*time.Second ||
		got.MaxRetryAfter != 60*time.Second || got.MaxResponseBytes != 64<<20 || got.MaxConcurrency != 1 || got.MaxRetries != 0 {
		t.Errorf("defaults = %+v", got)
	}
	if c.http.Timeout != 60*time.Second {
		t.Errorf("http.Client.Timeout = %s, want 60s", c.http.Timeout)
	}
	if s := fmt.Sprintf("%v %+v %#v", c, c.cfg, c.cfg.Auth); strings.Contains(s, testToken) {
		t.Errorf("formatting the client prints the token: %s", s)
	}
}

func TestClient_KeepsEndpointPathPrefix(t *testing.T) {
	for _, suffix := range []string{"", "/", "/prefix", "/prefix/", "/a/b"} {
		t.Run("endpoint"+suffix, func(t *testing.T) {
			var gotPath atomic.Value
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				gotPath.Store(r.URL.Path)
				writeJSON(w, http.StatusOK, okPage)
			})
			c := newTestClient(t, srv.URL+suffix)
			if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimRight(suffix, "/") + "/v3/tasks"
			if got := gotPath.Load(); got != want {
				t.Errorf("path = %v, want %s", got, want)
			}
		})
	}
}

func TestClient_SendsTokenAcceptAndUserAgent(t *testing.T) {
	var hdr atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hdr.Store(r.Header.Clone())
		writeJSON(w, http.StatusOK, okPage)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.UserAgent = "terraform-provider-sms/test" })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	h := hdr.Load().(http.Header)
	if h.Get("X-Auth-Token") != testToken || h.Get("Accept") != "application/json" || h.Get("User-Agent") != "terraform-provider-sms/test" {
		t.Errorf("headers = %v", h)
	}
}

// countingAuth signs each attempt with a fresh value, like AK/SK signing with a date.
type countingAuth struct{ n atomic.Int64 }

func (a *countingAuth) Authenticate(req *http.Request) error {
	req.Header.Set("X-Sig", fmt.Sprint(a.n.Add(1)))
	return nil
}

func TestClient_AuthenticatesEveryAttempt(t *testing.T) {
	var (
		mu   sync.Mutex
		sigs []string
		n    atomic.Int64
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sigs = append(sigs, r.Header.Get("X-Sig"))
		mu.Unlock()
		if n.Add(1) < 3 {
			writeJSON(w, http.StatusServiceUnavailable, `{}`)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	auth := &countingAuth{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = auth })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(sigs, ","); got != "1,2,3" {
		t.Errorf("signatures per attempt = %s, want 1,2,3", got)
	}
}

func TestClient_AuthErrorNotRetried(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1) })
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = TokenAuth{}; cfg.Logger = log })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "token is empty") || !strings.Contains(err.Error(), "1 attempt") {
		t.Fatalf("err = %v, want an empty-token error after 1 attempt", err)
	}
	if n.Load() != 0 {
		t.Errorf("server saw %d requests, want 0", n.Load())
	}
}

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
	want := APIError{Status: 503, Code: "SMS.9001", Message: "busy", RequestID: "req-503", Attempts: 3}
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

func TestClient_RefusesRedirectToOtherHost(t *testing.T) {
	var otherHits atomic.Int64
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		if r.Header.Get("X-Auth-Token") != "" {
			t.Errorf("the other host received a token")
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	var hits atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, other.URL+"/v3/tasks?"+r.URL.RawQuery, http.StatusFound)
	})
	c := newTestClient(t, srv.URL)
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	assertNoToken(t, "error", err.Error())
	if otherHits.Load() != 0 || hits.Load() != 1 {
		t.Errorf("other host hits = %d (want 0), endpoint hits = %d (want 1)", otherHits.Load(), hits.Load())
	}
}

func TestClient_FollowsSameHostRedirectWithToken(t *testing.T) {
	var (
		mu     sync.Mutex
		tokens []string
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokens = append(tokens, r.Header.Get("X-Auth-Token"))
		mu.Unlock()
		if r.URL.Path == "/v3/tasks" {
			http.Redirect(w, r, "/moved/v3/tasks?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	c := newTestClient(t, srv.URL)
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(tokens) != 2 || tokens[0] != testToken || tokens[1] != testToken {
		t.Errorf("tokens per hop = %d entries, want the token on both hops", len(tokens))
	}
}

func TestClient_TokenNeverInErrors(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"echoed in error_msg": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "id-"+r.Header.Get("X-Auth-Token"))
			writeJSON(w, http.StatusUnauthorized, `{"error_code":"SMS.0202","error_msg":"bad token `+r.Header.Get("X-Auth-Token")+`"}`)
		},
		"echoed in html body": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<html><body><p>%s denied</p></body></html>", r.Header.Get("X-Auth-Token"))
		},
		"echoed in a 200 body": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, "oops "+r.Header.Get("X-Auth-Token"))
		},
		"echoed in a malformed status line": func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 %s\r\n\r\n", r.Header.Get("X-Auth-Token"))
			_ = buf.Flush()
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			log := &captureLogger{}
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log; cfg.MaxRetries = 1 })
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if err == nil {
				t.Fatal("want an error")
			}
			assertNoToken(t, "error", err.Error())
			assertNoToken(t, "error (%#v)", fmt.Sprintf("%#v", err))
			if ae, ok := AsAPIError(err); ok && !strings.Contains(ae.Message+ae.RequestID, "[REDACTED]") {
				t.Errorf("the echoed token was not masked: %+v", ae)
			}
			for _, e := range log.all() {
				assertNoToken(t, "log line", fmt.Sprint(e))
			}
		})
	}
}

func TestClient_LogsEachAttemptWithoutToken(t *testing.T) {
	srv, _ := flakyServer(t, 1, func(w http.ResponseWriter) { writeJSON(w, http.StatusServiceUnavailable, `{}`) })
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{State: ptr("RUNNING")}, 0); err != nil {
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
		if f["method"] != "GET" || f["path"] != "/v3/tasks" || f["query"] != "limit=200&offset=0&state=RUNNING" ||
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

func TestClient_TLSVerification(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, okPage)
	}))
	t.Cleanup(srv.Close)

	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatalf("Insecure: %v", err)
	}

	log := &captureLogger{}
	c = newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	attempts := 0
	for _, e := range log.all() {
		if e.msg == "smsapi: sending request" {
			attempts++
		}
	}
	if attempts != 1 {
		t.Errorf("attempts = %d, want 1 (a certificate error is not transient)", attempts)
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
	if got := c.backoff(time.Millisecond, time.Second, 0, resp(503, "0")); got != 0 {
		t.Errorf("Retry-After 0 gives %s, want 0", got)
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

func TestClient_NilInputsDoNotPanic(t *testing.T) {
	var c *Client
	if _, err := c.ListTasks(context.Background(), ListTasksQuery{}); err == nil {
		t.Error("nil client: want an error")
	}
	c = newTestClient(t, "http://127.0.0.1:1")
	//nolint:staticcheck // A nil context is exactly what this test feeds in.
	if _, err := c.ListTasksPage(nil, ListTasksQuery{}, 0); err == nil {
		t.Error("nil context: want an error")
	}
}
