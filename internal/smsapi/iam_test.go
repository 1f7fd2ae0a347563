package smsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

const (
	iamUser     = "ci-reader"
	iamPassword = "Pa55word-0123456789-SECRET"
	iamDomain   = "acme-cloud"
)

// startIAMEmulator serves tasks and the IAM token endpoint for one user.
func startIAMEmulator(t *testing.T, tasks int) *emulator.Server {
	t.Helper()
	server := emulator.NewTestServer(emulator.Options{
		Tasks:    emulator.GenerateTasks(tasks, 1),
		IAMUsers: []emulator.IAMUser{{Name: iamUser, Password: iamPassword, DomainName: iamDomain}},
	})
	t.Cleanup(func() { _ = server.Close() })
	return server
}

// logText renders every captured log line, for searching.
func logText(l *captureLogger) string {
	var b strings.Builder
	for _, e := range l.all() {
		fmt.Fprintln(&b, e.level, e.msg, e.fields)
	}
	return b.String()
}

func newIAMAuth(authURL string) *IAMPasswordAuth {
	return &IAMPasswordAuth{AuthURL: authURL, UserName: iamUser, Password: iamPassword, DomainName: iamDomain}
}

func TestIAMPasswordAuth_RequestShape(t *testing.T) {
	var got struct {
		path, query, contentType, userAgent string
		body                                map[string]any
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/auth/tokens" {
			got.path, got.query = r.URL.Path, r.URL.RawQuery
			got.contentType, got.userAgent = r.Header.Get("Content-Type"), r.Header.Get("User-Agent")
			_ = json.NewDecoder(r.Body).Decode(&got.body)
			w.Header().Set("X-Subject-Token", "tok-1")
			writeJSON(w, http.StatusCreated, `{"token":{"expires_at":"2099-01-01T00:00:00.000000Z"}}`)
			return
		}
		if r.Header.Get("X-Auth-Token") != "tok-1" || r.Header.Get("X-Project-Id") != "p9" || r.Header.Get("X-Domain-Id") != "d9" {
			t.Errorf("API request headers = %v", r.Header)
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	auth := newIAMAuth(srv.URL + "/v3/")
	auth.ProjectID, auth.DomainID = "p9", "d9"
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = auth; cfg.UserAgent = "ua/1" })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	if got.path != "/v3/auth/tokens" || got.query != "nocatalog=true" ||
		got.contentType != "application/json;charset=utf8" || got.userAgent != "ua/1" {
		t.Errorf("token request = %+v", got)
	}
	want := fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":%q},"name":%q,"password":%q}}},"scope":{"domain":{"name":%q}}}}`,
		iamDomain, iamUser, iamPassword, iamDomain)
	if b, _ := json.Marshal(got.body); string(b) != want {
		t.Errorf("token request body =\n%s\nwant\n%s", b, want)
	}
}

// TestIAMPasswordAuth_OneTokenForConcurrentPages starts eight page requests at once with no
// token cached, while IAM takes a moment to answer: they must share a single token request.
func TestIAMPasswordAuth_OneTokenForConcurrentPages(t *testing.T) {
	em := emulator.New(emulator.Options{
		Tasks:    emulator.GenerateTasks(80, 1),
		IAMUsers: []emulator.IAMUser{{Name: iamUser, Password: iamPassword, DomainName: iamDomain}},
	})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/auth/tokens" {
			time.Sleep(50 * time.Millisecond) // Lets every page arrive while the first fetch runs.
		}
		em.ServeHTTP(w, r)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Auth = newIAMAuth(srv.URL + "/v3")
		cfg.MaxConcurrency = 8
	})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			page, err := c.ListTasksPage(context.Background(), ListTasksQuery{PageSize: 10}, i*10)
			if err == nil && len(page.Tasks) != 10 {
				err = fmt.Errorf("page %d has %d tasks", i, len(page.Tasks))
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := em.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1 for 8 concurrent pages", n)
	}
}

func TestIAMPasswordAuth_RefreshesOnceAfterExpiry(t *testing.T) {
	server := startIAMEmulator(t, 30)
	log := &captureLogger{}
	c := newTestClient(t, server.URL(), func(cfg *Config) {
		cfg.Auth = newIAMAuth(server.URL() + "/v3")
		cfg.MaxRetries = 0 // The renewal must not depend on the retry budget.
		cfg.Logger = log
	})
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	server.ExpireTokens()
	page, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err != nil || len(page.Tasks) != 30 {
		t.Fatalf("after expiry: %v", err)
	}
	if n := server.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
	if got := logText(log); !strings.Contains(got, "credentials rejected; renewing them and retrying once") {
		t.Errorf("no renewal log line in %s", got)
	}
	issued := server.IssuedTokens()
	for _, e := range log.all() {
		for _, tok := range append(issued, iamPassword) {
			if strings.Contains(fmt.Sprint(e.msg, e.fields), tok) {
				t.Errorf("log line contains a credential: %s %v", e.msg, e.fields)
			}
		}
	}
}

