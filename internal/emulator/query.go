package emulator

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// pageQuery is a validated query. Empty filter strings mean "no filter".
type pageQuery struct {
	state, name, id, sourceServerID, enterpriseProjectID string
	limit, offset                                        int
}

// parseQuery validates the query as the service does. A filter given with an empty value
// (?name=) does not filter: the real API treats an empty value like an absent parameter, so a
// client that always sends every parameter still lists everything. An empty limit or offset is
// likewise taken as absent and gets its default. Unknown parameters are ignored.
func parseQuery(v url.Values) (pageQuery, error) {
	q := pageQuery{
		state:               v.Get("state"),
		name:                v.Get("name"),
		id:                  v.Get("id"),
		sourceServerID:      v.Get("source_server_id"),
		enterpriseProjectID: v.Get("enterprise_project_id"),
	}
	var err error
	if q.limit, err = intParam(v, "limit", 100, 200); err != nil {
		return q, err
	}
	if q.offset, err = intParam(v, "offset", 0, 65535); err != nil {
		return q, err
	}
	if q.state != "" && !validState(q.state) {
		return q, paramError(fmt.Sprintf("state must be one of %s, got %q", strings.Join(States, ", "), q.state))
	}
	return q, nil
}

func intParam(v url.Values, name string, def, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > hi {
		return 0, paramError(fmt.Sprintf("%s must be an integer from 0 to %d, got %q", name, hi, s))
	}
	return n, nil
}

// paramError is a rejected query parameter; its text is the error_msg of the 400 answer, in the
// service's wording.
type paramError string

func (e paramError) Error() string { return "Invalid parameter: " + string(e) }

func validState(state string) bool {
	for _, s := range States {
		if s == state {
			return true
		}
	}
	return false
}

func (q pageQuery) filters() bool {
	return q.state != "" || q.name != "" || q.id != "" || q.sourceServerID != "" || q.enterpriseProjectID != ""
}

func (q pageQuery) match(r *record) bool {
	return (q.state == "" || q.state == r.state) &&
		(q.name == "" || q.name == r.name) &&
		(q.id == "" || q.id == r.id) &&
		(q.sourceServerID == "" || q.sourceServerID == r.sourceServerID) &&
		(q.enterpriseProjectID == "" || q.enterpriseProjectID == r.enterpriseProjectID)
}

// page builds the 200 body for q. The offset counts matching tasks, not pages: the body holds
// matches[offset:offset+limit], and count is the number of all matches. The task bytes are
// copied as stored, never decoded and re-encoded.
func (s *Server) page(q pageQuery) []byte {
	recs := *s.data.Load()
	var sel []*record
	count := len(recs)
	if !q.filters() {
		for i := q.offset; i < len(recs) && i < q.offset+q.limit; i++ {
			sel = append(sel, &recs[i])
		}
	} else {
		count = 0
		for i := range recs {
			if !q.match(&recs[i]) {
				continue
			}
			if count >= q.offset && count < q.offset+q.limit {
				sel = append(sel, &recs[i])
			}
			count++
		}
	}
	size := 40
	for _, r := range sel {
		size += len(r.raw) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, `{"count":`...)
	b = strconv.AppendInt(b, int64(count), 10)
	b = append(b, `,"tasks":[`...)
	for i, r := range sel {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r.raw...)
	}
	return append(b, "]}"...)
}
