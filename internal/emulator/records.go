package emulator

import (
	"bytes"
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

// taskKeys are the members of a task that the filters compare. encoding/json matches member
// names case-insensitively; the generated and example data never rely on that.
type taskKeys struct {
	ID                  looseString `json:"id"`
	Name                looseString `json:"name"`
	State               looseString `json:"state"`
	EnterpriseProjectID looseString `json:"enterprise_project_id"`
	SourceServer        looseObject `json:"source_server"`
}

// looseString keeps a JSON string and turns any other value (null, a number, an object) into "",
// which no filter can match, because an empty filter value means no filter. Type mismatches are
// served as given: a test may serve a numeric id to see how the client copes.
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	*s = ""
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, (*string)(s))
	}
	return nil
}

// looseObject is a nested object whose id or vm_id a filter compares (a task's source_server, a
// server's current_task.clone_server); any other JSON value leaves both "".
type looseObject struct {
	ID   looseString `json:"id"`
	VMID looseString `json:"vm_id"`
}

func (o *looseObject) UnmarshalJSON(b []byte) error {
	*o = looseObject{}
	if len(b) > 0 && b[0] == '{' {
		type plain looseObject // Without the method, so that Unmarshal does not recurse.
		return json.Unmarshal(b, (*plain)(o))
	}
	return nil
}

// newRecord checks that raw is one well-formed JSON object and extracts its filter keys.
// Validation matters because tasks are copied into responses without re-encoding: a broken task
// would silently corrupt every page containing it.
func newRecord(raw json.RawMessage) (record, error) {
	var keys taskKeys
	if err := decodeObject(raw, &keys); err != nil {
		return record{}, err
	}
	return record{
		id: string(keys.ID), name: string(keys.Name), state: string(keys.State),
		sourceServerID: string(keys.SourceServer.ID), enterpriseProjectID: string(keys.EnterpriseProjectID),
		raw: raw,
	}, nil
}

// decodeObject decodes raw, which must be one JSON object, into keys.
func decodeObject(raw []byte, keys any) error {
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return errors.New("not a JSON object")
	}
	if err := json.Unmarshal(raw, keys); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return nil
}