// TestIAMPasswordAuth_SecondRejectionIsFinal checks that an API that keeps answering 401 gets
// exactly one renewed token and one extra attempt, and that the 401 reaches the caller.
func TestIAMPasswordAuth_SecondRejectionIsFinal(t *testing.T) {
	var tokens, apiCalls atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/auth/tokens" {
			w.Header().Set("X-Subject-Token", fmt.Sprintf("tok-%d", tokens.Add(1)))
			writeJSON(w, http.StatusCreated, `{}`)
			return
		}
		apiCalls.Add(1)
		writeJSON(w, http.StatusUnauthorized, `{"error_code":"APIG.1002","error_msg":"Incorrect token or token resolution failed"}`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = newIAMAuth(srv.URL + "/v3") })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.Status != http.StatusUnauthorized || apiErr.Code != "APIG.1002" || apiErr.Attempts != 2 {
		t.Fatalf("err = %v, want the API's 401 after 2 attempts", err)
	}
	if tokens.Load() != 2 || apiCalls.Load() != 2 {
		t.Errorf("token requests = %d, API calls = %d; want 2 and 2", tokens.Load(), apiCalls.Load())
	}
}

// TestIAMPasswordAuth_ConcurrentRejectionsRenewOnce expires the token as soon as the first page
// is served, while the other pages are about to leave with it: each rejected page reports the
// stale token, but only the first report may cause a new token request.
func TestIAMPasswordAuth_ConcurrentRejectionsRenewOnce(t *testing.T) {
	var server *emulator.Server
	var requests atomic.Int64
	server = emulator.NewTestServer(emulator.Options{
		Tasks:    emulator.GenerateTasks(200, 1),
		IAMUsers: []emulator.IAMUser{{Name: iamUser, Password: iamPassword, DomainName: iamDomain}},
		Latency:  20 * time.Millisecond, // Keeps the pages in flight together.
		OnRequest: func(url.Values) {
			if requests.Add(1) == 1 {
				server.ExpireTokens()
			}
		},
	})
	t.Cleanup(func() { _ = server.Close() })
	log := &captureLogger{}
	c := newTestClient(t, server.URL(), func(cfg *Config) {
		cfg.Auth = newIAMAuth(server.URL() + "/v3")
		cfg.MaxConcurrency = 8
		cfg.Logger = log
	})
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10})
	if err != nil || len(list.Items) != 200 {
		t.Fatalf("ListTasks: %v", err)
	}
	if n := server.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (the first and one renewal)", n)
	}
	t.Logf("pages rejected with the stale token: %d", strings.Count(logText(log), "credentials rejected"))
}

// TestIAMPasswordAuth_InvalidateOnlyTheRejectedToken shows the rule that makes the renewal
// happen once: a report about a token that was already replaced changes nothing.
func TestIAMPasswordAuth_InvalidateOnlyTheRejectedToken(t *testing.T) {
	var tokens atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Subject-Token", fmt.Sprintf("tok-%d", tokens.Add(1)))
		writeJSON(w, http.StatusCreated, `{}`)
	})
	auth := newIAMAuth(srv.URL + "/v3")
	send := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, "https://sms.example.com/v3/tasks", nil)
		if err := auth.Authenticate(req); err != nil {
			t.Fatal(err)
		}
		return req
	}
	first, second := send(), send()
	auth.Invalidate(first) // tok-1 rejected: dropped.
	renewed := send()
	auth.Invalidate(second) // Also tok-1, already replaced: kept.
	if got := send().Header.Get("X-Auth-Token"); got != "tok-2" || renewed.Header.Get("X-Auth-Token") != "tok-2" {
		t.Errorf("token after two reports of tok-1 = %s, want tok-2", got)
	}
	if tokens.Load() != 2 {
		t.Errorf("token requests = %d, want 2", tokens.Load())
	}
}

