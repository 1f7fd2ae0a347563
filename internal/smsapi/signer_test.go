package smsapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// The worked example of Huawei Cloud's "API Request Signing Guide" (listing VPCs), with the key
// pair, date, hashed canonical request and signature the guide prints.
const (
	guideAccessKey = "QTWAOYTTINDUT2QVKYUC"
	guideSecretKey = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	guideURL       = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
	guideCanonical = "GET\n" +
		"/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n" +
		"limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
		"content-type:application/json\n" +
		"host:service.region.example.com\n" +
		"x-sdk-date:20191115T033655Z\n" +
		"\n" +
		"content-type;host;x-sdk-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	guideHashedCanonical = "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
	guideSignature       = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// independentSignature computes the signature from a literal canonical request with nothing
// but crypto/sha256 and crypto/hmac, so that a test does not check the signer against itself.
func independentSignature(secretKey, date, canonical string) (hashed, signature string) {
	sum := sha256.Sum256([]byte(canonical))
	hashed = hex.EncodeToString(sum[:])
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hashed))
	return hashed, hex.EncodeToString(mac.Sum(nil))
}

func TestSignerAuth_GuideWorkedExample(t *testing.T) {
	hashed, sig := independentSignature(guideSecretKey, "20191115T033655Z", guideCanonical)
	if hashed != guideHashedCanonical || sig != guideSignature {
		t.Fatalf("the literal canonical request does not reproduce the guide: hash %s, signature %s", hashed, sig)
	}

	req, _ := http.NewRequest(http.MethodGet, guideURL, nil)
	req.Header.Set("Content-Type", "application/json")
	auth := SignerAuth{AccessKey: guideAccessKey, SecretKey: guideSecretKey,
		Now: fixedClock(time.Date(2019, 11, 15, 3, 36, 55, 0, time.UTC))}
	if err := auth.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Sdk-Date"); got != "20191115T033655Z" {
		t.Errorf("X-Sdk-Date = %q", got)
	}
	got, err := canonicalRequest(req, signedHeaders(req))
	if err != nil || got != guideCanonical {
		t.Errorf("canonical request = %q (%v), want %q", got, err, guideCanonical)
	}
	if got := stringToSign(guideCanonical, "20191115T033655Z"); got != "SDK-HMAC-SHA256\n20191115T033655Z\n"+guideHashedCanonical {
		t.Errorf("string to sign = %q", got)
	}
	want := "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=" + guideSignature
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
}

