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
			writeRaw(t, w, "HTTP/1.1 "+r.Header.Get("X-Auth-Token")+"\r\n\r\n")
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

func TestAuthTransport_RefusesForeignOrigin(t *testing.T) {
	auth := &countingAuth{}
	tr := &authTransport{base: http.DefaultTransport, auth: auth, origin: "https://sms.example.com:443"}
	req, err := http.NewRequest(http.MethodGet, "https://evil.example.com/v3/tasks", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.RoundTrip(req); !errors.Is(err, errForeignOrigin) {
		t.Errorf("err = %v, want errForeignOrigin", err)
	}
	if auth.n.Load() != 0 {
		t.Error("the Authenticator ran for a foreign host")
	}
	for _, same := range []string{"https://SMS.example.com/x", "https://sms.example.com:443/x"} {
		u, _ := http.NewRequest(http.MethodGet, same, nil)
		if got := originOf(u.URL); got != tr.origin {
			t.Errorf("originOf(%s) = %s, want %s", same, got, tr.origin)
		}
	}
}
