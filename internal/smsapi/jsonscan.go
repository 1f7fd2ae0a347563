package smsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"
)

// pageShape is what one pass over a page's bytes learns before anything is decoded.
type pageShape struct {
	// itemsPresent reports that the items key is present and holds an array (not null).
	itemsPresent bool
	// items is the number of elements of that array.
	items int
	// nullItems counts the elements of that array that are null: not items at all, and a sign of
	// a damaged answer. An object without keys is kept, as an item whose every field is null.
	nullItems int
	// errorAnswer reports a top-level error key (see errorKeys) holding an error value (see
	// isErrorValue): the body is an error, whatever else it holds.
	errorAnswer bool
}

// errScanGaveUp means the body is not JSON the scanner could follow; encoding/json, which runs
// next, then says precisely what is wrong with it.
var errScanGaveUp = errors.New("smsapi: body not scanned")

// RepeatedKeyError is a JSON object that holds one key twice. encoding/json would keep the last
// value (and matches keys without regard to case), so a task could be a merge of two objects;
// such a body is rejected instead.
type RepeatedKeyError struct {
	// Key is the repeated key as it is written the second time.
	Key string
	// Offset is the byte offset of its second occurrence.
	Offset int
}

func (e *RepeatedKeyError) Error() string {
	return fmt.Sprintf("the key %q is repeated in one object (at byte %d); a repeated key makes the object ambiguous", e.Key, e.Offset)
}

// TooManyItemsError is a page with more items than the limit it was asked for.
type TooManyItemsError struct {
	Key   string
	Limit int
}

func (e *TooManyItemsError) Error() string {
	return fmt.Sprintf("%q holds more than the limit of %d it was asked for", e.Key, e.Limit)
}

// maxScanDepth matches encoding/json's nesting limit, so the scanner gives up exactly where
// the decoder would fail anyway, and its recursion stays bounded.
const maxScanDepth = 10000

// checkPageShape scans a page once, without allocating per value, before it is decoded: it
// rejects an object (at any depth) with a repeated key, under the same case folding
// encoding/json uses to match keys to fields, and counts the elements of the top-level itemsKey
// array, stopping at limit+1 so that an overfull page is rejected before its items are decoded.
// limit <= 0 counts without a limit. It returns errScanGaveUp for a body it cannot follow.
func checkPageShape(body []byte, itemsKey string, limit int) (pageShape, error) {
	s := shapeScanner{b: body, itemsKey: foldedKey(nil, []byte(itemsKey)), limit: limit}
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return pageShape{}, errScanGaveUp
	}
	if err := s.object(0); err != nil {
		return pageShape{}, err
	}
	return s.shape, nil
}

// errorKeys are the folded top-level keys that make a body an error answer when they hold an
// error value: Huawei's error_code and error_msg, the camel-case forms of other services and
// gateways, and the "error" object of the API gateway and IAM. They are the keys parseErrorBody
// reads a code or message from, apart from the bare "code" and "message", which are too generic to
// condemn an answer. Keys are folded as encoding/json matches them to fields (case-insensitively),
// so every key the scan counts is one parseErrorBody can read, and ERROR_CODE counts too.
var errorKeys = [][]byte{
	foldedKey(nil, []byte("error_code")), foldedKey(nil, []byte("error_msg")), foldedKey(nil, []byte("errorCode")),
	foldedKey(nil, []byte("errorMsg")), foldedKey(nil, []byte("errorMessage")), errorObjectKey,
}

// errorObjectKey is "error", which the overview also uses for a counter.
var errorObjectKey = foldedKey(nil, []byte("error"))

// isErrorValue reports whether raw, the JSON value of a top-level error key, says the body is an
// error: anything but null, "", {} and [] (a code of 0 or false too, since no reference defines a
// success code). Under "error" a number or a boolean is not one, because the overview counts its
// servers in error under that key. The scan and parseErrorBody (through jsonScalar) share this
// rule.
func isErrorValue(underError bool, raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) || bytes.Equal(raw, []byte(`""`)) {
		return false
	}
	switch raw[0] {
	case '{', '[':
		return len(bytes.TrimSpace(raw[1:len(raw)-1])) > 0
	case '"':
		return true
	}
	return !underError
}

type shapeScanner struct {
	b        []byte
	i        int
	itemsKey []byte
	limit    int
	shape    pageShape
	// keys holds the folded keys of every object still open, innermost last; fold is scratch.
	keys []scannedKey
	fold []byte
}

type scannedKey struct {
	hash       uint64
	start, end int // The key's bytes in the body, quotes excluded.
}

