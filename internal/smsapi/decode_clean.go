package smsapi

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Strings decoded from a 2xx answer go to the state, and from there into a user's check or
// precondition error_message, which Terraform prints as it is. This file makes them safe on the
// way: credentials masked, controls and line breaks escaped, long strings cut. See DESIGN.md,
// "Hostile input".

// containsAny reports whether body may echo one of the secrets: as is, under one of its
// encodings (see credentialForms), or any piece of partialMatchLen bytes of a secret longer than
// that (see containsPiece): cut short at either end, or from the middle.
func containsAny(body []byte, secrets []string) bool {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		searched := formsOf(s).searched
		if len(s) < maskAnywhereLen {
			searched = searched[:1] // A short secret is looked for as it is, not encoded.
		}
		for _, form := range searched {
			if bytes.Contains(body, form) {
				return true
			}
		}
	}
	return containsPiece(body, secrets)
}

// containsPiece reports whether body holds a run of partialMatchLen bytes that also occurs in a
// secret longer than partialMatchLen. Such a run holds a window of filterWindow bytes that starts
// at a multiple of pieceStep, so only those windows are hashed (one load and one multiply), and
// the hash picks a bit of each secret's window filter (see credentialForms.filter); only a set
// bit costs lookups of the runs around the window among the secret's pieces. The cost is under a
// nanosecond per byte of the page and credential, on every page, whatever the credential's length
// (BenchmarkDecodePageCleaning).
func containsPiece(body []byte, secrets []string) bool {
	var forms []*credentialForms
	for _, s := range secrets {
		if len(s) > partialMatchLen {
			forms = append(forms, formsOf(s))
		}
	}
	if len(forms) == 0 {
		return false
	}
	for q := 0; q+filterWindow <= len(body); q += pieceStep {
		bit := windowBit(body[q : q+filterWindow])
		for _, f := range forms {
			if f.filter[bit>>6]&(1<<(bit&63)) != 0 && f.pieceAround(body, q) {
				return true
			}
		}
	}
	return false
}

// pieceAround reports whether one of the runs of partialMatchLen bytes of body that hold the
// window at q is a piece of the credential.
func (f *credentialForms) pieceAround(body []byte, q int) bool {
	for p := max(0, q-pieceStep+1); p <= q && p+partialMatchLen <= len(body); p++ {
		if _, ok := f.pieces[string(body[p:p+partialMatchLen])]; ok {
			return true
		}
	}
	return false
}

// A credential's window filter has 2^filterBits bits (32 KiB), which keeps the share set by a
// ~1 KB token's windows, and so the lookups a page pays for nothing, under 0.5%. Its windows are
// filterWindow bytes long, and every run of partialMatchLen bytes holds one that starts at a
// multiple of pieceStep.
const (
	filterBits   = 18
	filterWindow = 8
	pieceStep    = partialMatchLen - filterWindow + 1
)

// windowBit is the filter bit of a window of filterWindow bytes.
func windowBit(w []byte) uint64 {
	return binary.LittleEndian.Uint64(w) * 0x9e3779b97f4a7c15 >> (64 - filterBits)
}

// cleanDecodedStrings rewrites the strings decoded from body into v: a credential the body
// echoes is masked (echoed, or possibly hidden behind a \uXXXX or \/ escape, which a byte search
// of the body cannot see; a credential holds no other character JSON escapes, apart from " and
// \ that containsAny looks for), and control characters and line breaks are escaped (see
// escapeDataControls) when the body may hold one. Reflection is fine here: it runs only for the
// body that needs it, and the scans that tell are passes over bytes already read.
func cleanDecodedStrings(body []byte, v reflect.Value, secrets []string, echoed bool) {
	mask := len(secrets) > 0 && (echoed || hasEscape(body, 'u', '/'))
	controls := mayHoldControls(body)
	long := mayHoldLongString(body, maxDataStringLen)
	if !mask && !controls && !long {
		return
	}
	rewrite := func(s string, multiline bool) string {
		if mask {
			s = maskPieces(maskSecrets(s, secrets), secrets)
		}
		if controls {
			s = escapeDataControls(s, multiline)
		}
		if long && len(s) > maxDataStringLen {
			s = cutDataString(s)
		}
		return s
	}
	rewriteStrings(v, rewrite, false)
}

// maxDataStringLen bounds one string of API data in bytes. The longest field the references
// document is error_json at 1,024 characters; 64 KiB leaves room for what they do not say while
// keeping a hostile 60 MB name out of the state and out of a gate's error_message.
const maxDataStringLen = 64 << 10

// cutDataString cuts s to maxDataStringLen bytes at a rune boundary and says so in the value.
func cutDataString(s string) string {
	cut := maxDataStringLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… [cut by the provider: %d bytes in all]", len(s))
}

