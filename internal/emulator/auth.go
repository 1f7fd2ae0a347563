package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// IAMUser is a user that may obtain a token from the emulated IAM endpoint.
type IAMUser struct {
	Name       string
	Password   string
	DomainName string
}

// maxSignatureSkew is how far X-Sdk-Date may be from the gateway's clock, either way.
const maxSignatureSkew = 15 * time.Minute

// tokenLifetime is the validity IAM announces in expires_at.
const tokenLifetime = 24 * time.Hour

// authConfigured reports whether any credential is required at all.
func (s *Server) authConfigured() bool {
	return s.opts.Token != "" || s.opts.AccessKey != "" || len(s.opts.IAMUsers) > 0
}

// authorize checks the credentials of a request to the tasks endpoint the way the API gateway
// does, and answers 401 itself when they are wrong. An SDK-HMAC-SHA256 Authorization header
// selects signature verification; otherwise X-Auth-Token must be Options.Token or a token issued
// by the IAM endpoint that ExpireTokens has not expired.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, id string) bool {
	if !s.authConfigured() {
		return true
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), sdkAlgorithm+" ") {
		if msg := s.verifySignature(r, time.Now()); msg != "" {
			writeError(w, http.StatusUnauthorized, "APIG.0301", "Incorrect IAM authentication information: "+msg, id)
			return false
		}
		return true
	}
	token := r.Header.Get("X-Auth-Token")
	if token != "" && (token == s.opts.Token || s.tokenValid(token)) {
		return true
	}
	// A missing, wrong and expired token get the same answer: to the gateway all are a token it
	// cannot resolve, and a client must handle the one 401 shape either way.
	writeError(w, http.StatusUnauthorized, "APIG.1002", "Incorrect token or token resolution failed", id)
	return false
}

const sdkAlgorithm = "SDK-HMAC-SHA256"

// verifySignature re-computes the SDK-HMAC-SHA256 signature of r from the API Request Signing
// Guide, written here independently of the client's signer so that the two check each other.
// It returns "" for a valid signature, or what the gateway would say is wrong.
func (s *Server) verifySignature(r *http.Request, now time.Time) string {
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(r.Header.Get("Authorization"), sdkAlgorithm+" "), ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			fields[k] = v
		}
	}
	access, signedList, signature := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if s.opts.AccessKey == "" || access != s.opts.AccessKey {
		return "the access key does not exist"
	}
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Sdk-Date"))
	if err != nil {
		return "X-Sdk-Date is missing or not in the YYYYMMDDTHHMMSSZ format"
	}
	if skew := now.Sub(date); skew > maxSignatureSkew || skew < -maxSignatureSkew {
		return "X-Sdk-Date " + date.Format("20060102T150405Z") + " is more than 15 minutes away from the server time " +
			now.UTC().Format("20060102T150405Z")
	}
	signed := strings.Split(signedList, ";")
	if !slices.Contains(signed, "host") || !slices.Contains(signed, "x-sdk-date") {
		return "host and x-sdk-date must be signed headers"
	}
	if s.opts.SecurityToken != "" {
		if r.Header.Get("X-Security-Token") != s.opts.SecurityToken || !slices.Contains(signed, "x-security-token") {
			return "the security token is missing, wrong or not signed"
		}
	}
	var body []byte
	if r.Body != nil { // Always set on the server; nil in tests that verify a client request.
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, 1<<20)); err != nil {
			return "cannot read the request body"
		}
	}

	var canonical strings.Builder
	canonical.WriteString(r.Method + "\n" + canonicalPath(r.URL) + "\n" + canonicalQueryString(r.URL.Query()) + "\n")
	for _, name := range signed {
		values := r.Header.Values(name)
		if name == "host" {
			values = []string{r.Host}
		}
		if len(values) == 0 {
			return "the signed header " + name + " is missing"
		}
		values = slices.Sorted(slices.Values(values))
		for _, v := range values {
			canonical.WriteString(strings.ToLower(name) + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	bodySum := sha256.Sum256(body)
	canonical.WriteString("\n" + signedList + "\n" + hex.EncodeToString(bodySum[:]))

	requestSum := sha256.Sum256([]byte(canonical.String()))
	toSign := sdkAlgorithm + "\n" + r.Header.Get("X-Sdk-Date") + "\n" + hex.EncodeToString(requestSum[:])
	mac := hmac.New(sha256.New, []byte(s.opts.SecretKey))
	mac.Write([]byte(toSign))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(signature))) {
		return "verify aksk signature fail"
	}
	return ""
}