// TestSignerAuth_HandComputedVector covers what the guide's example does not: a path that needs
// encoding, a repeated and non-ASCII query parameter, "+" for a space, a port, a value with
// spaces around it, and the security token and scope headers.
func TestSignerAuth_HandComputedVector(t *testing.T) {
	const canonical = "GET\n" +
		"/sms%20api/v3/tasks/\n" +
		"limit=10&name=%E4%B8%80~%2A&name=web%2001&offset=0&state=READY\n" +
		"content-type:text/plain\n" +
		"host:127.0.0.1:8080\n" +
		"x-domain-id:d-456\n" +
		"x-project-id:p-123\n" +
		"x-sdk-date:20260102T030405Z\n" +
		"x-security-token:sts-token\n" +
		"\n" +
		"content-type;host;x-domain-id;x-project-id;x-sdk-date;x-security-token\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	const secretKey = "test-secret-key/+="
	// Computed once with `openssl dgst -sha256 -hmac` from the literal above.
	const wantSignature = "b74153a508068cb5123786f3a2f96aa68ed279aea57ce5328a4dc540188839fe"
	if _, sig := independentSignature(secretKey, "20260102T030405Z", canonical); sig != wantSignature {
		t.Fatalf("independent signature = %s, want %s", sig, wantSignature)
	}

	req, _ := http.NewRequest(http.MethodGet,
		"http://127.0.0.1:8080/sms%20api/v3/tasks?state=READY&name=web+01&limit=10&name=%E4%B8%80~*&offset=0", nil)
	req.Header.Set("Content-Type", "  text/plain ")
	req.Header.Set("Accept", "application/json") // Not signed: proxies may rewrite it.
	auth := SignerAuth{AccessKey: "AK1", SecretKey: secretKey, SecurityToken: "sts-token",
		ProjectID: "p-123", DomainID: "d-456", Now: fixedClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))}
	if err := auth.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	if got, _ := canonicalRequest(req, signedHeaders(req)); got != canonical {
		t.Errorf("canonical request =\n%s\nwant\n%s", got, canonical)
	}
	want := "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-domain-id;x-project-id;x-sdk-date;x-security-token, Signature=" + wantSignature
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
	for name, want := range map[string]string{"X-Security-Token": "sts-token", "X-Project-Id": "p-123", "X-Domain-Id": "d-456"} {
		if got := req.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestSignerAuth_CanonicalPieces(t *testing.T) {
	paths := map[string]string{
		"https://h":             "/",
		"https://h/":            "/",
		"https://h/v3/tasks":    "/v3/tasks/",
		"https://h/v3/tasks/":   "/v3/tasks/",
		"https://h/a%2Fb/c%20d": "/a%2Fb/c%20d/",
		"https://h/x;y(z)":      "/x%3By%28z%29/",
	}
	for raw, want := range paths {
		req, _ := http.NewRequest(http.MethodGet, raw, nil)
		if got := canonicalURI(req.URL); got != want {
			t.Errorf("canonicalURI(%s) = %q, want %q", raw, got, want)
		}
	}
	queries := map[string]string{
		"":                  "",
		"b=2&a=1&a=0&c=":    "a=0&a=1&b=2&c=",
		"q=a+b&q=a%2Bb":     "q=a%20b&q=a%2Bb",
		"k=%e4%b8%80-_.~!'": "k=%E4%B8%80-_.~%21%27",
		"a-b=1&a=2":         "a=2&a-b=1",
	}
	for raw, want := range queries {
		if got, err := canonicalQuery(raw); err != nil || got != want {
			t.Errorf("canonicalQuery(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestSignerAuth_SignsBodyWithoutConsumingIt(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://h/p", strings.NewReader(`{"a":1}`))
	auth := SignerAuth{AccessKey: "AK", SecretKey: "SK", Now: fixedClock(time.Unix(0, 0))}
	if err := auth.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(`{"a":1}`))
	canonical, _ := canonicalRequest(req, signedHeaders(req))
	if !strings.HasSuffix(canonical, "\n"+hex.EncodeToString(sum[:])) {
		t.Errorf("canonical request does not end with the body hash: %q", canonical)
	}
	buf := make([]byte, 16)
	if n, _ := req.Body.Read(buf); string(buf[:n]) != `{"a":1}` {
		t.Errorf("body after signing = %q", buf[:n])
	}
}

func TestSignerAuth_RefusesEmptyKeysAndHidesSecrets(t *testing.T) {
	for _, a := range []SignerAuth{{SecretKey: "sk"}, {AccessKey: "ak"}} {
		req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
		if err := a.Authenticate(req); err == nil {
			t.Errorf("%v: no error for an empty key", a)
		}
	}
	a := SignerAuth{AccessKey: "AKVISIBLE", SecretKey: "SKHIDDEN", SecurityToken: "STSHIDDEN"}
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", a), fmt.Sprintf("%#v", a)} {
		if strings.Contains(s, "SKHIDDEN") || strings.Contains(s, "STSHIDDEN") || !strings.Contains(s, "AKVISIBLE") {
			t.Errorf("formatted SignerAuth = %s", s)
		}
	}
	if got := a.Secrets(); len(got) != 2 || got[0] != "SKHIDDEN" || got[1] != "STSHIDDEN" {
		t.Errorf("Secrets() = %q", got)
	}
}

// TestSignerAuth_ResignsEveryAttempt checks that a retry carries a new date and signature: the
// gateway would reject a retry after a long backoff if it reused the first date.
func TestSignerAuth_ResignsEveryAttempt(t *testing.T) {
	var (
		mu    sync.Mutex
		dates []string
		auths []string
		n     atomic.Int64
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		dates = append(dates, r.Header.Get("X-Sdk-Date"))
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusServiceUnavailable, `{"error_code":"SMS.9999","error_msg":"busy"}`)
			return
		}
		writeJSON(w, http.StatusOK, okPage)
	})
	var calls atomic.Int64
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	auth := SignerAuth{AccessKey: "AK", SecretKey: "SK", Now: func() time.Time {
		return start.Add(time.Duration(calls.Add(1)) * time.Minute)
	}}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = auth })
	if _, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls.Load() != 2 || len(dates) != 2 {
		t.Fatalf("Now called %d times for %d attempts, want 2 and 2", calls.Load(), len(dates))
	}
	if dates[0] != "20260301T100100Z" || dates[1] != "20260301T100200Z" {
		t.Errorf("X-Sdk-Date per attempt = %q", dates)
	}
	if auths[0] == auths[1] {
		t.Errorf("both attempts carry the same Authorization %q", auths[0])
	}
}

