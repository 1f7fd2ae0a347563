package smsapi

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
)

// Authenticator adds credentials to one HTTP attempt. It is called for every attempt, retries and
// same-host redirects included, because AK/SK signing needs a fresh date per attempt. It receives a
// private copy of the request and may modify its headers. It must be safe for concurrent use.
type Authenticator interface {
	Authenticate(req *http.Request) error
}

// SecretHolder is an optional interface of an Authenticator. The client removes every string that
// Secrets returns from error messages and log fields, in case a server or proxy echoes a
// credential back in an error body, a header or a malformed status line.
type SecretHolder interface {
	Secrets() []string
}

// Refresher is an optional interface of an Authenticator whose credential can go stale, such as
// a cached IAM token. When the API answers 401, the client calls Invalidate with the rejected
// request (its headers show which credential was refused) and then retries that request once,
// authenticating it afresh. Invalidate must be safe for concurrent use: every page that was
// in flight with the stale credential reports it.
type Refresher interface {
	Invalidate(rejected *http.Request)
}

// transportAuthenticator is implemented by authenticators that make HTTP calls of their own, such
// as IAMPasswordAuth fetching a token. authTransport hands them its base transport, so that those
// calls use the client's proxy and TLS settings, and the attempt's context, which carries the
// request timeout.
type transportAuthenticator interface {
	authenticateWith(req *http.Request, base http.RoundTripper) error
}

// retryableAuthError marks an Authenticator failure that a later attempt may not meet, such as
// IAM answering 503; authTransport passes it on unwrapped, so the client retries it like any
// connection error instead of failing at once.
type retryableAuthError interface {
	error
	Temporary() bool
}

// TokenAuth sends an IAM token as X-Auth-Token.
type TokenAuth struct {
	Token string
	// ProjectID, when set, is sent as X-Project-Id.
	ProjectID string
	// DomainID, when set, is sent as X-Domain-Id.
	DomainID string
}

// Authenticate sets X-Auth-Token. An empty token is refused here rather than sent, because the
// API's answer to it (401) would not say that the provider was never given a token.
func (a TokenAuth) Authenticate(req *http.Request) error {
	if a.Token == "" {
		return errors.New("the IAM token is empty")
	}
	setScopeHeaders(req.Header, a.ProjectID, a.DomainID)
	req.Header.Set("X-Auth-Token", a.Token)
	return nil
}

// Secrets returns the token so that it is scrubbed from errors and logs.
func (a TokenAuth) Secrets() []string { return []string{a.Token} }

// String keeps the token out of fmt output such as %v of a Config.
func (a TokenAuth) String() string { return "TokenAuth{Token: [REDACTED]}" }

// GoString keeps the token out of %#v output.
func (a TokenAuth) GoString() string { return a.String() }

var (
	errRedirectRefused = errors.New("redirect refused")
	errForeignOrigin   = errors.New("refusing to send credentials to a host other than the endpoint")
)

// ErrCredentials matches (errors.Is) a failure to authenticate a request before it is sent, such
// as an empty token or one with a line break. No retry can fix it.
var ErrCredentials = errors.New("the credentials cannot be used")

// ErrRedirectRefused matches (errors.Is) a redirect the client did not follow because it left the
// endpoint's origin or looped.
var ErrRedirectRefused = errRedirectRefused

type authError struct{ err error }

func (e *authError) Error() string        { return ErrCredentials.Error() + ": " + e.err.Error() }
func (e *authError) Unwrap() error        { return e.err }
func (e *authError) Is(target error) bool { return target == ErrCredentials }

// authTransport authenticates every round trip. Doing it here rather than on the request that
// retryablehttp holds means each retry and each redirect hop is signed afresh, and the caller's
// request never carries a credential that net/http could copy elsewhere.
type authTransport struct {
	base   http.RoundTripper
	auth   Authenticator
	origin string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// checkRedirect already stops other hosts; this second check keeps credentials home even if
	// the redirect policy were ever changed.
	if originOf(req.URL) != t.origin {
		closeRequestBody(req)
		return nil, errForeignOrigin
	}
	r := req.Clone(req.Context())
	var err error
	if ta, ok := t.auth.(transportAuthenticator); ok {
		err = ta.authenticateWith(r, t.base)
	} else {
		err = t.auth.Authenticate(r)
	}
	if err == nil {
		err = checkHeaderValues(r.Header)
	}
	if err != nil {
		closeRequestBody(req)
		var temp retryableAuthError
		if errors.As(err, &temp) && temp.Temporary() {
			return nil, err
		}
		return nil, &authError{err: err}
	}
	return t.base.RoundTrip(r)
}

