package provider

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// Credentials of the emulator in these tests, long and distinctive so that a leak is easy to spot.
const (
	testAccessKey     = "AKTEST0123456789ABCD"
	testSecretKey     = "SKtest-secret-0123456789-abcdefghij"
	testSecurityToken = "STStest-security-token-0123456789"
	testUser          = "ci-reader"
	testPassword      = "PWtest-password-0123456789"
	testDomain        = "acme-cloud"
)

const readAll = `data "sms_tasks" "all" {}`

// authServer is an emulator behind a recorder of request headers and statuses, so that a test can
// check what the provider sent. The emulator checks credentials; the recorder only watches.
type authServer struct {
	*emulator.Server
	url string

	mu       sync.Mutex
	headers  []http.Header // Of the requests to the tasks endpoint.
	statuses []int         // Of the same requests.
}

func startAuthServer(t *testing.T, opts emulator.Options) *authServer {
	t.Helper()
	s := &authServer{Server: emulator.New(opts)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/v3/tasks") {
			s.ServeHTTP(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w}
		s.ServeHTTP(rec, r)
		s.mu.Lock()
		s.headers = append(s.headers, r.Header.Clone())
		s.statuses = append(s.statuses, rec.status)
		s.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (s *authServer) count(status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.statuses {
		if st == status {
			n++
		}
	}
	return n
}

// checkEveryRequest applies check to the headers of every request to the tasks endpoint; a step
// that sent none fails, since it would prove nothing.
func (s *authServer) checkEveryRequest(check func(http.Header) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.headers) == 0 {
			return fmt.Errorf("no request reached the tasks endpoint")
		}
		for _, h := range s.headers {
			if err := check(h); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkHeaders checks that every request to the tasks endpoint carried the headers.
func (s *authServer) checkHeaders(want map[string]string) resource.TestCheckFunc {
	return s.checkEveryRequest(func(h http.Header) error {
		for name, v := range want {
			if got := h.Get(name); got != v {
				return fmt.Errorf("%s = %q, want %q (headers %v)", name, got, v, h)
			}
		}
		return nil
	})
}

// checkSignedByTestKey checks that every request to the tasks endpoint was signed with testAccessKey.
func (s *authServer) checkSignedByTestKey() resource.TestCheckFunc {
	return s.checkEveryRequest(func(h http.Header) error {
		if got := h.Get("Authorization"); !strings.HasPrefix(got, "SDK-HMAC-SHA256 Access="+testAccessKey+",") {
			return fmt.Errorf("authorization %q, want a signature by %s", got, testAccessKey)
		}
		return nil
	})
}

// forgetRequests clears what was recorded, so that a step checks only its own requests.
func (s *authServer) forgetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.headers, s.statuses = nil, nil
}

func akskOptions(tasks int) emulator.Options {
	return emulator.Options{Tasks: emulator.GenerateTasks(tasks, 1), AccessKey: testAccessKey, SecretKey: testSecretKey}
}

func iamOptions(tasks int) emulator.Options {
	return emulator.Options{
		Tasks:    emulator.GenerateTasks(tasks, 1),
		IAMUsers: []emulator.IAMUser{{Name: testUser, Password: testPassword, DomainName: testDomain}},
	}
}

// AK/SK from the environment (SMS_ACCESS_KEY over HW_ACCESS_KEY, with the project and domain
// headers), from the provider block (over SMS_TOKEN, with a security token), and a wrong secret
// key, which the API's signature check rejects with its own code and message.
func TestProvider_AKSK(t *testing.T) {
	t.Parallel()
	fromEnv := startAuthServer(t, akskOptions(12))
	env := environment{
		"SMS_ENDPOINT":  fromEnv.url,
		"HW_ACCESS_KEY": "AKWRONG-SMS_ACCESS_KEY-wins", "SMS_ACCESS_KEY": testAccessKey,
		"HW_SECRET_KEY": testSecretKey,
		"HW_PROJECT_ID": "project-env", "HW_DOMAIN_ID": "domain-env",
	}
	opts := akskOptions(5)
	opts.SecurityToken = testSecurityToken
	fromBlock := startAuthServer(t, opts)
	wrongKey := startAuthServer(t, akskOptions(5))

	resource.UnitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: factoriesWith(environment{"SMS_ACCESS_KEY": testAccessKey, "SMS_SECRET_KEY": "wrong-" + testSecretKey}),
				Config:                   fmt.Sprintf("provider \"sms\" {\n  endpoint = %q\n}\n%s", wrongKey.url, readAll),
				ExpectError: regexp.MustCompile(`(?s)SMS API Authentication Failed.*HTTP 401.*error_code: APIG\.0301.*` +
					`error_msg:\s+Incorrect IAM authentication information: verify aksk signature\s+fail.*request id: [0-9a-f]{32}`),
			},
			{
				ProtoV6ProviderFactories: factoriesWith(env),
				Config:                   `provider "sms" {}` + "\n" + readAll,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "12"),
					fromEnv.checkHeaders(map[string]string{"X-Auth-Token": "", "X-Project-Id": "project-env", "X-Domain-Id": "domain-env"}),
					fromEnv.checkSignedByTestKey(),
					func(*terraform.State) error {
						if fromEnv.count(http.StatusUnauthorized) != 0 {
							return fmt.Errorf("statuses = %v, want only 200", fromEnv.statuses)
						}
						return nil
					},
				),
			},
			{
				// The block's AK/SK choose the method over the environment's token.
				ProtoV6ProviderFactories: factoriesWith(environment{"SMS_TOKEN": "env-token-ignored"}),
				Config: fmt.Sprintf(`
provider "sms" {
  endpoint       = %q
  access_key     = %q
  secret_key     = %q
  security_token = %q
  project_id     = "p-123"
  domain_id      = "d-456"
}
%s`, fromBlock.url, testAccessKey, testSecretKey, testSecurityToken, readAll),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "5"),
					fromBlock.checkHeaders(map[string]string{"X-Auth-Token": "", "X-Security-Token": testSecurityToken,
						"X-Project-Id": "p-123", "X-Domain-Id": "d-456"}),
					fromBlock.checkSignedByTestKey(),
				),
			},
		},
	})
}

