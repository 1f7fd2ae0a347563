package smsapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
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
	sem      chan struct{}

	proxySecrets []string // credentials of a proxy from the environment, masked like the others

	gateMu    sync.Mutex
	gateUntil time.Time // no attempt starts before this instant
}

// New validates cfg and builds a Client. The endpoint must be an absolute http or https URL with a
// host and without credentials, query or fragment, because the client appends its own path and
// query and sends credentials only through Auth.
func New(cfg Config) (*Client, error) {
	u, err := CheckEndpointURL(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("the endpoint %w", err)
	}
	if cfg.Auth == nil {
		return nil, errors.New("smsapi: Config.Auth is required")
	}
	if err := applyDefaults(&cfg); err != nil {
		return nil, err
	}

	c := &Client{
		cfg:    cfg,
		origin: originOf(u),
		sem:    make(chan struct{}, cfg.MaxConcurrency),

		proxySecrets: proxySecrets(),
	}
	c.tasksURL = *u
	c.tasksURL.Path = strings.TrimRight(u.Path, "/") + "/v3/tasks"
	if u.RawPath != "" {
		c.tasksURL.RawPath = strings.TrimRight(u.RawPath, "/") + "/v3/tasks"
	}

	// Cloning keeps the proxy settings from the environment and the pool tuning of the default
	// transport, while TLS settings stay private to this client.
	base := &http.Transport{Proxy: http.ProxyFromEnvironment}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		base = t.Clone()
	}
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
	return c, nil
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

// usable rejects a nil receiver or context, which would otherwise panic deep inside net/http.
func (c *Client) usable(ctx context.Context) error {
	if c == nil || c.http == nil {
		return errors.New("smsapi: the Client was not created with New")
	}
	if ctx == nil {
		return errors.New("smsapi: nil context")
	}
	return nil
}
