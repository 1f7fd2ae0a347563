package smsapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxIAMResponseBytes bounds the body of a token response; with nocatalog=true it is a few KiB.
const maxIAMResponseBytes = 1 << 20

// tokenRenewMargin renews a cached token this long before IAM's expires_at, so that a request
// never leaves with a token that expires on the way.
const tokenRenewMargin = 5 * time.Minute

// IAMPasswordAuth sends an IAM token obtained with a user name and password (POST
// {AuthURL}/auth/tokens) as X-Auth-Token. The token is fetched once for concurrent requests,
// renewed before its expires_at and after a 401 (see Refresher). As Config.Auth, the token request
// uses the client's transport. Use it through a pointer.
type IAMPasswordAuth struct {
	// AuthURL is the IAM endpoint including its version, such as
	// https://iam.ap-southeast-3.myhuaweicloud.com/v3; "/auth/tokens" is appended.
	AuthURL string
	// UserName is the IAM user (or the account name when signing in as the account).
	UserName string
	// Password is the user's password. It is sent only to AuthURL.
	Password string
	// DomainName is the account the user belongs to; the token is scoped to it.
	DomainName string
	// ProjectID, when set, is sent with every API request as X-Project-Id.
	ProjectID string
	// DomainID, when set, is sent with every API request as X-Domain-Id.
	DomainID string
	// Now returns the current time; nil means time.Now. Tests use it to reach expires_at.
	Now func() time.Time

	mu       sync.Mutex
	token    string
	expires  time.Time // Zero when IAM did not say.
	inflight *tokenFetch
	retired  []string // Replaced tokens: still secrets, since a late answer or log line may echo them.
}

// tokenFetch is one token request that concurrent callers wait for.
type tokenFetch struct {
	done  chan struct{}
	token string
	err   error
}

// Authenticate sets X-Auth-Token, fetching the token through http.DefaultTransport when none is
// cached. A Client uses its own transport instead.
func (a *IAMPasswordAuth) Authenticate(req *http.Request) error {
	return a.authenticateWith(req, http.DefaultTransport)
}

func (a *IAMPasswordAuth) authenticateWith(req *http.Request, base http.RoundTripper) error {
	token, err := a.currentToken(req.Context(), base, req.Header.Get("User-Agent"))
	if err != nil {
		return err
	}
	setScopeHeaders(req.Header, a.ProjectID, a.DomainID)
	req.Header.Set("X-Auth-Token", token)
	return nil
}

// Invalidate drops the cached token if it is the one the rejected request carried. A page that
// reports a token already replaced by another page's report therefore causes no second fetch.
func (a *IAMPasswordAuth) Invalidate(rejected *http.Request) {
	used := ""
	if rejected != nil {
		used = rejected.Header.Get("X-Auth-Token")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if used == "" || used == a.token {
		a.retire()
		a.token, a.expires = "", time.Time{}
	}
}

// retire remembers the current token as a secret before it is replaced. The caller holds a.mu.
func (a *IAMPasswordAuth) retire() {
	if a.token != "" {
		a.retired = append(a.retired, a.token)
	}
}

// Secrets returns the password, the current token and every token it replaced, so that all are
// scrubbed from errors and logs; the client asks again for every message, so a renewed token is
// covered too, and so is the rejected one that the answer to a 401 may echo.
func (a *IAMPasswordAuth) Secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string{a.Password, a.token}, a.retired...)
}

// String keeps the password and the token out of fmt output.
func (a *IAMPasswordAuth) String() string {
	return fmt.Sprintf("IAMPasswordAuth{AuthURL: %q, UserName: %q, DomainName: %q, Password: [REDACTED]}",
		a.AuthURL, a.UserName, a.DomainName)
}

// GoString keeps the secrets out of %#v output.
func (a *IAMPasswordAuth) GoString() string { return a.String() }

