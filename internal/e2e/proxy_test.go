package e2e_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The provider uses the standard proxy variables, as net/http reads them. Two details shape these
// tests: net/http never proxies requests to localhost or loopback addresses, and it reads the
// variables once per process. So the endpoint is a name that does not resolve (sms.internal.test;
// .test is reserved) and reaches the emulator only through the proxy, and each case runs the
// provider in a fresh process through Terraform with its own environment.

const proxiedHost = "sms.internal.test"

// forwardProxy is a minimal HTTP proxy that sends every request for a name under .test (such as
// proxiedHost) to the emulator: absolute-URI requests for http:// endpoints, CONNECT tunnels for
// https:// ones.
type forwardProxy struct {
	target string // host:port of the emulator

	mu       sync.Mutex
	requests []string // "GET http://host/path" or "CONNECT host:port"
	tokens   int      // plain-http requests that carried X-Auth-Token
}

func startForwardProxy(t *testing.T, target string) (*forwardProxy, string) {
	p := &forwardProxy{target: target}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL
}

func (p *forwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	if r.Method == http.MethodConnect {
		p.requests = append(p.requests, "CONNECT "+r.Host)
	} else {
		p.requests = append(p.requests, r.Method+" "+r.URL.Scheme+"://"+r.URL.Host+r.URL.Path)
		if r.Header.Get("X-Auth-Token") != "" {
			p.tokens++
		}
	}
	p.mu.Unlock()
	if host, _, _ := net.SplitHostPort(r.Host); !strings.HasSuffix(host, ".test") {
		http.Error(w, "this proxy only knows names under .test", http.StatusBadGateway)
		return
	}
	if r.Method == http.MethodConnect {
		p.tunnel(w)
		return
	}
	rp := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.Out.URL.Scheme, pr.Out.URL.Host = "http", p.target },
		Transport: &http.Transport{}, // No proxy of its own, whatever the test process's environment says.
	}
	rp.ServeHTTP(w, r)
}

func (p *forwardProxy) tunnel(w http.ResponseWriter) {
	upstream, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(upstream, buf) // Whatever the client sent after CONNECT, then the rest.
		_ = upstream.Close()
	}()
	_, _ = io.Copy(conn, upstream)
	_ = conn.Close()
}

func (p *forwardProxy) seen() ([]string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...), p.tokens
}

// proxiedConfig reads the emulator through an endpoint on proxiedHost; endpoint and token come
// from the provider block so that only the proxy variables differ between runs.
func proxiedConfig(endpoint string) string {
	return smsVersions + `
provider "sms" {
  endpoint        = "` + endpoint + `"
  token           = "` + testsupport.Token + `"
  max_retries     = 0
  request_timeout = "10s"
}

data "sms_tasks" "all" {}

output "total_count" {
  value = data.sms_tasks.all.total_count
}
`
}

// Each case is a plan, which reads the data source and shows its output as an apply would.

// HTTP_PROXY carries requests to a plain-http endpoint; NO_PROXY for that host bypasses the
// proxy, and the name then fails to resolve. The plain-http endpoint off loopback also gets the
// warning that the token travels unencrypted.
func TestE2E_HTTPProxyAndNoProxy(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(7, 3)})
	target := strings.TrimPrefix(server.URL(), "http://")
	_, port, _ := net.SplitHostPort(target)
	proxy, proxyURL := startForwardProxy(t, target)
	endpoint := "http://" + proxiedHost + ":" + port

	h := newHarness(t)
	h.Write("main.tf", proxiedConfig(endpoint))
	h.Setenv("HTTP_PROXY", proxyURL)
	r := mustSucceed(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "Warning: Unencrypted SMS Endpoint", "uses plain http, so the credentials travel unencrypted")
	mustContain(t, r, "+ total_count = 7") // The output as the plan shows it, known from the read.
	requests, withToken := proxy.seen()
	if len(requests) != 1 || requests[0] != "GET "+endpoint+"/v3/tasks" || withToken != 1 {
		t.Errorf("proxy saw %v (%d with a token), want one GET of %s/v3/tasks with the token", requests, withToken, endpoint)
	}

	h.Setenv("NO_PROXY", proxiedHost)
	r = mustFail(t, h.Run("plan", "-no-color"))
	mustContain(t, r, "Error: SMS API Request Failed", proxiedHost)
	if requests, _ := proxy.seen(); len(requests) != 1 {
		t.Errorf("the proxy was used despite NO_PROXY: %v", requests)
	}
}

