package provider

import (
	"errors"
	"fmt"
)

// msgpackReader walks msgpack just far enough to find the byte ranges of an object's attributes:
// it reads map headers and strings and skips any value without decoding it.
type msgpackReader struct {
	b   []byte
	pos int
}

var errShortMsgpack = errors.New("msgpack ends early")

// take returns the next n bytes.
func (r *msgpackReader) take(n int) ([]byte, error) {
	if n < 0 || len(r.b)-r.pos < n {
		return nil, errShortMsgpack
	}
	p := r.b[r.pos : r.pos+n]
	r.pos += n
	return p, nil
}

// uint reads a big-endian unsigned number of n bytes.
func (r *msgpackReader) uint(n int) (int, error) {
	p, err := r.take(n)
	if err != nil {
		return 0, err
	}
	v := 0
	for _, c := range p {
		v = v<<8 | int(c)
	}
	return v, nil
}

func (r *msgpackReader) code() (byte, error) {
	p, err := r.take(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

func (r *msgpackReader) mapLen() (int, error) {
	c, err := r.code()
	switch {
	case err != nil:
		return 0, err
	case c&0xf0 == 0x80:
		return int(c & 0x0f), nil
	case c == 0xde:
		return r.uint(2)
	case c == 0xdf:
		return r.uint(4)
	}
	return 0, fmt.Errorf("msgpack code 0x%02x at %d is not a map", c, r.pos-1)
}

func (r *msgpackReader) str() (string, error) {
	c, err := r.code()
	if err != nil {
		return "", err
	}
	n, err := r.strLen(c)
	if err != nil {
		return "", err
	}
	p, err := r.take(n)
	return string(p), err
}

func (r *msgpackReader) strLen(c byte) (int, error) {
	switch {
	case c&0xe0 == 0xa0:
		return int(c & 0x1f), nil
	case c == 0xd9:
		return r.uint(1)
	case c == 0xda:
		return r.uint(2)
	case c == 0xdb:
		return r.uint(4)
	}
	return 0, fmt.Errorf("msgpack code 0x%02x at %d is not a string", c, r.pos-1)
}

// skip passes over one value of any type, nested ones included.
func (r *msgpackReader) skip() error {
	c, err := r.code()
	if err != nil {
		return err
	}
	var size, items int // bytes to pass over, then values to skip
	switch {
	case c <= 0x7f, c >= 0xe0, c == 0xc0, c == 0xc2, c == 0xc3:
	case c&0xf0 == 0x80:
		items = 2 * int(c&0x0f)
	case c&0xf0 == 0x90:
		items = int(c & 0x0f)
	case c&0xe0 == 0xa0:
		size = int(c & 0x1f)
	case c == 0xc4 || c == 0xd9:
		size, err = r.uint(1)
	case c == 0xc5 || c == 0xda:
		size, err = r.uint(2)
	case c == 0xc6 || c == 0xdb:
		size, err = r.uint(4)
	case c >= 0xc7 && c <= 0xc9: // ext 8/16/32: length, type, data
		size, err = r.uint(1 << (c - 0xc7))
		size++
	case c == 0xca:
		size = 4
	case c == 0xcb:
		size = 8
	case c >= 0xcc && c <= 0xcf: // uint 8/16/32/64
		size = 1 << (c - 0xcc)
	case c >= 0xd0 && c <= 0xd3: // int 8/16/32/64
		size = 1 << (c - 0xd0)
	case c >= 0xd4 && c <= 0xd8: // fixext 1/2/4/8/16: type, data
		size = 1 + 1<<(c-0xd4)
	case c == 0xdc:
		items, err = r.uint(2)
	case c == 0xdd:
		items, err = r.uint(4)
	case c == 0xde:
		items, err = r.uint(2)
		items *= 2
	case c == 0xdf:
		items, err = r.uint(4)
		items *= 2
	default:
		return fmt.Errorf("unknown msgpack code 0x%02x at %d", c, r.pos-1)
	}
	if err != nil {
		return err
	}
	if _, err := r.take(size); err != nil {
		return err
	}
	for range items {
		if err := r.skip(); err != nil {
			return err
		}
	}
	return nil
}