func TestIAMPasswordAuth_Failures(t *testing.T) {
	server := startIAMEmulator(t, 5)
	auth := newIAMAuth(server.URL() + "/v3")
	auth.Password = "wrong-" + iamPassword
	c := newTestClient(t, server.URL(), func(cfg *Config) { cfg.Auth = auth })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "HTTP 401 Unauthorized") ||
		!strings.Contains(err.Error(), "The username or password is wrong.") ||
		!strings.Contains(err.Error(), server.URL()+"/v3/auth/tokens") {
		t.Fatalf("err = %v, want IAM's 401 with its message and URL", err)
	}
	if strings.Contains(err.Error(), iamPassword) {
		t.Errorf("the error contains the password: %v", err)
	}
	if server.TokenRequests() != 1 || server.Stats().Requests != 0 {
		t.Errorf("token requests = %d, API requests = %d; want 1 and 0 (a 401 from IAM is final)",
			server.TokenRequests(), server.Stats().Requests)
	}

	bad := newIAMAuth("ftp://iam.example.com/v3")
	c = newTestClient(t, server.URL(), func(cfg *Config) { cfg.Auth = bad })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err == nil || !strings.Contains(err.Error(), "https://") {
		t.Errorf("err = %v for an ftp auth URL", err)
	}
}

// TestIAMPasswordAuth_RetriesUnavailableIAM checks that a 503 from IAM, which echoes the
// password in its body, is retried and never printed.
func TestIAMPasswordAuth_RetriesUnavailableIAM(t *testing.T) {
	var tokens atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/auth/tokens" {
			if tokens.Add(1) == 1 {
				body, _ := io.ReadAll(r.Body)
				writeJSON(w, http.StatusServiceUnavailable, `{"error_msg":"busy, got `+strings.ReplaceAll(string(body), `"`, `'`)+`"}`)
				return
			}
			w.Header().Set("X-Subject-Token", "tok")
			writeJSON(w, http.StatusCreated, `{}`)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = newIAMAuth(srv.URL + "/v3"); cfg.Logger = log })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	if tokens.Load() != 2 {
		t.Errorf("token requests = %d, want 2", tokens.Load())
	}
	var sawIAM bool
	for _, e := range log.all() {
		line := fmt.Sprint(e.msg, e.fields)
		sawIAM = sawIAM || strings.Contains(line, "HTTP 503")
		if strings.Contains(line, iamPassword) {
			t.Errorf("log line contains the password: %s", line)
		}
	}
	if !sawIAM {
		t.Errorf("no log line reports IAM's 503: %s", logText(log))
	}
}

// TestIAMPasswordAuth_UsesClientTransport serves IAM over TLS with a self-signed certificate:
// only a token request that goes through the client's transport (Insecure) can succeed.
func TestIAMPasswordAuth_UsesClientTransport(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/auth/tokens" {
			w.Header().Set("X-Subject-Token", "tok")
			writeJSON(w, http.StatusCreated, `{}`)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = newIAMAuth(srv.URL + "/v3"); cfg.Insecure = true })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatalf("token request did not use the client's TLS settings: %v", err)
	}

	strict := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = newIAMAuth(srv.URL + "/v3") })
	_, err := strict.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "IAM token request") || !strings.Contains(err.Error(), "1 attempt") {
		t.Errorf("err = %v, want a certificate error from the token request, not retried", err)
	}
}

func TestIAMPasswordAuth_RenewsBeforeExpiresAt(t *testing.T) {
	var tokens atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Subject-Token", fmt.Sprintf("tok-%d", tokens.Add(1)))
		writeJSON(w, http.StatusCreated, `{"token":{"expires_at":"2030-01-01T12:00:00.000000Z"}}`)
	})
	now := time.Date(2030, 1, 1, 11, 0, 0, 0, time.UTC)
	auth := newIAMAuth(srv.URL + "/v3")
	auth.Now = func() time.Time { return now }
	header := func() string {
		req, _ := http.NewRequest(http.MethodGet, "https://sms.example.com/v3/tasks", nil)
		if err := auth.Authenticate(req); err != nil {
			t.Fatal(err)
		}
		return req.Header.Get("X-Auth-Token")
	}
	if a, b := header(), header(); a != "tok-1" || b != "tok-1" {
		t.Errorf("tokens an hour before expiry = %s, %s; want tok-1 twice", a, b)
	}
	now = now.Add(57 * time.Minute) // Inside the renewal margin.
	if got := header(); got != "tok-2" {
		t.Errorf("token three minutes before expiry = %s, want a new one", got)
	}
	if s := fmt.Sprintf("%v %+v %#v", auth, auth, auth); strings.Contains(s, iamPassword) || strings.Contains(s, "tok-2") {
		t.Errorf("formatted IAMPasswordAuth leaks a secret: %s", s)
	}
}