// The password method: attributes in the block read the fleet and a wrong password names IAM's
// answer; then, from the environment, every token expires after the first page, and the provider
// must get a new token once and finish the read.
func TestProvider_IAMPassword(t *testing.T) {
	t.Parallel()
	attributes := startAuthServer(t, iamOptions(4))
	block := func(password string) string {
		return fmt.Sprintf(`
provider "sms" {
  endpoint    = %q
  auth_url    = %q
  user_name   = %q
  password    = %q
  domain_name = %q
}
%s`, attributes.url, attributes.url+"/v3", testUser, password, testDomain, readAll)
	}
	var expiring *authServer
	var pages atomic.Int64
	opts := iamOptions(30)
	opts.OnRequest = func(url.Values) {
		if pages.Add(1) == 1 {
			expiring.ExpireTokens()
		}
	}
	expiring = startAuthServer(t, opts)
	env := environment{"HW_AUTH_URL": expiring.url + "/v3", "HW_USER_NAME": testUser,
		"HW_USER_PASSWORD": testPassword, "HW_DOMAIN_NAME": testDomain}

	resource.UnitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: factoriesWith(nil),
				Config:                   block(testPassword),
				Check:                    resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "4"),
			},
			{
				ProtoV6ProviderFactories: factoriesWith(nil),
				Config:                   block("wrong-" + testPassword),
				ExpectError:              regexp.MustCompile(`(?s)IAM Token Request Failed.*IAM token request to\s+\S+/v3/auth/tokens\S*\s+failed: HTTP\s+401\s+Unauthorized.*The\s+username\s+or\s+password\s+is\s+wrong`),
			},
			{
				ProtoV6ProviderFactories: factoriesWith(env),
				Config: fmt.Sprintf(`
provider "sms" {
  endpoint        = %q
  max_concurrency = 1
}
data "sms_tasks" "all" {
  page_size = 10
}`, expiring.url),
				Check: resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "30"),
			},
		},
	})
	// Every Terraform command configures the provider afresh and so gets its own token; only the
	// one that met the expiry needed a second.
	if n := expiring.count(http.StatusUnauthorized); n != 1 {
		t.Errorf("401 answers = %d, want exactly 1", n)
	}
	if n := expiring.TokenRequests(); n < 2 {
		t.Errorf("token requests = %d, want the first one and a renewal", n)
	}
}

