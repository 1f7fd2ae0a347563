package smsapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Logger receives the client's log lines; the provider adapts it to tflog. ctx is the request's
// context, so a logger can pick up whatever the caller attached to it. Concurrent page fetches log
// at the same time, so an implementation must be safe for concurrent use.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Zero values select the documented defaults, so a caller only sets
// what it wants to change.
type Config struct {
	// Endpoint is the base URL, for example https://sms.ap-southeast-3.myhuaweicloud.com or
	// http://127.0.0.1:1234/prefix. "/v3/tasks" is appended to its path; a path prefix is kept.
	Endpoint string
	// Auth adds credentials to every HTTP attempt. It is required.
	Auth Authenticator
	// MaxRetries is the number of retries after the first attempt for 429, 500, 502, 503, 504
	// and connection errors. 0 means no retry.
	MaxRetries int
	// RequestTimeout bounds each attempt, including reading the body. 0 means 60s.
	RequestTimeout time.Duration
	// MaxConcurrency is the number of requests this Client has in flight at once, shared by all
	// callers. Values below 1 mean 1.
	MaxConcurrency int
	// Insecure skips TLS certificate verification.
	Insecure bool
	// UserAgent is sent as the User-Agent header when not empty.
	UserAgent string
	// Logger receives one line per attempt and per response. nil means no logs.
	Logger Logger
	// RetryWaitMin is the first backoff. 0 means 1s.
	RetryWaitMin time.Duration
	// RetryWaitMax caps the backoff. 0 means 30s.
	RetryWaitMax time.Duration
	// MaxRetryAfter is the largest Retry-After the client waits for. 0 means 60s. A larger one
	// fails at once with an APIError whose RetryAfter says when to try again.
	MaxRetryAfter time.Duration
	// MaxResponseBytes caps one response body. 0 means 64 MiB.
	MaxResponseBytes int64
}

