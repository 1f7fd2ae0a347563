package smsapi

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// One way to read: every GET of the API, a page of a listing (see listSpec) as much as a single
// object (ShowTask, ShowSourcesOverview), goes through getAnswer. It holds a slot of the
// client-wide concurrency limit while the request and its retries run (c.get), turns a non-2xx
// answer into an *APIError and decodes a 2xx one through decodeAnswer, so that every answer gets
// the same checks and its failures the same *DecodeError.

// answer says what one GET must answer: the names its errors use and, for a page, the items
// array, its limit and how the decoded page is finished.
type answer[R any] struct {
	// resource names what is read in errors: "tasks page", "task 1a2b".
	resource string
	// offset is a page's record offset, named in its errors.
	offset int
	// want is what the body must be, for errors about its shape: "an object with count and tasks".
	want string
	// name is what an error body came instead of: "a task list"; want when empty.
	name string
	// itemsKey is a page's items array, "" for a single object; a page holding more than limit
	// items is rejected before they are decoded.
	itemsKey string
	limit    int
	// settle, when set, finishes a decoded body from whether itemsKey held an array, and whether
	// the scan could tell (see settleItems).
	settle func(dst *R, itemsPresent, scanned bool) error
	// validate, when set, judges the decoded answer; its error fails the read as an invalid
	// response, like a body that does not decode.
	validate func(dst *R) error
}

// what names the answer in an error that is not about its body.
func (a *answer[R]) what() string {
	if a.itemsKey == "" {
		return a.resource
	}
	return fmt.Sprintf("%s at offset %d", a.resource, a.offset)
}

// decode parses body into dst (see decodeBody) and settles the result.
func (a *answer[R]) decode(body []byte, dst *R) error {
	present, scanned, err := decodeBody(body, a.want, a.itemsKey, a.limit, dst)
	if err == nil && a.settle != nil {
		err = a.settle(dst, present, scanned)
	}
	return err
}

// getAnswer GETs u into dst and returns the answer's request id (see readAnswer). The slot of
// the client-wide limit is given back before the body is decoded, so the next request can start
// meanwhile.
func getAnswer[R any](ctx context.Context, c *Client, u *url.URL, a answer[R], dst *R) (string, error) {
	if err := c.acquire(ctx); err != nil {
		return "", fmt.Errorf("smsapi: reading %s: %w", a.what(), err)
	}
	ex, err := c.get(ctx, u)
	c.release()
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("smsapi: reading %s: %w", a.what(), err)
		}
		return "", err
	}
	return readAnswer(c, ex, a, dst)
}

// readAnswer turns a final exchange into dst: a non-2xx is an *APIError; a 2xx is decoded by
// decodeAnswer and judged by a.validate, and any failure of either is a *DecodeError naming
// a.resource, its offset, the request id and the URL.
func readAnswer[R any](c *Client, ex *exchange, a answer[R], dst *R) (string, error) {
	reqID := c.clean(ex.requestID(), maxIDLen)
	if ex.status < 200 || ex.status > 299 {
		return reqID, c.newAPIError(ex)
	}
	sizeHint := "for one answer"
	if a.itemsKey != "" {
		sizeHint = "for one page; use a smaller page size"
	}
	name := a.name
	if name == "" {
		name = a.want
	}
	err := c.decodeAnswer(ex, name, sizeHint, func(body []byte, keep bool) (any, error) {
		into := dst
		if !keep {
			// A masked copy is decoded only for its error; it must not overwrite dst, nor the
			// listing's window that dst's items may point into.
			into = new(R)
		}
		return into, a.decode(body, into)
	})
	if err == nil && a.validate != nil {
		err = sanitizeErr(a.validate(dst), c.secrets())
	}
	if err != nil {
		return reqID, &DecodeError{Resource: a.resource, Offset: a.offset, RequestID: reqID, URL: ex.url, Err: err}
	}
	return reqID, nil
}

// apiURL is the endpoint with path appended (path is already escaped) and query.
func (c *Client) apiURL(escapedPath string, query url.Values) (*url.URL, error) {
	base := c.tasksURL
	escaped := strings.TrimSuffix(base.EscapedPath(), "/v3/tasks") + escapedPath
	u, err := url.Parse(escaped)
	if err != nil {
		return nil, fmt.Errorf("smsapi: building the URL: %w", err)
	}
	base.Path, base.RawPath = u.Path, u.RawPath
	base.RawQuery = query.Encode()
	return &base, nil
}
