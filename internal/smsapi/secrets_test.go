package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Distinctive secrets, so that a test can search every message for them.
const (
	testPassphrase = "pp-Vq7Lm2Xz9Rk4Tn8Wc3-secret"
	testPEMKey     = "-----BEGIN PRIVATE KEY-----\nMIIEkey-Hs5Jd8Qa2Zu7Lp4Ny9-secret\n-----END PRIVATE KEY-----\n"
)

func TestShowTaskCertificate_DecodesEveryFieldWithItsLines(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"cert":"-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n","private_key":`+
			`"-----BEGIN PRIVATE KEY-----\nMIIEkey-Hs5Jd8Qa2Zu7Lp4Ny9-secret\n-----END PRIVATE KEY-----\n","ca":null,`+
			`"target_mgmt_cert":"mc","target_mgmt_private_key":"mk","target_data_cert":"dc","target_data_private_key":"dk"}`)
	})
	c, err := newTestClient(t, srv.URL+"/sms/").ShowTaskCertificate(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/tasks/t-1/certkey" {
		t.Errorf("path %q", gotPath)
	}
	// The line breaks of a PEM block are kept: a key with "\n" escaped would be unusable.
	if *c.PrivateKey != testPEMKey || !strings.HasPrefix(*c.Cert, "-----BEGIN CERTIFICATE-----\nMIIC\n") || c.CA != nil ||
		*c.TargetMgmtCert != "mc" || *c.TargetMgmtPrivateKey != "mk" || *c.TargetDataCert != "dc" || *c.TargetDataPrivateKey != "dk" {
		t.Errorf("certificate: %+v", c)
	}
}

func TestShowTaskPassphrase_DecodesAndChecksTheTask(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"task_id":"T-1","passphrase":"`+testPassphrase+`"}`)
	})
	p, err := newTestClient(t, srv.URL).ShowTaskPassphrase(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/v3/tasks/t-1/passphrase" || *p.Passphrase != testPassphrase || *p.TaskID != "T-1" {
		t.Errorf("path %q, passphrase %+v", gotPath, p)
	}
}

func TestShowTemplatePassword_DecodesAndNamesTheTemplateWhenMissing(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != "/v3/vm/templates/tpl-1/target-password" {
			writeJSON(w, 404, `{"error_code":"SMS.6101","error_msg":"template not found"}`)
			return
		}
		writeJSON(w, 200, `{"template_id":"tpl-1","target_password":"`+testPassphrase+`"}`)
	})
	p, err := newTestClient(t, srv.URL).ShowTemplatePassword(context.Background(), "tpl-1")
	if err != nil || *p.TargetPassword != testPassphrase || *p.TemplateID != "tpl-1" {
		t.Fatalf("password %+v, %v", p, err)
	}
	_, err = newTestClient(t, srv.URL).ShowTemplatePassword(context.Background(), "gone")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "server template" || nf.Arg != "template_id" || nf.ID != "gone" {
		t.Errorf("404: %#v", err)
	}
}

// An answer for another task or template, or without its secret, fails the read: a consumer
// would otherwise get the wrong secret or null. None of the failures quotes the body.
func TestSecrets_AnswersThatAreNotTheSecretFail(t *testing.T) {
	cert := func(c *Client) error { _, err := c.ShowTaskCertificate(context.Background(), "t-1"); return err }
	pass := func(c *Client) error { _, err := c.ShowTaskPassphrase(context.Background(), "t-1"); return err }
	tpl := func(c *Client) error { _, err := c.ShowTemplatePassword(context.Background(), "tpl-1"); return err }
	for _, tc := range []struct {
		read       func(*Client) error
		body, want string
	}{
		{cert, `{}`, "lacks the certificate (cert) or its private key"},
		{cert, `{"cert":"c","private_key":""}`, "lacks the certificate (cert) or its private key"},
		{cert, `{"cert":"c","private_key":"k","target_data_cert":"` + testPassphrase + `"}`, "only one of target_data_cert and target_data_private_key"},
		{pass, `{"task_id":"t-2","passphrase":"` + testPassphrase + `"}`, `passphrase of task "t-2", not of the task "t-1"`},
		{pass, `{"task_id":"t-1","passphrase":null}`, "holds no passphrase"},
		{pass, `{"task_id":"t-1"}`, "holds no passphrase"},
		{tpl, `{"template_id":"tpl-2","target_password":"` + testPassphrase + `"}`, `target_password of server template "tpl-2"`},
		{tpl, `{"template_id":"tpl-1","target_password":""}`, "holds no target_password"},
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
		err := tc.read(newTestClient(t, srv.URL))
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want a DecodeError saying %q, got %v", tc.body, tc.want, err)
		}
		if err != nil && strings.Contains(err.Error(), "Vq7Lm2") {
			t.Errorf("%s: the error quotes the secret: %v", tc.body, err)
		}
	}
}

// A body that does not decode is described without any of its content, since it may be the
// secret itself: an answer in plain text, HTML, malformed JSON, a secret of the wrong type.
func TestSecrets_UndecodableBodiesAreNotQuoted(t *testing.T) {
	for body, want := range map[string]string{
		testPassphrase:                        "the body is not JSON; the body is not quoted",
		"<html>" + testPassphrase + "</html>": "the body is HTML or XML, not JSON (a proxy or login page may have answered); the body is not quoted",
		`{"task_id":"t-1","passphrase":"` + testPassphrase + "\x01\"}": "malformed JSON at byte",
		`{"task_id":"t-1","passphrase":"` + testPassphrase:             "the JSON ends early",
		`{"task_id":"t-1","passphrase":98765432109876543210}`:          `field "passphrase" at byte`,
		`["` + testPassphrase + `"]`:                                   "the body is a JSON array, want a JSON object with task_id and passphrase",
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		_, err := newTestClient(t, srv.URL).ShowTaskPassphrase(context.Background(), "t-1")
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want a DecodeError saying %q, got %v", body, want, err)
		}
		if err != nil && (strings.Contains(err.Error(), "Vq7Lm2") || strings.Contains(err.Error(), "98765")) {
			t.Errorf("%q: the error quotes the body: %v", body, err)
		}
	}
}

// The client's own log lines of a secret read name the request and its answer, never the body.
func TestSecrets_LogLinesHoldNoSecret(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"task_id":"t-1","passphrase":"`+testPassphrase+`"}`)
	})
	logger := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = logger })
	if _, err := c.ShowTaskPassphrase(context.Background(), "t-1"); err != nil {
		t.Fatal(err)
	}
	entries := logger.all()
	if len(entries) == 0 {
		t.Fatal("no log lines, so searching them proves nothing")
	}
	for _, e := range entries {
		if line := fmt.Sprint(e.msg, e.fields); strings.Contains(line, "Vq7Lm2") {
			t.Errorf("a log line shows the passphrase: %s", line)
		}
	}
}
