package smsapi

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// CheckEndpointURL is the one check for every base URL the client is given: the SMS endpoint and
// the IAM auth URL. It accepts an absolute http or https URL with a host and nothing after the
// path, because the client appends its own path and query and sends credentials only through an
// Authenticator. Its messages show the URL through RedactURL, so a password or token written
// into the URL is never repeated.
func CheckEndpointURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("is empty")
	}
	shown := RedactURL(raw)
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%q is not a URL", shown)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q must start with https:// (or http:// for a local emulator)", shown)
	case u.Hostname() == "":
		return nil, fmt.Errorf("%q has no host", shown)
	case u.User != nil:
		return nil, fmt.Errorf("%q must not contain user information (user:password@); credentials are configured separately", shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("%q must not have a query or a fragment; credentials are configured separately", shown)
	}
	return u, nil
}

// RedactURL returns raw without user information, query and fragment, the parts of a URL that
// can carry a credential. It works on text, so it also cleans a URL that does not parse.
func RedactURL(raw string) string {
	s := strings.TrimSpace(raw)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	rest := s
	prefix := ""
	if i := strings.Index(s, "//"); i >= 0 {
		prefix, rest = s[:i+2], s[i+2:]
	}
	host := rest
	if i := strings.Index(rest, "/"); i >= 0 {
		host = rest[:i]
	}
	if at := strings.LastIndex(host, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	return prefix + rest
}

// urlInText finds URLs inside free text, such as an error message from net/http or an API
// answer, so that their user information and query can be removed.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)

// redactURLsIn applies RedactURL to every URL found in s.
func redactURLsIn(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, RedactURL)
}