// canonicalPath encodes every segment of the path and ends it with "/".
func canonicalPath(u *url.URL) string {
	segments := strings.Split(u.EscapedPath(), "/")
	for i, seg := range segments {
		if plain, err := url.PathUnescape(seg); err == nil {
			seg = plain
		}
		segments[i] = strictEscape(seg)
	}
	p := strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// canonicalQueryString sorts parameters by encoded name, then by encoded value.
func canonicalQueryString(q url.Values) string {
	var pairs [][2]string
	for name, values := range q {
		for _, v := range values {
			pairs = append(pairs, [2]string{strictEscape(name), strictEscape(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p[0] + "=" + p[1]
	}
	return strings.Join(out, "&")
}

// strictEscape is RFC 3986 encoding: url.QueryEscape leaves exactly the unreserved characters
// alone but writes a space as "+", which the signing guide wants as "%20".
func strictEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// tokensPath is where the emulated IAM serves POST /v3/auth/tokens, beside the tasks endpoint.
func (s *Server) tokensPath() string {
	return s.prefix + "/v3/auth/tokens"
}

// iamPasswordRequest is the part of IAM's "Obtaining a User Token" body the emulator reads.
type iamPasswordRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Name     string `json:"name"`
					Password string `json:"password"`
					Domain   struct {
						Name string `json:"name"`
					} `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Domain *struct {
				Name string `json:"name"`
			} `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

// serveTokens emulates IAM's POST /v3/auth/tokens for the password method: 201 with the token
// in X-Subject-Token, or 401 in IAM's error shape. Token requests are counted by
// TokenRequests, not by Stats, so that Stats keep describing the tasks endpoint alone.
func (s *Server) serveTokens(w http.ResponseWriter, r *http.Request, id string) {
	if s.opts.Logf != nil {
		rec := &statusRecorder{ResponseWriter: w}
		w = rec
		defer rec.log(s.opts.Logf, r, id, time.Now())
	}
	s.authMu.Lock()
	s.tokenRequests++
	s.authMu.Unlock()

	if r.Method != http.MethodPost || len(s.opts.IAMUsers) == 0 {
		writeError(w, http.StatusNotFound, "APIG.0101", "The API does not exist or has not been published in the environment", id)
		return
	}
	var req iamPasswordRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil ||
		!slices.Contains(req.Auth.Identity.Methods, "password") {
		writeIAMError(w, http.StatusBadRequest, "The request body is not a password authentication request.")
		return
	}
	u := req.Auth.Identity.Password.User
	user, ok := s.findUser(u.Name, u.Password, u.Domain.Name)
	if !ok {
		writeIAMError(w, http.StatusUnauthorized, "The username or password is wrong.")
		return
	}
	if d := req.Auth.Scope.Domain; d != nil && d.Name != user.DomainName {
		writeIAMError(w, http.StatusUnauthorized, "The request you have made requires authentication.")
		return
	}

	token := s.issueToken()
	now := time.Now().UTC()
	var resp struct {
		Token struct {
			ExpiresAt string   `json:"expires_at"`
			IssuedAt  string   `json:"issued_at"`
			Methods   []string `json:"methods"`
			Domain    struct {
				Name string `json:"name"`
			} `json:"domain"`
			User struct {
				Name string `json:"name"`
			} `json:"user"`
		} `json:"token"`
	}
	resp.Token.ExpiresAt = now.Add(tokenLifetime).Format("2006-01-02T15:04:05.000000Z")
	resp.Token.IssuedAt = now.Format("2006-01-02T15:04:05.000000Z")
	resp.Token.Methods = []string{"password"}
	resp.Token.Domain.Name = user.DomainName
	resp.Token.User.Name = user.Name
	body, _ := json.Marshal(resp)
	w.Header().Set("X-Subject-Token", token)
	writeBody(w, http.StatusCreated, body)
}

func (s *Server) findUser(name, password, domain string) (IAMUser, bool) {
	for _, u := range s.opts.IAMUsers {
		if u.Name == name && u.DomainName == domain &&
			hmac.Equal([]byte(u.Password), []byte(password)) {
			return u, true
		}
	}
	return IAMUser{}, false
}

// writeIAMError answers in the error shape of IAM's Keystone-based token API.
func writeIAMError(w http.ResponseWriter, status int, msg string) {
	var e struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Title   string `json:"title"`
		} `json:"error"`
	}
	e.Error.Code, e.Error.Message, e.Error.Title = status, msg, http.StatusText(status)
	body, _ := json.Marshal(e)
	writeBody(w, status, body)
}

func (s *Server) issueToken() string {
	var raw [24]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms.
	token := "MIIemu" + hex.EncodeToString(raw[:])
	s.authMu.Lock()
	defer s.authMu.Unlock()
	if s.tokens == nil {
		s.tokens = map[string]bool{}
	}
	s.tokens[token] = true
	s.issued = append(s.issued, token)
	return token
}

func (s *Server) tokenValid(token string) bool {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return s.tokens[token]
}

// ExpireTokens makes every token issued so far invalid, as IAM does when a token reaches its
// expiry or the user's password changes, so that a test can see a client obtain a new one.
// Options.Token is not affected.
func (s *Server) ExpireTokens() {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	for token := range s.tokens {
		s.tokens[token] = false
	}
}

// IssuedTokens returns every token the IAM endpoint has issued, in order, for tests that check
// that no token leaks into logs or diagnostics.
func (s *Server) IssuedTokens() []string {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return slices.Clone(s.issued)
}

// TokenRequests returns how many requests reached the IAM token endpoint, successful or not.
func (s *Server) TokenRequests() int {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return s.tokenRequests
}
