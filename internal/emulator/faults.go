package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Fault replaces the answer to the next matching requests, to test how a client copes with
// throttling, server errors and broken bodies. Faults are checked after the route and the token,
// so only authenticated requests to an API endpoint consume them.
//
// What is sent: Status (200 when 0) with Body, or, when Body is empty, the normal page for a 200
// (or the endpoint's own answer, 400 or 404 included) or a Huawei-style JSON error for any other status. MalformedJSON then sends only the first half
// of that body, with a matching Content-Length, so the response arrives whole but does not parse.
// TruncateBody announces the full Content-Length, sends half, and drops the connection, so the
// client gets an error while reading the body. A Fault with none of Status, Body, MalformedJSON
// and TruncateBody set only adds Delay, after which the request is served normally.
type Fault struct {
	// Status is the HTTP status to answer, e.g. 429, 500, 502, 503, 504, 400, 401 or 403.
	Status int
	// RetryAfter, when not "", is sent as the Retry-After header, e.g. "2" or an HTTP date.
	RetryAfter string
	// Body, when not "", is sent as the body instead of the default one.
	Body string
	// MalformedJSON sends half of the body, so that it is not valid JSON.
	MalformedJSON bool
	// TruncateBody sends half of the body and then closes the connection.
	TruncateBody bool
	// Delay is waited before answering; it ends early when the client gives up.
	Delay time.Duration
	// Offset, when not nil, limits the fault to requests whose offset parameter has this value;
	// an absent or empty offset counts as 0 and a non-integer one matches no Offset. Go 1.26
	// allows Offset: new(100).
	Offset *int
	// Path, when not "", limits the fault to requests for this endpoint, given without the
	// PathPrefix: "/v3/tasks", "/v3/sources", "/v3/sources/overview" or "/v3/tasks/{task_id}".
	Path string
	// Times is how many requests the fault answers; 0 (or less) means 1.
	Times int
}

// pendingFault is an injected Fault and how many more requests it answers.
type pendingFault struct {
	Fault
	left int
}

// InjectFaults queues faults. Each request takes the first queued fault that matches its offset,
// so faults for the same offset apply in the order given.
func (s *Server) InjectFaults(faults ...Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for _, f := range faults {
		s.faults = append(s.faults, pendingFault{Fault: f, left: max(f.Times, 1)})
	}
}

// PendingFaults returns how many requests the queued faults will still answer, so that a test
// can check that a client made every request it was expected to.
func (s *Server) PendingFaults() int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.left
	}
	return n
}

// takeFault removes one use of the first fault matching path and query and returns it.
func (s *Server) takeFault(path string, query url.Values) (Fault, bool) {
	offset, ok := offsetOf(query)
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Offset != nil && (!ok || *f.Offset != offset) || f.Path != "" && f.Path != path {
			continue
		}
		taken := f.Fault
		if f.left--; f.left == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return taken, true
	}
	return Fault{}, false
}

// randomFailure draws whether this request fails under Options.FailureRate.
func (s *Server) randomFailure() bool {
	if s.opts.FailureRate <= 0 {
		return false
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.rng.Float64() < s.opts.FailureRate
}

// serveFault answers r according to f and reports whether it did; false means f only delayed
// the request (or the client left during the delay, which also ends the request). answer is the
// service's own answer, which a fault of status 200 without a body breaks.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault, answer func() (int, []byte), id string) bool {
	if !sleep(r.Context(), f.Delay) {
		return true
	}
	if f.Status == 0 && f.Body == "" && !f.MalformedJSON && !f.TruncateBody {
		return false
	}
	s.countFault()
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := []byte(f.Body)
	switch {
	case f.Body != "":
	case status == http.StatusOK:
		_, body = answer()
	default:
		body = defaultErrorBody(status, id)
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.TruncateBody:
		truncate(w, status, body)
	case f.MalformedJSON:
		writeBody(w, status, body[:len(body)/2])
	default:
		writeBody(w, status, body)
	}
	return true
}

// truncate promises len(body) bytes, sends half of them and aborts the connection. The flush
// matters: without it the half body would still sit in the server's buffer when the connection
// is dropped, and the client would see no response at all instead of a short body.
func truncate(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body[:len(body)/2]) //nolint:errcheck // The connection is dropped next anyway.
	_ = http.NewResponseController(w).Flush()
	// ErrAbortHandler makes net/http close the connection without logging a panic.
	panic(http.ErrAbortHandler)
}

// defaultErrorBody is the error a fault sends when it has no Body: the gateway's throttling
// error for 429, the service's parameter and token errors for 400 and 401, and the service's
// generic system error, SMS.9999, for everything else.
func defaultErrorBody(status int, id string) []byte {
	code, msg := "SMS.9999", http.StatusText(status)
	switch {
	case status == http.StatusTooManyRequests:
		code, msg = "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second"
	case status == http.StatusBadRequest:
		code, msg = "SMS.9004", "Invalid parameter"
	case status == http.StatusUnauthorized:
		code, msg = "APIG.1002", "Incorrect token or token resolution failed"
	case status == http.StatusForbidden:
		msg = "Forbidden: the user has no permission for this operation"
	case status >= 500:
		msg = "System error: " + http.StatusText(status)
	}
	return errorBody(code, msg, id)
}

func errorBody(code, msg, id string) []byte {
	return marshal(struct {
		Code      string `json:"error_code"`
		Message   string `json:"error_msg"`
		RequestID string `json:"request_id"`
	}{code, msg, id})
}

// writeError sends a Huawei-style JSON error whose request_id repeats the X-Request-Id header.
func writeError(w http.ResponseWriter, status int, code, msg, id string) {
	writeBody(w, status, errorBody(code, msg, id))
}

// writeBody sends body with the service's content type and an exact Content-Length.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // A client that went away is not the emulator's error.
}
