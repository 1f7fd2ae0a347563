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