// HTTPS_PROXY carries requests to an https endpoint through a CONNECT tunnel, with the server's
// certificate verified for the endpoint's name; NO_PROXY bypasses it.
func TestE2E_HTTPSProxyConnect(t *testing.T) {
	t.Parallel()
	cert, certPEM := selfSignedCert(t, proxiedHost)
	api := emulator.New(emulator.Options{Tasks: emulator.GenerateTasks(4, 3), Token: testsupport.Token})
	tlsServer := httptest.NewUnstartedServer(api)
	tlsServer.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	tlsServer.StartTLS()
	t.Cleanup(tlsServer.Close)
	target := strings.TrimPrefix(tlsServer.URL, "https://")
	_, port, _ := net.SplitHostPort(target)
	proxy, proxyURL := startForwardProxy(t, target)

	h := newHarness(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	testsupport.WriteFile(t, caFile, string(certPEM))
	h.Setenv("SSL_CERT_FILE", caFile) // Go's way to trust a CA without touching the system store.
	h.Setenv("HTTPS_PROXY", proxyURL)
	h.Write("main.tf", proxiedConfig("https://"+proxiedHost+":"+port))
	r := mustSucceed(t, h.Run("plan", "-no-color"))
	mustNotContain(t, r, "Unencrypted SMS Endpoint", "TLS Verification Disabled")
	mustContain(t, r, "+ total_count = 4") // The output as the plan shows it, known from the read.
	if requests, _ := proxy.seen(); len(requests) != 1 || requests[0] != "CONNECT "+proxiedHost+":"+port {
		t.Errorf("proxy saw %v, want one CONNECT %s:%s", requests, proxiedHost, port)
	}
	if got := api.Stats().Requests; got != 1 {
		t.Errorf("the emulator saw %d requests through the tunnel, want 1", got)
	}

	h.Setenv("NO_PROXY", "."+strings.TrimPrefix(proxiedHost, "sms."))
	mustFail(t, h.Run("plan", "-no-color"))
	if requests, _ := proxy.seen(); len(requests) != 1 {
		t.Errorf("the proxy was used despite NO_PROXY: %v", requests)
	}
}

// A shell set up for the huaweicloud provider, with no SMS_* variable and no argument in the
// provider block, reads the emulator. The endpoint and IAM URL are derived from HW_REGION_NAME
// and HW_CLOUD, names under .test that reach the emulator only through an HTTPS proxy, so the
// proxy's CONNECT lines prove which hosts the provider built.
func TestE2E_HuaweiCloudEnvironmentOnly(t *testing.T) {
	t.Parallel()
	const region, cloud = "ap-southeast-3", "emulator.test"
	const testAccessKey, testSecretKey = "AKTEST0123456789ABCD", "SKtest-secret-0123456789-abcdefghij"
	const testUser, testPassword, testDomain = "ci-reader", "PWtest-password-0123456789", "acme-cloud"
	cert, certPEM := selfSignedCert(t, "*."+region+"."+cloud)
	api := emulator.New(emulator.Options{
		Tasks: emulator.GenerateTasks(6, 2), Token: testsupport.Token, AccessKey: testAccessKey, SecretKey: testSecretKey,
		IAMUsers: []emulator.IAMUser{{Name: testUser, Password: testPassword, DomainName: testDomain}},
	})
	tlsServer := httptest.NewUnstartedServer(api)
	tlsServer.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	tlsServer.StartTLS()
	t.Cleanup(tlsServer.Close)
	proxy, proxyURL := startForwardProxy(t, strings.TrimPrefix(tlsServer.URL, "https://"))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	testsupport.WriteFile(t, caFile, string(certPEM))

	smsHost, iamHost := "CONNECT sms."+region+"."+cloud+":443", "CONNECT iam."+region+"."+cloud+":443"
	shells := []struct {
		name  string
		env   map[string]string
		hosts []string
		warn  string
	}{
		{"access keys", map[string]string{"HW_ACCESS_KEY": testAccessKey, "HW_SECRET_KEY": testSecretKey,
			"HW_PROJECT_ID": "project-hw", "HW_MAX_RETRIES": "0"}, []string{smsHost}, ""},
		{"password", map[string]string{"HW_USER_NAME": testUser, "HW_USER_PASSWORD": testPassword,
			"HW_DOMAIN_NAME": testDomain}, []string{iamHost, smsHost}, ""},
		// HW_INSECURE replaces the trusted CA: the self-signed certificate is then accepted.
		{"token", map[string]string{"HW_AUTH_TOKEN": testsupport.Token, "HW_INSECURE": "true", "SSL_CERT_FILE": ""},
			[]string{smsHost}, "Warning: TLS Verification Disabled"},
	}
	for _, shell := range shells {
		h := newHarness(t)
		h.Write("main.tf", smsVersions+`
provider "sms" {}

data "sms_tasks" "all" {}

output "total_count" {
  value = data.sms_tasks.all.total_count
}
`)
		h.Setenv("HTTPS_PROXY", proxyURL)
		h.Setenv("SSL_CERT_FILE", caFile)
		h.Setenv("HW_REGION_NAME", region)
		h.Setenv("HW_CLOUD", cloud)
		for k, v := range shell.env {
			h.Setenv(k, v)
		}
		before, _ := proxy.seen()
		r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
		if shell.warn != "" {
			mustContain(t, r, shell.warn)
		}
		if got := testsupport.DecodeJSON[int](t, h.Outputs()["total_count"]); got != 6 {
			t.Errorf("%s: total_count = %d, want 6", shell.name, got)
		}
		after, _ := proxy.seen()
		if got := slices.Compact(slices.Clone(after[len(before):])); !slices.Equal(got, shell.hosts) {
			t.Errorf("%s: proxy saw %v, want %v", shell.name, got, shell.hosts)
		}
	}
}

// selfSignedCert returns a certificate for host that is its own CA, and its PEM form.
func selfSignedCert(t *testing.T, host string) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
