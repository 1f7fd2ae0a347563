package emulator

import "strconv"

// jsonWriter appends compact JSON by hand, in a fixed key order, because encoding/json would
// sort map keys and cannot express "absent" and "null" side by side without a struct per shape.
type jsonWriter struct {
	b []byte
}

// key writes a comma when a value precedes it in the same object, then the quoted key.
func (w *jsonWriter) key(k string) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

// elem writes the comma that separates an array element or object member from the previous one.
func (w *jsonWriter) elem() {
	if n := len(w.b); n > 0 && w.b[n-1] != '{' && w.b[n-1] != '[' {
		w.b = append(w.b, ',')
	}
}

// name writes a "name" member such as "src-web-042": prefix, infix, a dash when infix is set,
// and n zero-padded to width digits.
func (w *jsonWriter) name(prefix, infix string, n, width int) {
	w.key("name")
	w.b = append(w.b, '"')
	w.b = append(w.b, prefix...)
	if infix != "" {
		w.b = append(append(w.b, infix...), '-')
	}
	w.b = appendPadded(w.b, n, width)
	w.b = append(w.b, '"')
}

// ip writes a dotted IPv4 address.
func (w *jsonWriter) ip(k string, a, b, c, d int) {
	w.key(k)
	w.b = append(w.b, '"')
	for i, part := range [4]int{a, b, c, d} {
		if i > 0 {
			w.b = append(w.b, '.')
		}
		w.b = strconv.AppendInt(w.b, int64(part), 10)
	}
	w.b = append(w.b, '"')
}

func appendPadded(b []byte, n, width int) []byte {
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], int64(n), 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

func (w *jsonWriter) open(k string)          { w.key(k); w.b = append(w.b, '{') }
func (w *jsonWriter) null(k string)          { w.key(k); w.b = append(w.b, "null"...) }
func (w *jsonWriter) bool(k string, v bool)  { w.key(k); w.b = strconv.AppendBool(w.b, v) }
func (w *jsonWriter) int(k string, v int64)  { w.key(k); w.b = strconv.AppendInt(w.b, v, 10) }
func (w *jsonWriter) str(k string, v string) { w.key(k); w.b = appendString(w.b, v) }
func (w *jsonWriter) float(k string, v float64) {
	w.key(k)
	start := len(w.b)
	w.b = strconv.AppendFloat(w.b, v, 'f', -1, 64)
	// A Double keeps its decimal point, as the service writes 0.0, so a client that decodes
	// it is exercised on a real fractional literal.
	for _, c := range w.b[start:] {
		if c == '.' {
			return
		}
	}
	w.b = append(w.b, '.', '0')
}

// appendString appends s as a JSON string, escaping quotes, backslashes and control bytes.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// uuid writes a version-4-looking UUID derived from seed, a domain tag (so that task, server
// and VM ids differ) and an index. The last 48 bits are a bijection of the index, so ids within
// one domain and seed never collide, however many are generated.
func (w *jsonWriter) uuid(k string, seed int64, domain uint64, index int) {
	const hex = "0123456789abcdef"
	const mask48 = 1<<48 - 1
	hi := mix64(uint64(seed) ^ domain<<48 ^ uint64(index))
	node := (uint64(index) ^ mix64(uint64(seed)^domain)) & mask48
	node = node * 0x9e3779b97f4b & mask48 // An odd multiplier is invertible modulo 2^48.
	node ^= node >> 24
	node = node * 0xbf58476d1ce5 & mask48 // Odd again: the whole chain stays a bijection.
	// Version nibble 4 and variant bits 10, as crypto-random UUIDs have.
	hi = hi&^(0xf<<12) | 0x4<<12
	variant := mix64(hi)&0x3fff | 0x8000
	w.key(k)
	w.b = append(w.b, '"')
	for shift := 60; shift >= 0; shift -= 4 {
		if shift == 28 || shift == 12 {
			w.b = append(w.b, '-')
		}
		w.b = append(w.b, hex[hi>>shift&0xf])
	}
	w.b = append(w.b, '-')
	for shift := 12; shift >= 0; shift -= 4 {
		w.b = append(w.b, hex[variant>>shift&0xf])
	}
	w.b = append(w.b, '-')
	for shift := 44; shift >= 0; shift -= 4 {
		w.b = append(w.b, hex[node>>shift&0xf])
	}
	w.b = append(w.b, '"')
}

// mix64 is the SplitMix64 finaliser: a fast, well-spread bijection on 64 bits.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