// checkHeaderValues refuses a credential with a line break or another control character, most
// often a token pasted with its trailing newline, which net/http would reject with a message
// about header syntax that does not point at the credential.
func checkHeaderValues(h http.Header) error {
	for name, values := range h {
		for _, v := range values {
			if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				return fmt.Errorf("the %s header would contain a line break or another control character; "+
					"check the credential for a line break copied with it", name)
			}
		}
	}
	return nil
}

// renewCredentials handles a final 401: when the Authenticator is a Refresher it drops the
// rejected credential and reports that the request deserves one more try. A token can expire
// in the middle of a run; any other 401 comes back unchanged after the one extra attempt.
func (c *Client) renewCredentials(ctx context.Context, resp *http.Response) bool {
	r, ok := c.cfg.Auth.(Refresher)
	if !ok || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		return false
	}
	rejected := resp.Request
	if rejected == nil {
		rejected = &http.Request{Header: http.Header{}}
	}
	r.Invalidate(rejected)
	c.log(ctx, true, "smsapi: credentials rejected; renewing them and retrying once", map[string]any{
		"method":     rejected.Method,
		"path":       urlPath(rejected),
		"request_id": resp.Header.Get("X-Request-Id"),
	})
	return true
}

func urlPath(req *http.Request) string {
	if req.URL == nil {
		return ""
	}
	return req.URL.Path
}

// closeRequestBody honours the RoundTripper contract of closing the body even on errors.
func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// originOf returns scheme://host:port with the default port filled in and the host lower-cased,
// so that http://H and http://h:80 compare equal.
func originOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// secrets lists the non-empty credentials of the Authenticator and of a proxy from the
// environment. An empty string is dropped because replacing it would insert the mask between
// every character.
func (c *Client) secrets() []string {
	out := slices.Clone(c.proxySecrets)
	if sh, ok := c.cfg.Auth.(SecretHolder); ok {
		for _, s := range sh.Secrets() {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// proxyEnv names the variables net/http reads proxy URLs from.
var proxyEnv = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}

// proxySecrets returns the passwords of proxy URLs in the environment, and the Basic
// credentials net/http derives from them, which a proxy may echo in a 407 body.
func proxySecrets() []string {
	var out []string
	for _, name := range proxyEnv {
		u, err := url.Parse(strings.TrimSpace(os.Getenv(name)))
		if err != nil || u.User == nil {
			continue
		}
		if pw, ok := u.User.Password(); ok && pw != "" {
			basic := base64.StdEncoding.EncodeToString([]byte(u.User.Username() + ":" + pw))
			out = append(out, pw, basic, u.User.Username()+":"+pw)
		}
	}
	return out
}

// clean prepares text from the network for an error or a log line (see sanitize).
func (c *Client) clean(s string, limit int) string { return sanitize(s, c.secrets(), limit) }

// excerptOf turns the start of a body that is not a Huawei error into one clean line.
func excerptOf(body []byte, secrets []string) string {
	longest := 0
	for _, s := range secrets {
		longest = max(longest, len(s))
	}
	// Only the start is shown; converting all of a 64 MiB body to a string would copy it.
	if window := 16*excerptLen + longest; len(body) > window {
		body = body[:window]
	}
	return excerpt([]byte(sanitize(string(body), secrets, 4*excerptLen)), excerptLen)
}

// String keeps credentials out of fmt output of a Client.
func (c *Client) String() string {
	if c == nil {
		return "smsapi.Client(nil)"
	}
	return fmt.Sprintf("smsapi.Client(%s)", c.tasksURL.Redacted())
}