func TestProvider_CredentialConflictsAndGaps(t *testing.T) {
	t.Parallel()
	block := func(arguments string) string {
		return fmt.Sprintf("provider \"sms\" {\n  endpoint = \"https://sms.example.invalid\"\n  %s\n}\n%s", arguments, readAll)
	}
	expectErrors(t, []errorCase{
		{name: "token and access_key", config: block("token = \"t\"\n  access_key = \"ak\"\n  secret_key = \"sk\""),
			want: `(?s)Invalid Attribute Combination.*configured together: \[token,access_key\]`},
		{name: "secret_key and password", config: block("secret_key = \"sk\"\n  password = \"pw\""),
			want: `(?s)Invalid Attribute Combination.*configured together: \[secret_key,password\]`},
		{name: "access_key without secret_key", config: block(`access_key = "ak"`),
			want: `(?s)Missing SMS Credential Argument.*access_key is set but secret_key is not.*SMS_SECRET_KEY or\s+HW_SECRET_KEY`},
		{name: "HW_SECRET_KEY without access key", env: environment{"HW_SECRET_KEY": "sk"}, config: block(""),
			want: `(?s)Missing SMS Credential Argument.*secret_key is set but access_key is not.*SMS_ACCESS_KEY or\s+HW_ACCESS_KEY`},
		{name: "user_name alone", config: block(`user_name = "u"`),
			want: `(?s)password.*HW_USER_PASSWORD.*domain_name.*HW_DOMAIN_NAME.*auth_url, or region.*HW_AUTH_URL`},
		{name: "auth_url not a URL", config: block("auth_url = \"iam.example.com\"\n  user_name = \"u\"\n  password = \"p\"\n  domain_name = \"d\""),
			want: `(?s)Invalid IAM Auth URL.*https://iam\.ap-southeast-3`},
	})
}

// TestProvider_EnvironmentPrecedence sets every method in the environment: the token wins, then
// AK/SK, each silently.
func TestProvider_EnvironmentPrecedence(t *testing.T) {
	t.Parallel()
	opts := iamOptions(3)
	opts.Token, opts.AccessKey, opts.SecretKey = testsupport.Token, testAccessKey, testSecretKey
	server := startAuthServer(t, opts)
	env := environment{
		"SMS_ENDPOINT": server.url,
		"HW_AUTH_URL":  server.url + "/v3", "HW_USER_NAME": testUser, "HW_USER_PASSWORD": testPassword, "HW_DOMAIN_NAME": testDomain,
		"HW_ACCESS_KEY": testAccessKey, "HW_SECRET_KEY": testSecretKey,
		"SMS_TOKEN": testsupport.Token,
	}

	withoutToken := maps.Clone(env)
	delete(withoutToken, "SMS_TOKEN")
	read := `provider "sms" {}` + "\n" + readAll
	resource.UnitTest(t, resource.TestCase{Steps: []resource.TestStep{
		{
			ProtoV6ProviderFactories: factoriesWith(env),
			Config:                   read,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "3"),
				server.checkHeaders(map[string]string{"X-Auth-Token": testsupport.Token, "Authorization": ""}),
			),
		},
		{
			// Without SMS_TOKEN, AK/SK wins over the password: every request is signed and IAM
			// is never asked for a token.
			ProtoV6ProviderFactories: factoriesWith(withoutToken),
			PreConfig:                server.forgetRequests,
			Config:                   read,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "3"),
				server.checkSignedByTestKey(),
				func(*terraform.State) error {
					if n := server.TokenRequests(); n != 0 {
						return fmt.Errorf("token requests = %d, want none", n)
					}
					return nil
				},
			),
		},
	}})
}
