package emulator

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// name is a name such as "src-web-042": prefix, infix, a dash when infix is set, and n
// zero-padded to width digits.
func name(prefix, infix string, n, width int) string {
	if infix != "" {
		infix += "-"
	}
	return fmt.Sprintf("%s%s%0*d", prefix, infix, width, n)
}

// ipv4 is a dotted IPv4 address.
func ipv4(a, b, c, d int) string {
	return fmt.Sprintf("%d.%d.%d.%d", a, b, c, d)
}

// double writes a Double with its decimal point, as the service writes 0.0, so that a client
// that decodes it is exercised on a real fractional literal.
func double(v float64) json.Number {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return json.Number(s)
}

// uuidString is a version-4-looking UUID derived from seed, a domain tag (so that task, server
// and VM ids differ) and an index. The last 48 bits are a bijection of the index, so ids within
// one domain and seed never collide, however many are generated.
func uuidString(seed int64, domain uint64, index int) string {
	const mask48 = 1<<48 - 1
	hi := mix64(uint64(seed) ^ domain<<48 ^ uint64(index))
	node := (uint64(index) ^ mix64(uint64(seed)^domain)) & mask48
	node = node * 0x9e3779b97f4b & mask48 // An odd multiplier is invertible modulo 2^48.
	node ^= node >> 24
	node = node * 0xbf58476d1ce5 & mask48 // Odd again: the whole chain stays a bijection.
	// Version nibble 4 and variant bits 10, as crypto-random UUIDs have.
	hi = hi&^(0xf<<12) | 0x4<<12
	variant := mix64(hi)&0x3fff | 0x8000
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, variant, node)
}

// mix64 is the SplitMix64 finaliser: a fast, well-spread bijection on 64 bits.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
