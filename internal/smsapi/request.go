package smsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// One request, from the first attempt to the final error:
//
//  1. get waits while the client's Retry-After gate is closed.
//  2. go-retryablehttp sends the attempt through c.http, whose transport authenticates it and
//     whose redirect policy keeps it on the endpoint's origin.
//  3. checkRetry retries 429, 500, 502, 503, 504 and connection errors. A Retry-After up to
//     MaxRetryAfter closes the gate for every request of the client; a longer one ends the call
//     so that the error can say when to come back.
//  4. An answer that is not retried has its body read by readBody, bounded by MaxResponseBytes.
//     A 2xx body cut off on the way fails the attempt, and checkRetry retries it.
//  5. backoff waits the larger of Retry-After and the jittered exponential backoff, then
//     PrepareRetry waits at the gate again, since another request may have closed it meanwhile.
//  6. A final 401 from an Authenticator that can renew its credential runs steps 1-5 once more.
//  7. get returns an exchange for any HTTP answer and an error when there is none.

// call is one logical request. It lives on the stack of get, and the retryablehttp client built
// for it reaches it through method values: nothing about a request is stored in its context.
type call struct {
	c          *Client
	ctx        context.Context
	url        *url.URL
	attempts   int
	start      time.Time // of the current attempt
	ended      time.Time // of the previous attempt, so the next one can log its wait
	body       []byte
	tooLarge   bool
	bodyRead   bool
	retryAfter time.Time // set when the API asks to wait longer than MaxRetryAfter
}

// exchange is the outcome of one logical GET: the final response with its body in memory.
type exchange struct {
	url        string // redacted, for messages
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
	if err := c.waitGate(ctx); err != nil {
		return nil, err
	}
	cl := &call{c: c, ctx: ctx, url: u}
	retry := &retryablehttp.Client{
		HTTPClient:      c.http,
		Logger:          leveledLogger{cl},
		RetryWaitMin:    c.cfg.RetryWaitMin,
		RetryWaitMax:    c.cfg.RetryWaitMax,
		RetryMax:        c.cfg.MaxRetries,
		CheckRetry:      cl.checkRetry,
		Backoff:         c.backoff,
		PrepareRetry:    func(r *http.Request) error { return c.waitGate(r.Context()) },
		RequestLogHook:  cl.logAttempt,
		ResponseLogHook: cl.logResponse,
		ErrorHandler:    retryablehttp.PassthroughErrorHandler, // The final answer is ours to describe.
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	req.SetResponseHandler(cl.readBody)

	resp, err := retry.Do(req)
	if err == nil && c.renewCredentials(ctx, resp) {
		_ = resp.Body.Close()
		resp, err = retry.Do(req) // Once only: a second 401 is the final answer.
	}
	if resp != nil {
		if err == nil && !cl.bodyRead {
			// A retryable status whose retries ran out: its body has not been read yet.
			cl.body, cl.tooLarge, _ = readBounded(resp.Body, c.cfg.MaxResponseBytes)
		}
		_ = resp.Body.Close()
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		return nil, cl.failure(err)
	}
	return &exchange{
		url:        RedactURL(u.String()),
		status:     resp.StatusCode,
		header:     resp.Header,
		body:       cl.body,
		tooLarge:   cl.tooLarge,
		attempts:   cl.attempts,
		retryAfter: cl.retryAfter,
	}, nil
}

// errBadLocation is a redirect whose Location header net/http cannot parse.
var errBadLocation = fmt.Errorf("%w: the Location header of the API's redirect is not a valid URL", errRedirectRefused)

// isBadLocation reports net/http's error for a Location header it cannot parse, which has no
// type of its own; a malformed redirect is not transient, so it is not retried.
func isBadLocation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "failed to parse Location header")
}

