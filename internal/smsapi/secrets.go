package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The secret endpoints answer what a migration needs and nobody should keep: the certificates
// and private keys of a task's secure channel, its passphrase, a template's target password. The
// provider serves them as ephemeral resources only, so they never reach a state or a plan file
// (see DESIGN.md, "Secrets as ephemeral resources"). Their fields are tagged secret:"true", which
// the provider reads to mark the attributes sensitive, and an answer of theirs that cannot be
// read is described without quoting its body, which may hold a secret.

// TaskCertificate is the answer of GET /v3/tasks/{task_id}/certkey (the SDK's
// ShowCertKeyResponse): the certificates and private keys of a task's secure transmission channel.
type TaskCertificate struct {
	Cert                 *string `json:"cert" doc:"Certificate of the source server's end of the channel." text:"multiline" secret:"true"`
	PrivateKey           *string `json:"private_key" doc:"Private key of the source server's end of the channel." text:"multiline" secret:"true"`
	CA                   *string `json:"ca" doc:"CA certificate of the channel; null when the API returns none." text:"multiline" secret:"true"`
	TargetMgmtCert       *string `json:"target_mgmt_cert" doc:"Certificate of the target server's management plane." text:"multiline" secret:"true"`
	TargetMgmtPrivateKey *string `json:"target_mgmt_private_key" doc:"Private key of the target server's management plane." text:"multiline" secret:"true"`
	TargetDataCert       *string `json:"target_data_cert" doc:"Certificate of the target server's data plane." text:"multiline" secret:"true"`
	TargetDataPrivateKey *string `json:"target_data_private_key" doc:"Private key of the target server's data plane." text:"multiline" secret:"true"`
}

// TaskPassphrase is the answer of GET /v3/tasks/{task_id}/passphrase (the SDK's
// ShowPassphraseResponse): the passphrase of the certificate of a task's secure channel.
type TaskPassphrase struct {
	TaskID     *string `json:"task_id" doc:"ID of the task."`
	Passphrase *string `json:"passphrase" doc:"Passphrase of the certificate of the task's secure transmission channel." secret:"true"`
}

// TemplatePassword is the answer of GET /v3/vm/templates/{id}/target-password (the SDK's
// ShowTargetPasswordResponse): the password a server template sets on its target servers.
type TemplatePassword struct {
	TemplateID     *string `json:"template_id" doc:"ID of the server template."`
	TargetPassword *string `json:"target_password" doc:"Password of the target servers the template creates." secret:"true"`
}

// secretTemplateObject is a server template read for its target password, by the argument
// template_id of sms_server_template_password, which a not-found error names.
var secretTemplateObject = objectKind{collection: "/v3/vm/templates", kind: "server template", noun: "server template", arg: "template_id"}

// ShowTaskCertificate fetches the certificates and keys of one task's channel, GET
// /v3/tasks/{task_id}/certkey. The SDK's enable_ca_cert query parameter asks the API to generate
// a CA certificate, a change this read-only client never asks for. A 404 with an SMS error code
// is a *NotFoundError, as for ShowTask.
func (c *Client) ShowTaskCertificate(ctx context.Context, taskID string) (*TaskCertificate, error) {
	a := answer[TaskCertificate]{resource: "certificate of task " + taskID,
		want: "a JSON object with cert and private_key", validate: checkTaskCertificate}
	return getSecretAnswer(ctx, c, taskObject, taskID, "/certkey", a)
}

// checkTaskCertificate rejects an answer without the source's certificate or key, or with a
// target certificate whose key is missing or the other way round: a channel cannot be set up with
// half a pair, and an empty answer would otherwise reach a consumer as null.
func checkTaskCertificate(t *TaskCertificate) error {
	if noSecret(t.Cert) || noSecret(t.PrivateKey) {
		return errors.New("the body lacks the certificate (cert) or its private key (private_key)")
	}
	for _, pair := range []struct {
		name      string
		cert, key *string
	}{{"target_mgmt", t.TargetMgmtCert, t.TargetMgmtPrivateKey}, {"target_data", t.TargetDataCert, t.TargetDataPrivateKey}} {
		if noSecret(pair.cert) != noSecret(pair.key) {
			return fmt.Errorf("the body holds only one of %s_cert and %s_private_key", pair.name, pair.name)
		}
	}
	return nil
}

