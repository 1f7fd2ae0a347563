package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// guideRequest is the worked example of Huawei Cloud's "API Request Signing Guide", with the
// signature the guide prints for it.
func guideRequest(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet,
		"https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Sdk-Date", "20191115T033655Z")
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "+
		"Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")
	return req
}

func TestVerifySignature_GuideExample(t *testing.T) {
	s := New(Options{AccessKey: "QTWAOYTTINDUT2QVKYUC", SecretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"})
	signedAt := time.Date(2019, 11, 15, 3, 36, 55, 0, time.UTC)

	cases := map[string]struct {
		change func(r *http.Request)
		now    time.Time
		want   string
	}{
		"as printed":            {func(*http.Request) {}, signedAt.Add(14 * time.Minute), ""},
		"clock behind the date": {func(*http.Request) {}, signedAt.Add(-14 * time.Minute), ""},
		"query changed":         {func(r *http.Request) { r.URL.RawQuery = "limit=3&marker=13551d6b-755d-4757-b956-536f674975c0" }, signedAt, "verify aksk signature fail"},
		"path changed":          {func(r *http.Request) { r.URL.Path = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/x" }, signedAt, "verify aksk signature fail"},
		"signed header changed": {func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, signedAt, "verify aksk signature fail"},
		"host changed":          {func(r *http.Request) { r.Host = "other.example.com" }, signedAt, "verify aksk signature fail"},
		"date 16 minutes old":   {func(*http.Request) {}, signedAt.Add(16 * time.Minute), "more than 15 minutes away"},
		"date 16 minutes ahead": {func(*http.Request) {}, signedAt.Add(-16 * time.Minute), "more than 15 minutes away"},
		"date malformed":        {func(r *http.Request) { r.Header.Set("X-Sdk-Date", "2019-11-15T03:36:55Z") }, signedAt, "YYYYMMDDTHHMMSSZ"},
		"other access key": {func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "QTWAOYTTINDUT2QVKYUC", "AKOTHER", 1))
		}, signedAt, "access key does not exist"},
		"host not signed": {func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host;x-sdk-date", "content-type;x-sdk-date", 1))
		}, signedAt, "host and x-sdk-date must be signed"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := guideRequest(t)
			tc.change(req)
			if got := s.verifySignature(req, tc.now); !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("verifySignature = %q, want %q", got, tc.want)
			}
		})
	}
}

// signLiteral signs GET {path}?{query} for a server with nothing but a literal canonical request,
// the date and crypto/hmac, independently of the verifier under test.
func signLiteral(t *testing.T, s *Server, ak, sk, path, query, canonicalQuery string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+path+"?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	date := at.UTC().Format("20060102T150405Z")
	canonical := "GET\n" + path + "/\n" + canonicalQuery + "\n" +
		"host:" + req.URL.Host + "\nx-sdk-date:" + date + "\n\nhost;x-sdk-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	sum := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(sum[:])))
	req.Header.Set("X-Sdk-Date", date)
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+ak+", SignedHeaders=host;x-sdk-date, Signature="+hex.EncodeToString(mac.Sum(nil)))
	return req
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestServer_SignedRequests(t *testing.T) {
	s := start(t, Options{Tasks: GenerateTasks(3, 1), AccessKey: "AK1", SecretKey: "SK1", Token: "static"})

	resp, body := do(t, signLiteral(t, s, "AK1", "SK1", "/v3/tasks", "offset=0&name=a+b&limit=1", "limit=1&name=a%20b&offset=0", time.Now()))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signed request: %d %s", resp.StatusCode, body)
	}

	resp, body = do(t, signLiteral(t, s, "AK1", "wrong", "/v3/tasks", "limit=1", "limit=1", time.Now()))
	var e errBody
	_ = json.Unmarshal(body, &e)
	if resp.StatusCode != http.StatusUnauthorized || e.Code != "APIG.0301" || e.RequestID != resp.Header.Get("X-Request-Id") ||
		e.Msg != "Incorrect IAM authentication information: verify aksk signature fail" {
		t.Errorf("wrong secret key: %d %s", resp.StatusCode, body)
	}

	resp, body = do(t, signLiteral(t, s, "AK1", "SK1", "/v3/tasks", "limit=1", "limit=1", time.Now().Add(-20*time.Minute)))
	_ = json.Unmarshal(body, &e)
	if resp.StatusCode != http.StatusUnauthorized || e.Code != "APIG.0301" || !strings.Contains(e.Msg, "15 minutes") {
		t.Errorf("old date: %d %s", resp.StatusCode, body)
	}

	// The static token still works beside AK/SK, and no credential at all still fails.
	if resp, body := get(t, s, "limit=1", "static"); resp.StatusCode != http.StatusOK {
		t.Errorf("static token: %d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, s, "limit=1", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no credentials: %d", resp.StatusCode)
	}
}

func postToken(t *testing.T, s *Server, user, password, domain string) (*http.Response, []byte) {
	t.Helper()
	body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":` + quote(user) +
		`,"password":` + quote(password) + `,"domain":{"name":` + quote(domain) + `}}}},"scope":{"domain":{"name":` + quote(domain) + `}}}}`
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/v3/auth/tokens?nocatalog=true", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json;charset=utf8")
	return do(t, req)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestServer_IAMTokens(t *testing.T) {
	s := start(t, Options{
		Tasks:      GenerateTasks(3, 1),
		PathPrefix: "/prefix",
		IAMUsers:   []IAMUser{{Name: "alice", Password: "pw-alice", DomainName: "acme"}},
	})

	resp, body := postToken(t, s, "alice", "wrong", "acme")
	var iamErr struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &iamErr)
	if resp.StatusCode != http.StatusUnauthorized || iamErr.Error.Code != 401 ||
		iamErr.Error.Message != "The username or password is wrong." || resp.Header.Get("X-Subject-Token") != "" {
		t.Errorf("wrong password: %d %s", resp.StatusCode, body)
	}

	resp, body = postToken(t, s, "alice", "pw-alice", "acme")
	token := resp.Header.Get("X-Subject-Token")
	var ok struct {
		Token struct {
			ExpiresAt string `json:"expires_at"`
		} `json:"token"`
	}
	_ = json.Unmarshal(body, &ok)
	expires, err := time.Parse(time.RFC3339Nano, ok.Token.ExpiresAt)
	if resp.StatusCode != http.StatusCreated || token == "" || err != nil || expires.Before(time.Now().Add(23*time.Hour)) {
		t.Fatalf("token request: %d %q %s", resp.StatusCode, token, body)
	}
	if got := s.IssuedTokens(); len(got) != 1 || got[0] != token {
		t.Errorf("IssuedTokens = %q", got)
	}

	if resp, body := get(t, s, "limit=1", token); resp.StatusCode != http.StatusOK {
		t.Errorf("issued token: %d %s", resp.StatusCode, body)
	}
	s.ExpireTokens()
	resp, body = get(t, s, "limit=1", token)
	var e errBody
	_ = json.Unmarshal(body, &e)
	if resp.StatusCode != http.StatusUnauthorized || e.Code != "APIG.1002" {
		t.Errorf("expired token: %d %s", resp.StatusCode, body)
	}

	if n := s.TokenRequests(); n != 2 {
		t.Errorf("TokenRequests = %d, want 2", n)
	}
	if st := s.Stats(); st.Requests != 2 || st.PerOffset[0] != 2 {
		t.Errorf("Stats = %+v; token requests must not be counted", st)
	}

	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/v3/auth/tokens", nil)
	if resp, _ := do(t, req); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET on the token endpoint: %d", resp.StatusCode)
	}
}