// The defaults of Config, named so tests and documentation can refer to them.
const (
	DefaultRequestTimeout   = 60 * time.Second
	DefaultRetryWaitMin     = time.Second
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxRetryAfter    = 60 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

// maxRedirects matches net/http's own limit, which a custom CheckRedirect replaces.
const maxRedirects = 10

// Client talks to the SMS API. It is safe for concurrent use; all callers share one connection
// pool, one concurrency limit and one Retry-After gate.
type Client struct {
	cfg      Config
	tasksURL url.URL // the endpoint with /v3/tasks appended
	origin   string  // scheme://host:port of the endpoint; credentials never leave it
	http     *http.Client
	retry    *retryablehttp.Client
	sem      chan struct{}

	gateMu    sync.Mutex
	gateUntil time.Time // no attempt starts before this instant
}

// New validates cfg and builds a Client. The endpoint must be an absolute http or https URL with a
// host and without credentials, query or fragment, because the client appends its own path and
// query and sends credentials only through Auth.
func New(cfg Config) (*Client, error) {
	u, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if isNil(cfg.Auth) {
		return nil, errors.New("smsapi: Config.Auth is required")
	}
	if isNil(cfg.Logger) {
		cfg.Logger = nil // A typed nil would panic on the first log line; it means "no logs".
	}
	if err := applyDefaults(&cfg); err != nil {
		return nil, err
	}

	c := &Client{
		cfg:    cfg,
		origin: originOf(u),
		sem:    make(chan struct{}, cfg.MaxConcurrency),
	}
	c.tasksURL = *u
	c.tasksURL.Path = strings.TrimRight(u.Path, "/") + "/v3/tasks"
	if u.RawPath != "" {
		c.tasksURL.RawPath = strings.TrimRight(u.RawPath, "/") + "/v3/tasks"
	}

	// Cloning keeps the proxy settings from the environment and the pool tuning of the default
	// transport, while TLS settings stay private to this client.
	base := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.Insecure {
		if base.TLSClientConfig == nil {
			base.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		base.TLSClientConfig.InsecureSkipVerify = true // The user asked for it explicitly.
	}
	// Concurrent page fetches would otherwise close and reopen connections beyond the default of 2.
	base.MaxIdleConnsPerHost = max(cfg.MaxConcurrency, 2)

	c.http = &http.Client{
		Transport:     &authTransport{base: base, auth: cfg.Auth, origin: c.origin},
		Timeout:       cfg.RequestTimeout,
		CheckRedirect: c.checkRedirect,
	}
	c.retry = &retryablehttp.Client{
		HTTPClient:      c.http,
		Logger:          nil, // The hooks below log through Config.Logger instead.
		RetryWaitMin:    cfg.RetryWaitMin,
		RetryWaitMax:    cfg.RetryWaitMax,
		RetryMax:        cfg.MaxRetries,
		RequestLogHook:  c.beforeAttempt,
		ResponseLogHook: c.afterResponse,
		CheckRetry:      c.checkRetry,
		Backoff:         c.backoff,
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

func parseEndpoint(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("smsapi: Config.Endpoint is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("smsapi: Config.Endpoint is not a valid URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("smsapi: Config.Endpoint %q must start with http:// or https://", u.Redacted())
	case u.Hostname() == "":
		return nil, fmt.Errorf("smsapi: Config.Endpoint %q has no host", u.Redacted())
	case u.User != nil:
		return nil, errors.New("smsapi: Config.Endpoint must not contain user information; pass credentials through Config.Auth")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("smsapi: Config.Endpoint %q must not have a query or fragment", u.Redacted())
	}
	return u, nil
}

// isNil also catches a typed nil pointer in an interface, whose methods would panic on first use.
func isNil(a any) bool {
	if a == nil {
		return true
	}
	v := reflect.ValueOf(a)
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Func, reflect.Slice, reflect.Chan:
		return v.IsNil()
	}
	return false
}

func applyDefaults(cfg *Config) error {
	switch {
	case cfg.MaxRetries < 0:
		return fmt.Errorf("smsapi: Config.MaxRetries must not be negative, got %d", cfg.MaxRetries)
	case cfg.RequestTimeout < 0, cfg.RetryWaitMin < 0, cfg.RetryWaitMax < 0, cfg.MaxRetryAfter < 0:
		return errors.New("smsapi: Config durations must not be negative")
	case cfg.MaxResponseBytes < 0:
		return fmt.Errorf("smsapi: Config.MaxResponseBytes must not be negative, got %d", cfg.MaxResponseBytes)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxConcurrency < 1 {
		cfg.MaxConcurrency = 1
	}
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax == 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.MaxRetryAfter == 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.RetryWaitMin > cfg.RetryWaitMax {
		return fmt.Errorf("smsapi: Config.RetryWaitMin (%s) must not exceed Config.RetryWaitMax (%s)", cfg.RetryWaitMin, cfg.RetryWaitMax)
	}
	return nil
}

// checkRedirect refuses to leave the endpoint's scheme and host, so that a redirect can never carry
// the credentials (added per hop by authTransport) to a server the user did not configure.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: stopped after %d redirects", errRedirectRefused, maxRedirects)
	}
	if originOf(req.URL) != c.origin {
		return fmt.Errorf("%w: the API redirected to %s://%s, which is not the configured endpoint", errRedirectRefused, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// callState follows one logical request through its attempts. retryablehttp calls the hooks,
// CheckRetry and the transport from the goroutine that called Do, so it needs no lock.
type callState struct {
	method     string
	path       string
	query      string
	attempts   int
	start      time.Time
	body       []byte
	tooLarge   bool
	bodyErr    error
	retryAfter time.Time
	ended      time.Time // when the previous attempt ended, so the next one can log the wait
}

type callStateKey struct{}

func stateOf(ctx context.Context) *callState {
	if st, ok := ctx.Value(callStateKey{}).(*callState); ok {
		return st
	}
	return &callState{} // Only reachable if a hook sees a foreign request; it keeps the hooks total.
}

// exchange is the outcome of one logical GET: the final response with its body in memory.
type exchange struct {
	status     int
	header     http.Header
	body       []byte
	tooLarge   bool
	attempts   int
	retryAfter time.Time
}

func (e *exchange) requestID() string { return e.header.Get("X-Request-Id") }

// get performs one GET with retries. It returns an error only when no final response exists
// (cancellation, connection errors after retries); any HTTP status comes back as an exchange.
func (c *Client) get(ctx context.Context, u *url.URL) (*exchange, error) {
	st := &callState{}
	ctx = context.WithValue(ctx, callStateKey{}, st)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("smsapi: building request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}

	resp, err := c.retry.Do(req)
	if err == nil && c.renewCredentials(ctx, resp) {
		_ = resp.Body.Close()
		resp, err = c.retry.Do(req) // Once only: a second 401 is the final answer.
	}
	if resp != nil {
		// The body is already in memory (see checkRetry); closing releases nothing but is tidy.
		_ = resp.Body.Close()
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // The URL is named below; url.Error would repeat it.
		}
		return nil, c.scrubErr(fmt.Errorf("smsapi: GET %s failed after %d attempt(s): %w", u.Redacted(), st.attempts, err))
	}
	if resp == nil {
		return nil, fmt.Errorf("smsapi: GET %s returned no response", u.Redacted())
	}
	return &exchange{
		status:     resp.StatusCode,
		header:     resp.Header,
		body:       st.body,
		tooLarge:   st.tooLarge,
		attempts:   st.attempts,
		retryAfter: st.retryAfter,
	}, nil
}

// beforeAttempt runs before every attempt. Besides logging it waits for the Retry-After gate: this
// is the one hook retryablehttp calls before each attempt, and it runs outside http.Client.Timeout,
// so a long gate does not eat into the attempt's own time budget.
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, retry int) {
	ctx := req.Context()
	st := stateOf(ctx)
	c.waitGate(ctx)
	st.method, st.path, st.query = req.Method, req.URL.Path, req.URL.RawQuery
	st.attempts++ // Not retry+1: the attempts count on across the retry after a 401.
	st.start = time.Now()
	st.body, st.tooLarge, st.bodyErr, st.retryAfter = nil, false, nil, time.Time{}
	fields := map[string]any{
		"method":  req.Method,
		"path":    req.URL.Path,
		"query":   req.URL.RawQuery,
		"attempt": st.attempts,
	}
	if !st.ended.IsZero() {
		// Backoff and Retry-After gate together, so a throttled read shows where its time went.
		fields["waited"] = st.start.Sub(st.ended).Round(time.Millisecond).String()
	}
	c.log(ctx, false, "smsapi: sending request", fields)
}

// afterResponse logs each response once its body has been read by checkRetry, so the duration
// covers the whole attempt.
func (c *Client) afterResponse(_ retryablehttp.Logger, resp *http.Response) {
	if resp == nil || resp.Request == nil {
		return
	}
	ctx := resp.Request.Context()
	st := stateOf(ctx)
	fields := map[string]any{
		"method":     resp.Request.Method,
		"path":       resp.Request.URL.Path,
		"query":      resp.Request.URL.RawQuery,
		"status":     resp.StatusCode,
		"attempt":    st.attempts,
		"duration":   durationField(st.start),
		"request_id": resp.Header.Get("X-Request-Id"),
	}
	if st.bodyErr != nil {
		fields["error"] = st.bodyErr.Error()
	}
	warn := resp.StatusCode >= 300 || st.bodyErr != nil
	c.log(ctx, warn, "smsapi: received response", fields)
}

func durationField(start time.Time) string {
	if start.IsZero() {
		return "0s"
	}
	return time.Since(start).Round(time.Microsecond).String()
}

// log sends one line to Config.Logger with every string field scrubbed of credentials.
func (c *Client) log(ctx context.Context, warn bool, msg string, fields map[string]any) {
	if c.cfg.Logger == nil {
		return
	}
	for k, v := range fields {
		if s, ok := v.(string); ok {
			fields[k] = c.scrub(s)
		}
	}
	if warn {
		c.cfg.Logger.Warn(ctx, msg, fields)
	} else {
		c.cfg.Logger.Debug(ctx, msg, fields)
	}
}

// acquire takes a slot of the client-wide concurrency limit.
func (c *Client) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) release() { <-c.sem }

// closeIdleConnections lets tests check that no goroutine outlives a call.
func (c *Client) closeIdleConnections() { c.http.CloseIdleConnections() }