// failure describes a call that ended without an HTTP answer.
func (cl *call) failure(err error) error {
	if isBadLocation(err) {
		// net/http's message quotes the Location, which may hold credentials, and the parser's
		// complaint quotes a part of it again after the redaction could apply.
		err = errBadLocation
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // The URL is named below; url.Error would repeat it with its query.
	}
	where := fmt.Sprintf("GET %s failed after %d attempt(s)", RedactURL(cl.url.String()), cl.attempts)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		what := "no answer"
		if errors.Is(err, errReadingBody) {
			what = "the response body did not arrive in full"
		}
		return &attemptTimeoutError{msg: fmt.Sprintf("%s: %s within the request timeout (%s)", where, what, cl.c.cfg.RequestTimeout)}
	}
	return sanitizeErr(fmt.Errorf("%s: %w", where, err), cl.c.secrets())
}

// attemptTimeoutError is an attempt that outlived Config.RequestTimeout. It matches
// context.DeadlineExceeded, so callers can treat all timeouts alike, without carrying Go's
// "Client.Timeout exceeded while awaiting headers" wording to users.
type attemptTimeoutError struct{ msg string }

func (e *attemptTimeoutError) Error() string        { return e.msg }
func (e *attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

var errReadingBody = errors.New("reading the response body")

// readBody reads the body of an answer that will not be retried. A 2xx body that breaks off is
// an error, which checkRetry retries; any other status keeps what arrived, since it is a definite
// answer that the partial body may still explain.
func (cl *call) readBody(resp *http.Response) error {
	body, tooLarge, err := readBounded(resp.Body, cl.c.cfg.MaxResponseBytes)
	cl.body, cl.tooLarge, cl.bodyRead = body, tooLarge, true
	if err != nil && resp.StatusCode/100 == 2 {
		return fmt.Errorf("%w: %w", errReadingBody, err)
	}
	return nil
}

// checkRetry is the retry policy, called after every attempt.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	cl.ended = time.Now()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var ae *authError
		if errors.Is(err, errRedirectRefused) || errors.Is(err, errForeignOrigin) || errors.As(err, &ae) || isBadLocation(err) {
			return false, err
		}
		// retryablehttp's own judgement: TLS, scheme, header and redirect-loop errors are final.
		return retryablehttp.ErrorPropagatedRetryPolicy(ctx, nil, err)
	}
	if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if d, until, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if d > cl.c.cfg.MaxRetryAfter {
			// Waiting that long inside a Terraform run would look like a hang; fail with the time.
			cl.retryAfter = until
			return false, nil
		}
		cl.c.closeGate(until)
	}
	return true, nil
}

// retryableStatus lists the statuses that signal a transient condition on Huawei Cloud.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff doubles from RetryWaitMin up to RetryWaitMax with jitter in the upper half, so that
// concurrent pages that failed together do not come back together. An accepted Retry-After
// lengthens the wait but never shortens it: "Retry-After: 0" must not turn retries into a burst.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := jitteredBackoff(minWait, maxWait, attempt)
	if resp != nil && retryableStatus(resp.StatusCode) {
		if ra, _, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && ra <= c.cfg.MaxRetryAfter {
			d = max(d, ra)
		}
	}
	return d
}

func jitteredBackoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	if d > maxWait || d <= 0 {
		d = maxWait
	}
	if half := d / 2; half > 0 {
		d = half + rand.N(half+1)
	}
	return max(d, minWait)
}

// parseRetryAfter reads delta-seconds or an HTTP-date. It returns the wait, the instant it ends
// and whether the header was usable. A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, time.Time{}, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, time.Time{}, false
		}
		// Ten years is "too long" for any purpose and keeps the arithmetic far from overflow.
		const maxSecs = 10 * 365 * 24 * 3600
		if err != nil || secs > maxSecs {
			secs = maxSecs
		}
		d := time.Duration(secs) * time.Second
		return d, now.Add(d), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, time.Time{}, false
	}
	if d := t.Sub(now); d > 0 {
		return d, t, true
	}
	return 0, now, true
}

