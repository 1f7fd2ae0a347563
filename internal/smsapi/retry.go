package smsapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryableStatus lists the statuses that signal a transient condition on Huawei Cloud.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// checkRetry decides after every attempt. It also reads the whole body (bounded by
// MaxResponseBytes) and replaces it with an in-memory reader: a connection that dies in the
// middle of a 200 body is then a retryable failure instead of a decode error seen too late.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateOf(ctx)
	defer func() { st.ended = time.Now() }() // After the body is read: the wait starts here.
	if err != nil {
		c.log(ctx, true, "smsapi: request failed", map[string]any{
			"method":   st.method,
			"path":     st.path,
			"query":    st.query,
			"attempt":  st.attempts,
			"duration": durationField(st.start),
			"error":    err.Error(),
		})
		return retryableTransportError(ctx, err), nil
	}
	if resp == nil {
		return false, errors.New("no response and no error from the HTTP client")
	}

	body, tooLarge, readErr := readBounded(resp.Body, c.cfg.MaxResponseBytes)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	st.body, st.tooLarge, st.bodyErr = body, tooLarge, readErr
	if readErr != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		readErr = fmt.Errorf("reading the response body: %w", readErr)
		st.bodyErr = readErr
		if resp.StatusCode/100 == 2 || retryableStatus(resp.StatusCode) {
			return true, readErr
		}
		// A broken error body is still a definite answer; the partial body explains it.
		return false, nil
	}

	if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if d, until, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if d > c.cfg.MaxRetryAfter {
			// Waiting that long inside a Terraform run would look like a hang; fail with the time.
			st.retryAfter = until
			return false, nil
		}
		c.closeGate(until)
	}
	return true, nil
}

// retryableTransportError keeps retryablehttp's judgement (TLS, scheme, header and redirect-loop
// errors are final) and adds the client's own final errors.
func retryableTransportError(ctx context.Context, err error) bool {
	var ae *authError
	if errors.Is(err, errRedirectRefused) || errors.Is(err, errForeignOrigin) || errors.As(err, &ae) {
		return false
	}
	retry, _ := retryablehttp.ErrorPropagatedRetryPolicy(ctx, nil, err)
	return retry
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

// backoff honours an accepted Retry-After exactly (checkRetry has already refused larger ones);
// otherwise it doubles from RetryWaitMin up to RetryWaitMax with jitter in the upper half, so
// concurrent pages that failed together do not come back together, and no wait is below min.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && retryableStatus(resp.StatusCode) {
		if d, _, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && d <= c.cfg.MaxRetryAfter {
			return d
		}
	}
	return jitteredBackoff(minWait, maxWait, attempt)
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
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				secs = 1 << 62 // Still "too long"; the exact value no longer matters.
			} else {
				return 0, time.Time{}, false
			}
		}
		// Ten years keeps the arithmetic below far from overflow.
		const maxSecs = 10 * 365 * 24 * 3600
		secs = min(secs, maxSecs)
		d := time.Duration(secs) * time.Second
		return d, now.Add(d), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, time.Time{}, false
	}
	d := t.Sub(now)
	if d < 0 {
		return 0, now, true
	}
	return d, t, true
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

// waitGate blocks until the gate opens or ctx ends. On cancellation it returns quietly and the
// attempt then fails at once with the context's error.
func (c *Client) waitGate(ctx context.Context) {
	for {
		c.gateMu.Lock()
		wait := time.Until(c.gateUntil)
		c.gateMu.Unlock()
		if wait <= 0 {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
			// Loop: another response may have moved the gate further while we slept.
		}
	}
}
