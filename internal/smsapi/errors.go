package smsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// APIError is a non-2xx answer of the API, after retries ran out for the retryable ones.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// URL is the URL that was requested, without query (see RedactURL).
	URL string
	// Code is error_code from the body, "" if absent.
	Code string
	// Message is error_msg from the body, or a short excerpt of a body that is not a Huawei error.
	Message string
	// RequestID is the X-Request-Id header, or request_id from the body. Huawei support asks for it.
	RequestID string
	// Attempts is the number of HTTP attempts made, retries included.
	Attempts int
	// RetryAfter is non-zero when the API asked to wait longer than Config.MaxRetryAfter.
	RetryAfter time.Time
}

// Error formats as "HTTP 401 (error_code SMS.0202, request id abc): message", followed by the
// attempts and the Retry-After instant when they add information. It never contains credentials:
// the fields are scrubbed when the error is built.
func (e *APIError) Error() string {
	if e == nil {
		return "<nil APIError>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	writeIdentifiers(&b, e.Code, e.RequestID)
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	if !e.RetryAfter.IsZero() {
		b.WriteString("; the API asks to retry after " + e.RetryAfter.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// AsAPIError finds an *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var ae *APIError
	if errors.As(err, &ae) && ae != nil {
		return ae, true
	}
	return nil, false
}

// DecodeError is a 2xx answer whose body is not a valid page: malformed or truncated JSON, HTML,
// not an object, tasks not an array, wrong types, numbers out of range, or too large.
type DecodeError struct {
	// Resource names what was read when it is not a tasks page, such as "source servers page"
	// or "task 1a2b": Offset is then a page's offset or, for a single object, not shown.
	Resource string
	// Offset is the record offset of the page.
	Offset int
	// RequestID is the X-Request-Id header of the response.
	RequestID string
	// URL is the URL that was requested, without query (see RedactURL).
	URL string
	// Err says what is wrong with the body.
	Err error
}

// Error names the page and the request id, which is what Huawei support needs to investigate.
func (e *DecodeError) Error() string {
	if e == nil {
		return "<nil DecodeError>"
	}
	resource, where := "tasks page", fmt.Sprintf("offset %d", e.Offset)
	switch {
	case strings.HasSuffix(e.Resource, " page"):
		resource = e.Resource
	case e.Resource != "":
		resource, where = e.Resource, ""
	}
	if e.RequestID != "" {
		where = strings.TrimPrefix(where+", request id "+e.RequestID, ", ")
	}
	if where != "" {
		where = " (" + where + ")"
	}
	msg := "unknown problem"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("invalid response for %s%s: %s", resource, where, msg)
}

// Unwrap exposes the underlying problem, for example a *json.SyntaxError.
func (e *DecodeError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Limits on what an APIError carries from the body, so a large error page stays readable.
const (
	maxMessageLen = 1024
	maxIDLen      = 128
	excerptLen    = 200
)

// newAPIError builds an APIError from a final non-2xx exchange. Every field that comes from the
// server is scrubbed, because a server may echo the token it was sent.
func (c *Client) newAPIError(ex *exchange) *APIError {
	eb := parseErrorBody(ex.body)
	ae := &APIError{
		Status:     ex.status,
		URL:        ex.url,
		Code:       c.clean(eb.code, maxIDLen),
		RequestID:  c.clean(firstNonEmpty(ex.requestID(), eb.requestID), maxIDLen),
		Attempts:   ex.attempts,
		RetryAfter: ex.retryAfter,
	}
	if eb.found {
		ae.Message = c.clean(eb.message, maxMessageLen)
	} else {
		ae.Message = excerptOf(ex.body, c.secrets())
	}
	return ae
}

// errorBody is what an error response says about itself.
type errorBody struct {
	code, message, requestID string
	found                    bool
}

// parseErrorBody understands the shapes Huawei Cloud services and the API gateway send:
// {"error_code":"SMS.0202","error_msg":"...","request_id":"..."}, the camel-case variant,
// {"code":..,"message":..} and {"error":{"code":..,"message":..}}. Codes may be numbers, or any
// other JSON value (see jsonScalar).
func parseErrorBody(body []byte) errorBody {
	var raw struct {
		ErrorCode    json.RawMessage `json:"error_code"`
		ErrorMsg     json.RawMessage `json:"error_msg"`
		RequestID    json.RawMessage `json:"request_id"`
		CamelCode    json.RawMessage `json:"errorCode"`
		CamelMsg     json.RawMessage `json:"errorMsg"`
		CamelMessage json.RawMessage `json:"errorMessage"`
		Code         json.RawMessage `json:"code"`
		Message      json.RawMessage `json:"message"`
		Error        json.RawMessage `json:"error"`
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &raw) != nil {
		return errorBody{}
	}
	var nested struct {
		Code      json.RawMessage `json:"code"`
		Message   json.RawMessage `json:"message"`
		RequestID json.RawMessage `json:"request_id"`
	}
	nestedMsg := ""
	if t := bytes.TrimSpace(raw.Error); len(t) > 0 && t[0] == '{' {
		_ = json.Unmarshal(t, &nested)
	}
	if jsonScalar(nested.Code) == "" && jsonScalar(nested.Message) == "" {
		// Some gateways send "error": "message"; an object of another shape is shown as it is.
		nestedMsg = jsonScalar(raw.Error)
	}
	eb := errorBody{
		code: firstNonEmpty(jsonScalar(raw.ErrorCode), jsonScalar(nested.Code),
			jsonScalar(raw.CamelCode), jsonScalar(raw.Code)),
		message: firstNonEmpty(jsonScalar(raw.ErrorMsg), jsonScalar(nested.Message),
			jsonScalar(raw.CamelMsg), jsonScalar(raw.CamelMessage), jsonScalar(raw.Message), nestedMsg),
		requestID: firstNonEmpty(jsonScalar(raw.RequestID), jsonScalar(nested.RequestID)),
	}
	eb.found = eb.code != "" || eb.message != ""
	return eb
}

// jsonScalar renders a JSON value of an error body as text: a string trimmed, anything else as
// compact JSON (500, true, {"id":"X"}), so that a code of any type is named. What isErrorValue
// counts as no error (null, "", {} and []) is "".
func jsonScalar(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if !isErrorValue(false, t) {
		return ""
	}
	var s string
	if json.Unmarshal(t, &s) == nil {
		return strings.TrimSpace(s)
	}
	var b bytes.Buffer
	if json.Compact(&b, t) != nil {
		return ""
	}
	return b.String()
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// excerpt turns the start of an arbitrary body into one short line of valid UTF-8. Markup is
// dropped because gateways answer with HTML pages whose text is the only useful part.
func excerpt(body []byte, n int) string {
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "<") {
		s = stripTags(t)
	}
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	return truncate(s, n)
}

// stripTags removes <...> sequences and the contents of script and style elements.
func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	skipping := ""
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case inTag:
			if ch == '>' {
				inTag = false
			}
		case ch == '<':
			inTag = true
			rest := strings.ToLower(s[i+1:])
			switch {
			case skipping != "" && strings.HasPrefix(rest, "/"+skipping):
				skipping = ""
			case skipping == "" && strings.HasPrefix(rest, "script"):
				skipping = "script"
			case skipping == "" && strings.HasPrefix(rest, "style"):
				skipping = "style"
			}
			b.WriteByte(' ')
		case skipping == "":
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	return s[:cut] + "…"
}

// writeIdentifiers appends " (error_code X, request id Y)", leaving out whichever is empty: the
// two values support asks for, in the same form in every error the client returns.
func writeIdentifiers(b *strings.Builder, code, requestID string) {
	var ids []string
	if code != "" {
		ids = append(ids, "error_code "+code)
	}
	if requestID != "" {
		ids = append(ids, "request id "+requestID)
	}
	if len(ids) > 0 {
		b.WriteString(" (" + strings.Join(ids, ", ") + ")")
	}
}
