package directstate

import (
	"context"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// writeFunc writes one attribute's value. It runs twice, once into a countingWriter to measure
// the value and once into the state's buffer, so it must write the same bytes each time.
type writeFunc func(enc *msgpack.Encoder) error

// collector holds, during one ReadDataSource call, the attributes the data source leaves to the
// server. A context value is the only channel through the framework into a data source's Read;
// it lives for one call and only that Read writes to it.
type collector struct {
	values map[string]writeFunc
}

type collectorKey struct{}

// put hands an attribute's value to the server, and reports whether it did: it does only when
// the read runs under NewServer.
func put(ctx context.Context, attribute string, write writeFunc) bool {
	c, ok := ctx.Value(collectorKey{}).(*collector)
	if ok {
		c.values[attribute] = write
	}
	return ok
}

// PutStringMap hands a map of strings (a nil value is null) to the server as the value of a map
// attribute, as List.Put does for a list.
func PutStringMap(ctx context.Context, attribute string, m map[string]*string) bool {
	return put(ctx, attribute, stringMapWriter(m))
}

// EncodeStringMap returns the msgpack of m as PutStringMap writes it. The entries are in the
// map's iteration order, as terraform-plugin-go writes them; Terraform reads a map's keys, not
// their order.
func EncodeStringMap(m map[string]*string) []byte {
	b, err := encode(stringMapWriter(m))
	if err != nil {
		panic(fmt.Sprintf("directstate: writing a string map cannot fail: %v", err))
	}
	return b
}

func stringMapWriter(m map[string]*string) writeFunc {
	return func(enc *msgpack.Encoder) error {
		if err := enc.EncodeMapLen(len(m)); err != nil {
			return err
		}
		for k, v := range m {
			if err := enc.EncodeString(k); err != nil {
				return err
			}
			var err error
			if v == nil {
				err = enc.EncodeNil()
			} else {
				err = enc.EncodeString(*v)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// encode writes one value into a buffer of its exact size.
func encode(write writeFunc) ([]byte, error) {
	var size countingWriter
	enc := msgpack.NewEncoder(&size)
	if err := write(enc); err != nil {
		return nil, err
	}
	out := appendWriter(make([]byte, 0, int(size)))
	enc.Reset(&out)
	if err := write(enc); err != nil {
		return nil, err
	}
	return out, out.check(int(size))
}

// countingWriter counts the bytes the encoder writes, and keeps none of them.
type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

func (w *countingWriter) WriteByte(byte) error {
	*w++
	return nil
}

// appendWriter appends what the encoder writes to a byte slice. It implements io.ByteWriter, so
// the encoder writes single bytes without wrapping it or allocating.
type appendWriter []byte

func (w *appendWriter) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	return len(p), nil
}

func (w *appendWriter) WriteByte(c byte) error {
	*w = append(*w, c)
	return nil
}

// check fails when the output did not fill the buffer measured for it exactly: the buffer
// would have grown by copying itself, or a value wrote other bytes than it measured.
func (w appendWriter) check(size int) error {
	if len(w) != size || cap(w) != size {
		return fmt.Errorf("wrote %d bytes into a buffer of %d measured for %d", len(w), cap(w), size)
	}
	return nil
}
