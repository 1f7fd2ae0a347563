package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
)

// record is one stored task: the keys the filters compare, extracted once, beside the task's
// JSON, which is served exactly as given so that nulls, absent fields, key order and even
// whitespace reach the client unchanged.
type record struct {
	id, name, state, sourceServerID, enterpriseProjectID string
	raw                                                  json.RawMessage
}

// newRecords builds records for tasks, reusing the keys of any task whose bytes are the very
// same slice as in prev, so that Mutate on a large data set only decodes what changed.
func newRecords(tasks []json.RawMessage, prev []record) ([]record, error) {
	type ident struct {
		p *byte
		n int
	}
	known := make(map[ident]record, len(prev))
	for _, r := range prev {
		if len(r.raw) > 0 {
			known[ident{&r.raw[0], len(r.raw)}] = r
		}
	}
	out := make([]record, len(tasks))
	for i, raw := range tasks {
		if len(raw) > 0 {
			if r, ok := known[ident{&raw[0], len(raw)}]; ok {
				out[i] = r
				continue
			}
		}
		r, err := newRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("emulator: task %d: %w", i, err)
		}
		out[i] = r
	}
	return out, nil
}

// maxDepth bounds nesting like encoding/json does, so that a hostile task cannot exhaust the
// stack of the recursive scanner.
const maxDepth = 10000

// newRecord checks that raw is one well-formed JSON object and extracts its filter keys in the
// same pass. A hand-written scanner is used instead of json.Valid plus json.Unmarshal because
// it reads each byte once: keying 65,535 generated tasks that way takes a fraction of the time,
// which matters for New and for Mutate in paging tests. A filter key that is absent, null or not
// a string stays "", which no filter can match, because an empty filter value means no filter.
//
// Validation matters because tasks are copied into responses without re-encoding: a broken task
// would silently corrupt every page containing it. Type mismatches, on the other hand, are
// served as given (a test may serve a numeric id to see how the client copes).
func newRecord(raw json.RawMessage) (record, error) {
	s := scanner{b: raw}
	s.space()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return record{}, errors.New("task is not a JSON object")
	}
	if err := s.object(1, levelTask); err != nil {
		return record{}, err
	}
	s.space()
	if s.i != len(s.b) {
		return record{}, s.fail("data after the task object")
	}
	s.rec.raw = raw
	return s.rec, nil
}

// Levels tell object which members to capture: those of the task itself, those of its
// source_server, or none.
const (
	levelNone = iota
	levelTask
	levelSourceServer
)

// scanner is a validating recursive-descent JSON reader over one task.
type scanner struct {
	b   []byte
	i   int
	rec record
}

func (s *scanner) fail(what string) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", s.i, what)
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value scans any JSON value at s.i.
func (s *scanner) value(depth int) error {
	s.space()
	if s.i >= len(s.b) {
		return s.fail("unexpected end")
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(depth+1, levelNone)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		_, _, err := s.str()
		return err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	}
	return s.fail("unexpected character")
}

// object scans the object at s.i, storing the string members that level asks for in s.rec.
func (s *scanner) object(depth, level int) error {
	if depth > maxDepth {
		return s.fail("nesting too deep")
	}
	s.i++ // '{'
	s.space()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return s.fail("expected a member name")
		}
		key, escaped, err := s.str()
		if err != nil {
			return err
		}
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return s.fail("expected ':'")
		}
		s.i++
		s.space()
		if err := s.member(depth, level, key, escaped); err != nil {
			return err
		}
		s.space()
		if s.i >= len(s.b) {
			return s.fail("unexpected end in object")
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.fail("expected ',' or '}'")
		}
	}
}

// member scans one member's value and, when it is a filter key, records it.
func (s *scanner) member(depth, level int, key []byte, escaped bool) error {
	if level == levelNone {
		return s.value(depth)
	}
	name := string(key) // The compiler does not allocate for a conversion used only in a switch.
	if escaped {
		name = unescape(key)
	}
	var dst *string
	switch {
	case level == levelSourceServer && name == "id":
		dst = &s.rec.sourceServerID
	case level == levelSourceServer:
		return s.value(depth)
	case name == "source_server":
		s.rec.sourceServerID = ""
		if s.i < len(s.b) && s.b[s.i] == '{' {
			return s.object(depth+1, levelSourceServer)
		}
		return s.value(depth)
	case name == "id":
		dst = &s.rec.id
	case name == "name":
		dst = &s.rec.name
	case name == "state":
		dst = &s.rec.state
	case name == "enterprise_project_id":
		dst = &s.rec.enterpriseProjectID
	default:
		return s.value(depth)
	}
	*dst = ""
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return s.value(depth)
	}
	v, esc, err := s.str()
	if err != nil {
		return err
	}
	if esc {
		*dst = unescape(v)
	} else {
		*dst = string(v)
	}
	return nil
}

func (s *scanner) array(depth int) error {
	if depth > maxDepth {
		return s.fail("nesting too deep")
	}
	s.i++ // '['
	s.space()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return nil
	}
	for {
		if err := s.value(depth); err != nil {
			return err
		}
		s.space()
		if s.i >= len(s.b) {
			return s.fail("unexpected end in array")
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.fail("expected ',' or ']'")
		}
	}
}

// str scans the string at s.i and returns its contents without the quotes, still escaped,
// and whether they need decoding (escapes or non-ASCII bytes).
func (s *scanner) str() ([]byte, bool, error) {
	s.i++ // '"'
	start, escaped := s.i, false
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], escaped, nil
		case c < 0x20:
			return nil, false, s.fail("control character in string")
		case c >= 0x80:
			// Non-ASCII goes the slow way too, so that invalid UTF-8 becomes U+FFFD exactly as
			// encoding/json decodes it.
			escaped = true
			s.i++
		case c == '\\':
			escaped = true
			if s.i+1 >= len(s.b) {
				return nil, false, s.fail("unexpected end in escape")
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return nil, false, s.fail("unexpected end in \\u escape")
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !isHex(h) {
						return nil, false, s.fail("bad \\u escape")
					}
				}
				s.i += 6
			default:
				return nil, false, s.fail("bad escape")
			}
		default:
			s.i++
		}
	}
	return nil, false, s.fail("unterminated string")
}

func (s *scanner) literal(lit string) error {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return s.fail("bad literal")
	}
	s.i += len(lit)
	return nil
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scanner) number() error {
	if s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case s.i < len(s.b) && s.b[s.i] >= '1' && s.b[s.i] <= '9':
		s.digits()
	default:
		return s.fail("bad number")
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return s.fail("bad fraction")
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return s.fail("bad exponent")
		}
	}
	return nil
}

func (s *scanner) digits() int {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i - start
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// unescape decodes the contents of a JSON string that has escapes. It is the rare path, so it
// leans on encoding/json for exact JSON semantics (surrogate pairs, invalid UTF-8).
func unescape(contents []byte) string {
	quoted := make([]byte, 0, len(contents)+2)
	quoted = append(append(append(quoted, '"'), contents...), '"')
	var out string
	if err := json.Unmarshal(quoted, &out); err != nil {
		return string(contents) // Unreachable: str has already validated the escapes.
	}
	return out
}
