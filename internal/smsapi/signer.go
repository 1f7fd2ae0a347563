package smsapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The constants of Huawei Cloud's "API Request Signing Guide" (APIG AK/SK authentication).
const (
	signAlgorithm  = "SDK-HMAC-SHA256"
	signDateFormat = "20060102T150405Z"
	headerSdkDate  = "X-Sdk-Date"
)

// signedOptional lists the headers that are signed when the request carries them. host and
// x-sdk-date are always signed. Other headers (Accept, User-Agent, Accept-Encoding) are left
// out on purpose: a proxy or the HTTP stack may add or rewrite them, which would break a
// signature that covered them, while these ones carry meaning the gateway must trust.
var signedOptional = []string{"content-type", "x-domain-id", "x-project-id", "x-security-token"}

// SignerAuth signs every attempt with an access key (AK) and secret key (SK), as the API
// gateway's SDK-HMAC-SHA256 scheme describes. The client calls Authenticate once per attempt,
// so each retry carries a fresh X-Sdk-Date: the gateway rejects a date more than 15 minutes
// away from its clock.
type SignerAuth struct {
	// AccessKey identifies the key pair; it is sent in the clear in Authorization.
	AccessKey string
	// SecretKey signs the request; it never leaves the process.
	SecretKey string
	// SecurityToken, for temporary credentials, is sent (and signed) as X-Security-Token.
	SecurityToken string
	// ProjectID, when set, is sent (and signed) as X-Project-Id.
	ProjectID string
	// DomainID, when set, is sent (and signed) as X-Domain-Id; global services such as SMS
	// use it to resolve the account of an AK/SK pair.
	DomainID string
	// Now returns the signing time; nil means time.Now. Tests set it to sign at a fixed date.
	Now func() time.Time
}

// Authenticate sets X-Sdk-Date, the optional scope headers and Authorization. It refuses an
// empty key rather than sending a request that the gateway would reject with a vaguer answer.
func (a SignerAuth) Authenticate(req *http.Request) error {
	switch {
	case a.AccessKey == "":
		return errors.New("the access key is empty")
	case a.SecretKey == "":
		return errors.New("the secret key is empty")
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	date := now().UTC().Format(signDateFormat)

	setScopeHeaders(req.Header, a.ProjectID, a.DomainID)
	if a.SecurityToken != "" {
		req.Header.Set("X-Security-Token", a.SecurityToken)
	}
	req.Header.Set(headerSdkDate, date)
	req.Header.Del("Authorization")

	signed := signedHeaders(req)
	canonical, err := canonicalRequest(req, signed)
	if err != nil {
		return err
	}
	signature := hmacHex(a.SecretKey, stringToSign(canonical, date))
	req.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		signAlgorithm, a.AccessKey, strings.Join(signed, ";"), signature))
	return nil
}

// Secrets returns the secret key and the security token so that they are scrubbed from errors
// and logs. The access key is not a secret: it travels in every Authorization header.
func (a SignerAuth) Secrets() []string { return []string{a.SecretKey, a.SecurityToken} }

// String keeps the secret key and the security token out of fmt output.
func (a SignerAuth) String() string {
	return fmt.Sprintf("SignerAuth{AccessKey: %q, SecretKey: [REDACTED], SecurityToken: [REDACTED]}", a.AccessKey)
}

// GoString keeps the secrets out of %#v output.
func (a SignerAuth) GoString() string { return a.String() }

// setScopeHeaders sends the project and domain ids that every authentication method may carry.
func setScopeHeaders(h http.Header, projectID, domainID string) {
	if projectID != "" {
		h.Set("X-Project-Id", projectID)
	}
	if domainID != "" {
		h.Set("X-Domain-Id", domainID)
	}
}

// signedHeaders returns the lower-case names of the headers to sign, sorted.
func signedHeaders(req *http.Request) []string {
	names := []string{"host", "x-sdk-date"}
	for _, name := range signedOptional {
		if len(req.Header.Values(name)) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// canonicalRequest builds the guide's canonical request: method, canonical URI, canonical query
// string, canonical headers, signed headers and the hex SHA-256 of the body, one per line.
func canonicalRequest(req *http.Request, signed []string) (string, error) {
	query, err := canonicalQuery(req.URL.RawQuery)
	if err != nil {
		return "", err
	}
	bodyHash, err := hashBody(req)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(req.Method + "\n")
	b.WriteString(canonicalURI(req.URL) + "\n")
	b.WriteString(query + "\n")
	for _, name := range signed {
		var values []string
		if name == "host" {
			values = []string{hostOf(req)}
		} else {
			values = slices.Clone(req.Header.Values(name))
			slices.Sort(values)
		}
		for _, v := range values {
			b.WriteString(name + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n")
	b.WriteString(bodyHash)
	return b.String(), nil
}

// hostOf returns the Host header net/http will send: Request.Host when set, else the URL's host
// exactly as written (net/http does not drop a default port, so neither does the signature).
func hostOf(req *http.Request) string {
	if req.Host != "" {
		return req.Host
	}
	return req.URL.Host
}

// canonicalURI encodes each path segment per RFC 3986 and ends the path with "/", as the guide
// requires even when the request itself has no trailing slash. Segments are decoded first so
// that an already escaped path is not escaped twice.
func canonicalURI(u *url.URL) string {
	segments := strings.Split(u.EscapedPath(), "/")
	for i, seg := range segments {
		if decoded, err := url.PathUnescape(seg); err == nil {
			seg = decoded
		}
		segments[i] = rfc3986Escape(seg)
	}
	p := strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// canonicalQuery sorts the parameters by name, then the values of a repeated name, and encodes
// both per RFC 3986 ("%20" for a space, never "+").
func canonicalQuery(raw string) (string, error) {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return "", fmt.Errorf("smsapi: cannot sign the query string: %w", err)
	}
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range values {
		for _, v := range vs {
			pairs = append(pairs, pair{rfc3986Escape(k), rfc3986Escape(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&"), nil
}

// hashBody returns the hex SHA-256 of the body without consuming it: through GetBody, which
// net/http sets for in-memory bodies. A body that cannot be read twice cannot be signed.
func hashBody(req *http.Request) (string, error) {
	h := sha256.New()
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return "", errors.New("smsapi: cannot sign a request body that cannot be read twice")
		}
		body, err := req.GetBody()
		if err != nil {
			return "", fmt.Errorf("smsapi: reading the request body to sign it: %w", err)
		}
		defer body.Close()
		if _, err := io.Copy(h, body); err != nil {
			return "", fmt.Errorf("smsapi: reading the request body to sign it: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// stringToSign joins the algorithm, the X-Sdk-Date value and the hex SHA-256 of the canonical
// request, one per line.
func stringToSign(canonical, date string) string {
	sum := sha256.Sum256([]byte(canonical))
	return signAlgorithm + "\n" + date + "\n" + hex.EncodeToString(sum[:])
}

func hmacHex(key, data string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

// rfc3986Escape percent-encodes every byte except the unreserved characters A-Z a-z 0-9 - _ . ~,
// with upper-case hex digits.
func rfc3986Escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