// TestSignerAuth_AgainstEmulator checks the signer against the emulator's verifier, which is a
// separate implementation of the guide, with filters that need encoding and a path prefix.
func TestSignerAuth_AgainstEmulator(t *testing.T) {
	const ak, sk = "AKEMULATOR", "SK-emulator-0123456789"
	server := emulator.NewTestServer(emulator.Options{
		Tasks: emulator.GenerateTasks(25, 1), AccessKey: ak, SecretKey: sk, SecurityToken: "sts-1",
		PathPrefix: "/gw/sms api",
	})
	t.Cleanup(func() { _ = server.Close() })

	name := "web 01/一~*+&="
	good := SignerAuth{AccessKey: ak, SecretKey: sk, SecurityToken: "sts-1", ProjectID: "p1", DomainID: "d1"}
	c := newTestClient(t, server.URL(), func(cfg *Config) { cfg.Auth = good })
	if _, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10, Name: &name}); err != nil {
		t.Fatalf("signed listing with an encoded filter: %v", err)
	}
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 10})
	if err != nil || len(list.Items) != 25 {
		t.Fatalf("signed listing: %d tasks, %v", len(list.Items), err)
	}

	cases := map[string]struct {
		auth SignerAuth
		want string
	}{
		"wrong secret key":   {SignerAuth{AccessKey: ak, SecretKey: "wrong", SecurityToken: "sts-1"}, "verify aksk signature fail"},
		"unknown access key": {SignerAuth{AccessKey: "AKOTHER", SecretKey: sk, SecurityToken: "sts-1"}, "access key does not exist"},
		"no security token":  {SignerAuth{AccessKey: ak, SecretKey: sk}, "security token"},
		"clock 20 minutes behind": {SignerAuth{AccessKey: ak, SecretKey: sk, SecurityToken: "sts-1",
			Now: func() time.Time { return time.Now().Add(-20 * time.Minute) }}, "more than 15 minutes"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, server.URL(), func(cfg *Config) { cfg.Auth = tc.auth })
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			apiErr, ok := AsAPIError(err)
			if !ok || apiErr.Status != http.StatusUnauthorized || apiErr.Code != "APIG.0301" ||
				apiErr.RequestID == "" || !strings.Contains(apiErr.Message, tc.want) {
				t.Fatalf("err = %v, want HTTP 401 APIG.0301 with a request id and %q", err, tc.want)
			}
			if strings.Contains(err.Error(), sk) {
				t.Errorf("the error contains the secret key: %v", err)
			}
		})
	}
}
