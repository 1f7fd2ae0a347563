package smsapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Everything that comes from the network (error codes and messages, request ids, body excerpts,
// header values, transport errors) goes through sanitize before it reaches an error or a log
// line. See DESIGN.md, "Hostile input".

// redactedMark replaces a credential.
const redactedMark = "[REDACTED]"

// maskAnywhereLen is the length from which a credential is masked wherever it appears. A shorter
// one is masked only where it stands alone, not inside a word: masking "t" everywhere would turn
// "http" into "h[REDACTED][REDACTED]p" while protecting nothing.
const maskAnywhereLen = 8

// sanitize masks secrets, removes user information and queries from URLs, escapes control
// characters and cuts the result to limit runes. Only a window of s somewhat larger than limit
// is read, so a huge header costs no more than a short one.
func sanitize(s string, secrets []string, limit int) string {
	longest := 0
	for _, sec := range secrets {
		longest = max(longest, len(sec))
	}
	if window := 4*limit + longest + 8; len(s) > window {
		s = s[:window] + "…"
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = maskSecrets(s, secrets)
	s = maskPieces(s, secrets)
	s = redactURLsIn(s)
	s = escapeControls(s)
	return truncate(s, limit)
}

// maskSecrets replaces every credential in s with redactedMark.
func maskSecrets(s string, secrets []string) string {
	for _, secret := range secrets {
		switch {
		case secret == "":
		case len(secret) >= maskAnywhereLen:
			s = strings.ReplaceAll(s, secret, redactedMark)
			for _, enc := range formsOf(secret).encoded {
				s = strings.ReplaceAll(s, enc, redactedMark)
			}
		default:
			s = maskWholeWord(s, secret)
		}
	}
	return s
}

// partialMatchLen is the shortest piece of a credential that messages and log lines mask on
// their own. A gateway page can echo a credential cut short or with one character escaped
// (\u004d, &#77;), which the whole-string mask cannot see. Twelve characters of a credential
// are too few to use and too many to turn up in ordinary text by chance. API data bound for the
// state is searched for every such piece too, through a filter per credential (see
// containsPiece).
const partialMatchLen = 12

// maskPieces replaces every run of partialMatchLen or more bytes that also occurs in a
// credential with redactedMark.
func maskPieces(s string, secrets []string) string {
	var hidden []bool
	for _, secret := range secrets {
		if len(secret) <= partialMatchLen || len(s) < partialMatchLen {
			continue // A credential this short is masked whole or not at all.
		}
		pieces := formsOf(secret).pieces
		for i := 0; i+partialMatchLen <= len(s); i++ {
			if _, ok := pieces[s[i:i+partialMatchLen]]; !ok {
				continue
			}
			if hidden == nil {
				hidden = make([]bool, len(s))
			}
			for j := i; j < i+partialMatchLen; j++ {
				hidden[j] = true
			}
		}
	}
	if hidden == nil {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case !hidden[i]:
			b.WriteByte(s[i])
		case i == 0 || !hidden[i-1]:
			b.WriteString(redactedMark)
		}
	}
	return strings.ToValidUTF8(b.String(), "")
}

// credentialForms is what masking needs to know of one credential, built once: an IAM token is
// several kilobytes, and masking runs for every log line.
type credentialForms struct {
	// encoded are the reversible encodings under which a server may echo the credential: as
	// Go's encoding/json sends it (with & < > escaped), URL-encoded, and base64. Only those
	// that differ from the credential are kept.
	encoded []string
	// searched are the credential and then its encodings as bytes, built once, so that
	// searching a page for them (containsAny) converts nothing per page.
	searched [][]byte
	// pieces are its substrings of partialMatchLen bytes.
	pieces map[string]struct{}
	// filter has the bit windowBit gives each of its windows of filterWindow bytes set, for a
	// credential longer than partialMatchLen, so that a page is searched for its pieces at the
	// cost of a bit test per few bytes (see containsPiece).
	filter []uint64
}

var formsCache struct {
	sync.Mutex
	bySecret map[string]*credentialForms
}

// formsOf returns the forms of secret. Credentials change rarely (a renewed token), and the cache
// is emptied when it grows past what one provider holds.
func formsOf(secret string) *credentialForms {
	formsCache.Lock()
	defer formsCache.Unlock()
	if f, ok := formsCache.bySecret[secret]; ok {
		return f
	}
	if len(formsCache.bySecret) >= 64 || formsCache.bySecret == nil {
		formsCache.bySecret = map[string]*credentialForms{}
	}
	f := &credentialForms{pieces: make(map[string]struct{}, max(0, len(secret)-partialMatchLen+1))}
	quoted, _ := json.Marshal(secret)
	for _, enc := range []string{string(quoted[1 : len(quoted)-1]), url.QueryEscape(secret), url.PathEscape(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.RawURLEncoding.EncodeToString([]byte(secret))} {
		if enc != secret && !slices.Contains(f.encoded, enc) {
			f.encoded = append(f.encoded, enc)
		}
	}
	f.searched = append(f.searched, []byte(secret))
	for _, enc := range f.encoded {
		f.searched = append(f.searched, []byte(enc))
	}
	if len(secret) > partialMatchLen {
		f.filter = make([]uint64, 1<<filterBits/64)
	}
	for i := 0; i+partialMatchLen <= len(secret); i++ {
		f.pieces[secret[i:i+partialMatchLen]] = struct{}{}
	}
	for i := 0; f.filter != nil && i+filterWindow <= len(secret); i++ {
		bit := windowBit([]byte(secret[i : i+filterWindow]))
		f.filter[bit>>6] |= 1 << (bit & 63)
	}
	formsCache.bySecret[secret] = f
	return f
}

// maskWholeWord masks secret where it is not part of a longer word.
func maskWholeWord(s, secret string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, secret)
		if i < 0 {
			break
		}
		end := i + len(secret)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (i > 0 && isWordRune(before)) || (end < len(s) && isWordRune(after)) {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i] + redactedMark)
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

func isWordRune(r rune) bool {
	return r == '_' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || r >= 0x80
}

// escapeControls replaces tabs and line breaks with spaces and writes every other control or
// bidirectional-override character as an escape such as \x1b, so that API text cannot move the
// cursor, clear the terminal, ring the bell or reorder what a user reads.
func escapeControls(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x100 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) ||
		(r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// maxErrorTextLen bounds an error message built from a transport error.
const maxErrorTextLen = 2048

// sanitizeErr returns err unchanged when its message is already clean; otherwise a plain error
// with the cleaned message, giving up the chain because a wrapped error could print the raw text.
func sanitizeErr(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := sanitize(msg, secrets, maxErrorTextLen); clean != msg {
		return errors.New(clean)
	}
	return err
}