func (s *shapeScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *shapeScanner) value(depth int) error {
	if depth > maxScanDepth {
		return errScanGaveUp
	}
	s.ws()
	if s.i >= len(s.b) {
		return errScanGaveUp
	}
	switch s.b[s.i] {
	case '{':
		return s.object(depth)
	case '[':
		_, err := s.array(depth, -1, false)
		return err
	case '"':
		_, _, err := s.str()
		return err
	}
	// A number, true, false or null: encoding/json checks its spelling afterwards.
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', ']', '}', ' ', '\t', '\r', '\n':
			if s.i == start {
				return errScanGaveUp
			}
			return nil
		}
		s.i++
	}
	return nil
}

// str consumes a string and returns its content's bounds.
func (s *shapeScanner) str() (start, end int, err error) {
	s.i++ // The opening quote.
	start = s.i
	for {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			return 0, 0, errScanGaveUp
		}
		s.i += j
		backslashes := 0
		for k := s.i - 1; k >= start && s.b[k] == '\\'; k-- {
			backslashes++
		}
		s.i++
		if backslashes%2 == 0 {
			return start, s.i - 1, nil
		}
	}
}

func (s *shapeScanner) object(depth int) error {
	s.i++ // {
	open := len(s.keys)
	defer func() { s.keys = s.keys[:open] }()
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return errScanGaveUp
		}
		keyAt := s.i
		start, end, err := s.str()
		if err != nil {
			return err
		}
		s.fold = foldedKey(s.fold[:0], s.b[start:end])
		h := fnv64(s.fold)
		for _, k := range s.keys[open:] {
			if k.hash == h && bytes.Equal(foldedKey(nil, s.b[k.start:k.end]), s.fold) {
				return &RepeatedKeyError{Key: jsonKeyText(s.b[start:end]), Offset: keyAt}
			}
		}
		s.keys = append(s.keys, scannedKey{hash: h, start: start, end: end})
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return errScanGaveUp
		}
		s.i++
		s.ws()
		// The key is judged now: s.fold is scratch that a nested object's keys overwrite.
		errorKey := depth == 0 && slices.ContainsFunc(errorKeys, func(k []byte) bool { return bytes.Equal(k, s.fold) })
		underError, valueAt := bytes.Equal(s.fold, errorObjectKey), s.i
		// The items array is counted; an items key holding null or another type leaves
		// itemsPresent false (the decoder reports a wrong type), and a repeated one was rejected.
		if depth == 0 && bytes.Equal(s.fold, s.itemsKey) && s.i < len(s.b) && s.b[s.i] == '[' {
			n, err := s.array(depth+1, s.limit, true)
			var tooMany *TooManyItemsError
			if errors.As(err, &tooMany) {
				tooMany.Key = jsonKeyText(s.b[start:end])
			}
			if err != nil {
				return err
			}
			s.shape.itemsPresent, s.shape.items = true, n
		} else if err := s.value(depth + 1); err != nil {
			return err
		}
		if errorKey && isErrorValue(underError, s.b[valueAt:s.i]) {
			s.shape.errorAnswer = true
		}
		s.ws()
		if s.i >= len(s.b) {
			return errScanGaveUp
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errScanGaveUp
		}
	}
}

// array consumes an array and returns its length; with limit >= 0 it stops with a
// *TooManyItemsError at the element past limit, before scanning it. With countNulls, null
// elements are counted in shape.nullItems.
func (s *shapeScanner) array(depth, limit int, countNulls bool) (int, error) {
	if depth > maxScanDepth {
		return 0, errScanGaveUp
	}
	s.i++ // [
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return 0, nil
	}
	n := 0
	for {
		if n++; limit > 0 && n > limit {
			return n, &TooManyItemsError{Limit: limit}
		}
		s.ws()
		start := s.i
		if err := s.value(depth + 1); err != nil {
			return n, err
		}
		if countNulls && bytes.Equal(s.b[start:s.i], []byte("null")) {
			s.shape.nullItems++
		}
		s.ws()
		if s.i >= len(s.b) {
			return n, errScanGaveUp
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return n, nil
		default:
			return n, errScanGaveUp
		}
	}
}

// foldedKey appends the form of a JSON key (its content between the quotes) under which
// encoding/json matches it to a struct field: escapes decoded, ASCII letters upper-cased, other
// runes replaced by the smallest rune of their case-folding orbit.
func foldedKey(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') >= 0 {
		var unquoted string
		if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &unquoted) == nil {
			raw = []byte(unquoted)
		}
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(raw[i:])
		dst = utf8.AppendRune(dst, smallestFold(r))
		i += n
	}
	return dst
}

func smallestFold(r rune) rune {
	smallest := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		smallest = min(smallest, f)
	}
	return smallest
}

func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// jsonKeyText is a key for a message: decoded when it can be, and short.
func jsonKeyText(raw []byte) string {
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
		s = string(raw)
	}
	return truncate(s, 80)
}
