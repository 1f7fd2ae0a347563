package directstate

import (
	"bytes"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// splice copies the msgpack object state, writing the values in place of those attributes,
// which must be null in state. It walks only the top level of state: each attribute's name is
// decoded and its value skipped, and the bytes in between are copied as they are. The result is
// written into one buffer of its exact size, measured first.
func splice(state []byte, values map[string]writeFunc) ([]byte, error) {
	var measured countingWriter
	enc := msgpack.NewEncoder(&measured)
	for name, write := range values {
		if err := write(enc); err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
	}
	size := len(state) + int(measured) - len(values) // each value replaces a one-byte null
	out := appendWriter(make([]byte, 0, size))
	enc.Reset(&out)

	r := bytes.NewReader(state)
	dec := msgpack.NewDecoder(r) // reads r directly, so r.Len() tells the position
	pos := func() int { return len(state) - r.Len() }
	n, err := dec.DecodeMapLen()
	switch {
	case err != nil:
		return nil, fmt.Errorf("state: %w", err)
	case n < 0:
		return nil, fmt.Errorf("state is null")
	}
	out = append(out, state[:pos()]...)
	replaced := 0
	for range n {
		keyStart := pos()
		name, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("state attribute name: %w", err)
		}
		valueStart := pos()
		code, err := dec.PeekCode()
		if err == nil {
			err = dec.Skip()
		}
		if err != nil {
			return nil, fmt.Errorf("state attribute %q: %w", name, err)
		}
		out = append(out, state[keyStart:valueStart]...)
		write, ok := values[name]
		if !ok {
			out = append(out, state[valueStart:pos()]...)
			continue
		}
		if code != msgpcode.Nil {
			return nil, fmt.Errorf("state attribute %q is not null", name)
		}
		if err := write(enc); err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		replaced++
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("state: %d trailing bytes", r.Len())
	}
	if replaced != len(values) {
		return nil, fmt.Errorf("%d of %d direct attributes are not in the schema", len(values)-replaced, len(values))
	}
	return out, out.check(size)
}