func (a *IAMPasswordAuth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// currentToken returns the cached token or fetches one. Only one fetch runs at a time; the others
// wait for it. When the fetch fails because the fetching request's own context ended, a waiter
// whose context is still alive fetches again instead of inheriting that failure.
func (a *IAMPasswordAuth) currentToken(ctx context.Context, base http.RoundTripper, userAgent string) (string, error) {
	for {
		a.mu.Lock()
		if a.token != "" && (a.expires.IsZero() || a.now().Before(a.expires.Add(-tokenRenewMargin))) {
			token := a.token
			a.mu.Unlock()
			return token, nil
		}
		if f := a.inflight; f != nil {
			a.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", ctx.Err()
			}
			if f.err == nil {
				return f.token, nil
			}
			if isContextError(f.err) && ctx.Err() == nil {
				continue
			}
			return "", f.err
		}
		f := &tokenFetch{done: make(chan struct{})}
		a.inflight = f
		a.mu.Unlock()

		token, expires, err := a.fetch(ctx, base, userAgent)
		a.mu.Lock()
		if err == nil {
			a.retire()
			a.token, a.expires = token, expires
		}
		a.inflight = nil
		a.mu.Unlock()
		f.token, f.err = token, err
		close(f.done)
		return token, err
	}
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// iamTokenRequest is the body of POST /v3/auth/tokens for a password and a domain scope.
type iamTokenRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Name     string  `json:"name"`
					Password string  `json:"password"`
					Domain   iamName `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Domain iamName `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

type iamName struct {
	Name string `json:"name"`
}

// fetch asks IAM for a token. It uses base directly, not a client that follows redirects: a
// redirect must never carry the password to another URL.
func (a *IAMPasswordAuth) fetch(ctx context.Context, base http.RoundTripper, userAgent string) (string, time.Time, error) {
	endpoint, err := a.tokensURL()
	if err != nil {
		return "", time.Time{}, err
	}
	var body iamTokenRequest
	body.Auth.Identity.Methods = []string{"password"}
	user := &body.Auth.Identity.Password.User
	user.Name, user.Password, user.Domain.Name = a.UserName, a.Password, a.DomainName
	body.Auth.Scope.Domain.Name = a.DomainName
	payload, err := json.Marshal(body)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("smsapi: encoding the IAM token request: %w", err)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("smsapi: building the IAM token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json;charset=utf8")
	req.Header.Set("Accept", "application/json")
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		// No answer (connection refused, timeout): the client retries such a failure like a
		// failed API request, and gives up at once if its caller is gone. An untrusted
		// certificate will not change between attempts.
		var certErr *tls.CertificateVerificationError
		return "", time.Time{}, &IAMError{URL: RedactURL(endpoint), Err: sanitizeErr(err, a.Secrets()), temporary: !errors.As(err, &certErr)}
	}
	respBody, _, readErr := readBounded(resp.Body, maxIAMResponseBytes)
	_ = resp.Body.Close()

	token := resp.Header.Get("X-Subject-Token")
	if resp.StatusCode/100 != 2 || token == "" || readErr != nil {
		return "", time.Time{}, a.newIAMError(endpoint, resp, respBody, readErr)
	}
	var parsed struct {
		Token struct {
			ExpiresAt string `json:"expires_at"`
		} `json:"token"`
	}
	var expires time.Time
	if json.Unmarshal(respBody, &parsed) == nil {
		// An absent or unreadable expiry only means the token is kept until the API rejects it.
		expires, _ = time.Parse(time.RFC3339Nano, parsed.Token.ExpiresAt)
	}
	return token, expires, nil
}

// tokensURL appends /auth/tokens to AuthURL and asks for no service catalog, which the provider
// does not need and which makes the response far larger.
func (a *IAMPasswordAuth) tokensURL() (string, error) {
	u, err := CheckEndpointURL(a.AuthURL)
	if err != nil {
		return "", fmt.Errorf("the IAM auth URL %w; use the IAM endpoint with its version, such as https://iam.ap-southeast-3.myhuaweicloud.com/v3", err)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/auth/tokens"
	u.RawPath = ""
	u.RawQuery = "nocatalog=true"
	return u.String(), nil
}

// IAMError is a failed token request: IAM's answer, or a network failure before any answer.
type IAMError struct {
	// URL is the token endpoint that was asked.
	URL string
	// Status is the HTTP status, 0 when no response arrived.
	Status int
	// Code, Message and RequestID come from IAM's error body and headers.
	Code, Message, RequestID string
	// Err describes a failure without a response, or a response without a token.
	Err error

	temporary bool
}

// Error names the endpoint, the status and IAM's own explanation, never the password.
func (e *IAMError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the IAM token request to %s failed", e.URL)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	writeIdentifiers(&b, e.Code, e.RequestID)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the network error, such as context.DeadlineExceeded.
func (e *IAMError) Unwrap() error { return e.Err }

// Temporary reports failures that a later attempt may not meet: no answer, 429 or 5xx.
func (e *IAMError) Temporary() bool { return e.temporary }

func (a *IAMPasswordAuth) newIAMError(endpoint string, resp *http.Response, body []byte, readErr error) *IAMError {
	eb := parseErrorBody(body)
	secrets := a.Secrets()
	e := &IAMError{
		URL:       RedactURL(endpoint),
		Status:    resp.StatusCode,
		Code:      sanitize(eb.code, secrets, maxIDLen),
		RequestID: sanitize(firstNonEmpty(resp.Header.Get("X-Request-Id"), eb.requestID), secrets, maxIDLen),
		temporary: retryableStatus(resp.StatusCode),
	}
	switch {
	case eb.found:
		e.Message = sanitize(eb.message, secrets, maxMessageLen)
	case len(body) > 0:
		e.Message = excerptOf(body, secrets)
	}
	switch {
	case readErr != nil:
		e.Err = sanitizeErr(fmt.Errorf("reading the response: %w", readErr), a.Secrets())
		e.temporary = true
	case resp.StatusCode/100 == 2:
		e.Err = errors.New("the response has no X-Subject-Token header")
	}
	return e
}