// readBounded reads at most limit bytes and reports whether the body was longer.
func readBounded(r io.Reader, limit int64) ([]byte, bool, error) {
	if r == nil {
		return nil, false, nil
	}
	probe := limit
	if probe < math.MaxInt64 {
		probe++ // One byte more than allowed tells "exactly at the limit" from "over it".
	}
	body, err := io.ReadAll(io.LimitReader(r, probe))
	if int64(len(body)) > limit {
		return body[:limit], true, nil
	}
	return body, false, err
}

// closeGate makes every attempt of this client wait until the given instant, because a 429 with
// Retry-After is about the account or the client, not about the one request that got it.
func (c *Client) closeGate(until time.Time) {
	c.gateMu.Lock()
	if until.After(c.gateUntil) {
		c.gateUntil = until
	}
	c.gateMu.Unlock()
}

// waitGate blocks until the gate opens or ctx ends.
func (c *Client) waitGate(ctx context.Context) error {
	for {
		c.gateMu.Lock()
		wait := time.Until(c.gateUntil)
		c.gateMu.Unlock()
		if wait <= 0 {
			return ctx.Err()
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
			// Loop: another response may have moved the gate further while we slept.
		}
	}
}

// logAttempt logs each attempt as it starts, with the time spent waiting since the previous one
// (backoff and Retry-After gate together), so a throttled read shows where its time went.
func (cl *call) logAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	cl.attempts++ // Not the retry number: attempts count on across the retry after a 401.
	cl.start = time.Now()
	cl.body, cl.tooLarge, cl.bodyRead = nil, false, false
	fields := map[string]any{"method": req.Method, "path": req.URL.Path, "query": req.URL.RawQuery, "attempt": cl.attempts}
	if !cl.ended.IsZero() {
		fields["waited"] = cl.start.Sub(cl.ended).Round(time.Millisecond).String()
	}
	cl.c.log(cl.ctx, false, "smsapi: sending request", fields)
}

// logResponse logs each answer after readBody, so the duration covers the whole attempt.
func (cl *call) logResponse(_ retryablehttp.Logger, resp *http.Response) {
	cl.c.log(cl.ctx, resp.StatusCode >= 300, "smsapi: received response", map[string]any{
		"method":     resp.Request.Method,
		"path":       resp.Request.URL.Path,
		"query":      resp.Request.URL.RawQuery,
		"status":     resp.StatusCode,
		"attempt":    cl.attempts,
		"duration":   time.Since(cl.start).Round(time.Microsecond).String(),
		"request_id": resp.Header.Get("X-Request-Id"),
	})
}

// leveledLogger forwards go-retryablehttp's own lines (a failed attempt, the wait before a
// retry) to Config.Logger with the call's context.
type leveledLogger struct{ cl *call }

func (l leveledLogger) Error(msg string, kv ...any) { l.forward(true, msg, kv) }
func (l leveledLogger) Warn(msg string, kv ...any)  { l.forward(true, msg, kv) }
func (l leveledLogger) Info(msg string, kv ...any)  { l.forward(false, msg, kv) }
func (l leveledLogger) Debug(msg string, kv ...any) { l.forward(false, msg, kv) }

func (l leveledLogger) forward(warn bool, msg string, kv []any) {
	fields := map[string]any{"attempt": l.cl.attempts}
	for i := 0; i+1 < len(kv); i += 2 {
		key := fmt.Sprint(kv[i])
		switch v := kv[i+1].(type) {
		case string, int, int64, bool:
			fields[key] = v
		default:
			fields[key] = fmt.Sprint(v)
		}
	}
	l.cl.c.log(l.cl.ctx, warn, "smsapi: "+msg, fields)
}

// log sends one line to Config.Logger with every string field sanitized.
func (c *Client) log(ctx context.Context, warn bool, msg string, fields map[string]any) {
	if c.cfg.Logger == nil {
		return
	}
	secrets := c.secrets()
	for k, v := range fields {
		if s, ok := v.(string); ok {
			fields[k] = sanitize(s, secrets, maxMessageLen)
		}
	}
	if warn {
		c.cfg.Logger.Warn(ctx, msg, fields)
	} else {
		c.cfg.Logger.Debug(ctx, msg, fields)
	}
}