// ShowTaskPassphrase fetches the passphrase of one task's channel certificate, GET
// /v3/tasks/{task_id}/passphrase. A 404 with an SMS error code is a *NotFoundError.
func (c *Client) ShowTaskPassphrase(ctx context.Context, taskID string) (*TaskPassphrase, error) {
	a := answer[TaskPassphrase]{resource: "passphrase of task " + taskID, want: "a JSON object with task_id and passphrase",
		validate: func(p *TaskPassphrase) error {
			return checkSecretOf("task", p.TaskID, taskID, "passphrase", p.Passphrase)
		}}
	return getSecretAnswer(ctx, c, taskObject, taskID, "/passphrase", a)
}

// ShowTemplatePassword fetches the target password of one server template, GET
// /v3/vm/templates/{id}/target-password. A 404 with an SMS error code is a *NotFoundError naming
// the template.
func (c *Client) ShowTemplatePassword(ctx context.Context, templateID string) (*TemplatePassword, error) {
	a := answer[TemplatePassword]{resource: "target password of server template " + templateID,
		want: "a JSON object with template_id and target_password",
		validate: func(p *TemplatePassword) error {
			return checkSecretOf("server template", p.TemplateID, templateID, "target_password", p.TargetPassword)
		}}
	return getSecretAnswer(ctx, c, secretTemplateObject, templateID, "/target-password", a)
}

// checkSecretOf rejects an answer that names another object than the one asked for, or holds no
// secret: a consumer would otherwise get another task's passphrase, or null for a password.
func checkSecretOf(kind string, gotID *string, wantID, field string, secret *string) error {
	if gotID != nil && !strings.EqualFold(*gotID, wantID) {
		return fmt.Errorf("the body is the %s of %s %q, not of the %s %q that was asked for", field, kind, truncate(*gotID, 80), kind, wantID)
	}
	if noSecret(secret) {
		return fmt.Errorf("the body holds no %s", field)
	}
	return nil
}

func noSecret(s *string) bool { return s == nil || *s == "" }

// getSecretAnswer is getObjectAnswer for an answer that holds secrets: when the body cannot be
// decoded, the error says why without quoting any of it (an excerpt of a body that is not JSON,
// a character of malformed JSON, a number of the wrong type), since the body may be the secret
// itself. The answer's own checks run on the decoded values and quote none of the secrets.
func getSecretAnswer[R any](ctx context.Context, c *Client, k objectKind, id, sub string, a answer[R]) (*R, error) {
	judged := false
	validate := a.validate
	a.validate = func(dst *R) error {
		judged = true
		return validate(dst)
	}
	dst, err := getObjectAnswer(ctx, c, k, id, sub, a)
	var de *DecodeError
	if errors.As(err, &de) && !judged {
		de.Err = unquotedBodyError(de.Err)
	}
	return dst, err
}

// unquotedBodyError says what is wrong with a body that did not decode, without any of its
// content: a JSON error by its offset and the field's name, any other by its words up to the
// excerpt the client's messages end with.
func unquotedBodyError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
		return errors.New("the JSON ends early (truncated body); the body is not quoted, since it may hold a secret")
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d; the body is not quoted, since it may hold a secret", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("field %q at byte %d is not %s; the body is not quoted, since it may hold a secret",
			typ.Field, typ.Offset, describeType(typ.Type))
	}
	msg := err.Error()
	if cut := strings.Index(msg, `: "`); cut >= 0 {
		msg = msg[:cut] + "; the body is not quoted, since it may hold a secret"
	}
	return errors.New(msg)
}