// mayHoldLongString reports whether body may hold a JSON string longer than n bytes. Such a
// string covers at least one whole window of n/2 bytes at a multiple of n/2, and a quote inside
// a string is escaped, so every such window is checked for a quote without a backslash before
// it: on an ordinary page the first quote of each window answers, so the check costs a few
// searches. A false yes (a "\\" before a closing quote) only costs the walk.
func mayHoldLongString(body []byte, n int) bool {
	half := n / 2
	for start := 0; start+half <= len(body); start += half {
		window := body[start : start+half]
		plain := false
		for i := 0; i < len(window); {
			j := bytes.IndexByte(window[i:], '"')
			if j < 0 {
				break
			}
			i += j
			if at := start + i; at == 0 || body[at-1] != '\\' {
				plain = true
				break
			}
			i++
		}
		if !plain {
			return true
		}
	}
	return false
}

// rewriteStrings replaces every string reachable from v with rewrite(string, multiline), where
// multiline tells a free text, a field of the client's types tagged text:"multiline" (error_json,
// process_trace), from everything else: ids, names, states and the like.
func rewriteStrings(v reflect.Value, rewrite func(s string, multiline bool) string, multiline bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			rewriteStrings(v.Elem(), rewrite, multiline)
		}
	case reflect.Slice:
		for i := range v.Len() {
			rewriteStrings(v.Index(i), rewrite, multiline)
		}
	case reflect.Struct:
		multiline := multilineFields(v.Type())
		for i := range v.NumField() {
			rewriteStrings(v.Field(i), rewrite, multiline[i])
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(rewrite(v.String(), multiline))
		}
	}
}

// multilineByType caches multilineFields: reading a tag scans the whole tag, doc text included,
// which for every field of 200 tasks cost more than the rest of the walk.
var multilineByType sync.Map // reflect.Type → []bool

// multilineFields reports for each field of the struct type t whether it is tagged
// text:"multiline".
func multilineFields(t reflect.Type) []bool {
	if m, ok := multilineByType.Load(t); ok {
		if flags, ok := m.([]bool); ok {
			return flags
		}
	}
	m := make([]bool, t.NumField())
	for i := range m {
		m[i] = t.Field(i).Tag.Get("text") == "multiline"
	}
	multilineByType.Store(t, m)
	return m
}

// mayHoldControls reports whether a JSON body can decode to a string with a control,
// bidirectional-override or line-break character (see escapeDataControls): JSON writes C0
// controls only as escapes (\uXXXX, \b, \f, \n, \r), while DEL, C1 controls (NEL among them),
// the bidi marks and U+2028/U+2029 may also stand raw in UTF-8. A false positive (an escaped
// backslash before a u) only costs the rewrite; a page whose error_json holds lines pays the walk.
func mayHoldControls(body []byte) bool {
	// One vectorised search per byte that can start such a character, instead of a loop over
	// every byte: most pages are ASCII without escapes, and this runs on every page.
	if bytes.IndexByte(body, 0x7f) >= 0 || hasEscape(body, 'u', 'b', 'f', 'n', 'r') {
		return true
	}
	for _, lead := range []byte{0xc2, 0xd8, 0xe2} {
		for i := bytes.IndexByte(body, lead); i >= 0 && i+1 < len(body); {
			switch next := body[i+1]; {
			case lead == 0xc2 && next >= 0x80 && next <= 0x9f, // U+0080..U+009F
				lead == 0xd8 && next == 0x9c,                   // U+061C
				lead == 0xe2 && (next == 0x80 || next == 0x81): // U+2000..U+207F, U+2028 and U+2029 too
				return true
			}
			j := bytes.IndexByte(body[i+1:], lead)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}

// hasEscape reports whether body holds a JSON escape of one of the letters (\u for 'u'). An
// escaped backslash does not start an escape.
func hasEscape(body []byte, letters ...byte) bool {
	for i := bytes.IndexByte(body, '\\'); i >= 0 && i+1 < len(body); {
		if bytes.IndexByte(letters, body[i+1]) >= 0 {
			return true
		}
		next := bytes.IndexByte(body[i+2:], '\\')
		if next < 0 {
			return false
		}
		i += 2 + next
	}
	return false
}

// escapeDataControls escapes the control and bidirectional-override characters of a string the
// API returns as data as escapeControls does (\x1b, \u202e), but keeps tabs, and keeps line
// breaks in a multi-line text (error_json), where a Windows line end \r\n stays as it is too. In
// any other string (an id, a name, a state) \n and \r, and U+2028 and U+2029 anywhere, are written
// as the escapes \n, \r, \u2028 and \u2029; so is a \r that ends no line in a multi-line text,
// since it returns the cursor and lets the rest overwrite the line. Terraform prints a user's
// check or precondition error_message raw, so an id holding "\n\nApply complete!" would forge
// lines there. See DESIGN.md, "Hostile input".
func escapeDataControls(s string, multiline bool) string {
	if dataTextIsClean(s, multiline) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\t', multiline && (r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n")):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == 0x2028 || r == 0x2029 || r >= 0x100 && isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dataTextIsClean reports whether escapeDataControls leaves s as it is, so that a clean string,
// a multi-line text's lines included, costs no allocation.
func dataTextIsClean(s string, multiline bool) bool {
	for i, r := range s {
		switch {
		case r == '\t', multiline && (r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n")):
		case isControl(r) || r == 0x2028 || r == 0x2029:
			return false
		}
	}
	return true
}
