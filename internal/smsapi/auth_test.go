package smsapi

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

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

// Issue 10, item 11: proxy credentials from the environment are masked like the others.
func TestClient_ProxyCredentialEchoIsMasked(t *testing.T) {
	proxy := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusProxyAuthRequired)
		fmt.Fprintf(w, "denied: Proxy-Authorization: %s", r.Header.Get("Proxy-Authorization"))
	})
	proxyURL, _ := url.Parse(proxy.URL)
	proxyURL.User = url.UserPassword("ci-user", "proxy-pass-9876")
	t.Setenv("HTTP_PROXY", proxyURL.String())
	c := newTestClient(t, "http://sms.example.invalid")
	// net/http reads the proxy variables once per process; hand the transport this proxy directly.
	at, ok := c.http.Transport.(*authTransport)
	if !ok {
		t.Fatalf("transport is %T", c.http.Transport)
	}
	base, ok := at.base.(*http.Transport)
	if !ok {
		t.Fatalf("base transport is %T", at.base)
	}
	base.Proxy = http.ProxyURL(proxyURL)
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	basic := base64.StdEncoding.EncodeToString([]byte("ci-user:proxy-pass-9876"))
	if _, ok := AsAPIError(err); !ok || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("err = %v, want the proxy's 407", err)
	}
	if strings.Contains(err.Error(), basic) || strings.Contains(err.Error(), "proxy-pass-9876") {
		t.Errorf("the error shows the proxy credential: %v", err)
	}
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
