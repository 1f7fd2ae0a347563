package emulator

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Stats counts what a Server was asked since it was created or since ResetStats.
type Stats struct {
	// Requests is the number of requests received, whatever their path or outcome.
	Requests int
	// PerOffset counts requests by their offset parameter; an absent or empty offset counts as
	// 0 and a non-integer one is not counted. Without retries, a client that pages correctly asks
	// each offset once.
	PerOffset map[int]int
	// InFlight is the number of requests being served right now.
	InFlight int
	// MaxInFlight is the largest InFlight seen. A request is in flight for the whole handler,
	// Latency and fault delays included, so this measures the client's real concurrency.
	MaxInFlight int
	// Faults is the number of requests answered by an injected Fault or by FailureRate; faults
	// that only add a delay are not counted.
	Faults int
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	st := s.stats
	st.PerOffset = maps.Clone(s.stats.PerOffset)
	return st
}

// Queries returns the query of every request received, in arrival order.
func (s *Server) Queries() []url.Values {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := make([]url.Values, len(s.queries))
	for i, q := range s.queries {
		out[i] = cloneValues(q)
	}
	return out
}

// ResetStats zeroes the counters and forgets the queries, e.g. between two steps of a test.
// Requests still in flight stay counted in InFlight, and MaxInFlight restarts from there.
func (s *Server) ResetStats() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats = Stats{PerOffset: map[int]int{}, InFlight: s.stats.InFlight, MaxInFlight: s.stats.InFlight}
	s.queries = nil
}

// begin records an arriving request.
func (s *Server) begin(query url.Values) {
	offset, ok := offsetOf(query)
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Requests++
	if ok {
		s.stats.PerOffset[offset]++
	}
	s.stats.InFlight++
	s.stats.MaxInFlight = max(s.stats.MaxInFlight, s.stats.InFlight)
	s.queries = append(s.queries, query) // Parsed for this request alone and never modified.
}

// end records that a request has been answered or abandoned.
func (s *Server) end() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.InFlight--
}

func (s *Server) countFault() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Faults++
}

// offsetOf reads the offset parameter leniently, for counting and for matching faults; it does
// not validate the range, which is the handler's job.
func offsetOf(query url.Values) (int, bool) {
	v := query.Get("offset")
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// statusRecorder remembers the status written, for Options.Logf.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the real writer, which TruncateBody needs to flush.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) log(logf func(string, ...any), req *http.Request, id string, start time.Time) {
	status := "no response (client gone)"
	if r.status != 0 {
		status = strconv.Itoa(r.status)
	}
	logf("%s %s -> %s in %v, request id %s", req.Method, req.URL.RequestURI(), status,
		time.Since(start).Round(time.Millisecond), id)
}
