package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
)

// The secret endpoints answer values derived from the id they are asked for, the same on every
// request and different for every task and field, so that a test can compute the secret it expects
// and search everything Terraform wrote for it: each starts with "emu-secret-", which no other
// answer of the emulator holds, and goes on with hexadecimal digits only, so that any fragment of
// one is as distinctive as the whole.

// SecretOf is the secret the emulator serves for one task or template and field: "passphrase" of
// GET /v3/tasks/{task_id}/passphrase, "cert", "private_key" and the other fields of
// GET /v3/tasks/{task_id}/certkey. Tests use it to know what to look for.
func SecretOf(id, field string) string {
	sum := sha256.Sum256([]byte("sms-emulator\x00" + field + "\x00" + id))
	return "emu-secret-" + hex.EncodeToString(sum[:12])
}

// certKeyFields are the fields of the certkey answer, and the PEM block each is wrapped in.
var certKeyFields = []struct{ field, block string }{
	{"cert", "CERTIFICATE"}, {"private_key", "PRIVATE KEY"}, {"ca", "CERTIFICATE"},
	{"target_mgmt_cert", "CERTIFICATE"}, {"target_mgmt_private_key", "PRIVATE KEY"},
	{"target_data_cert", "CERTIFICATE"}, {"target_data_private_key", "PRIVATE KEY"},
}

// CertKeyPEM is the value of one field of a task's certkey answer: SecretOf(taskID, field) in a
// PEM block with its line breaks, as the API returns certificates and keys.
func CertKeyPEM(taskID, field string) string {
	block := "CERTIFICATE"
	for _, f := range certKeyFields {
		if f.field == field {
			block = f.block
		}
	}
	return "-----BEGIN " + block + "-----\n" + SecretOf(taskID, field) + "\n-----END " + block + "-----\n"
}

// HasCA reports whether the emulator answers a CA certificate for the task; for a third of the
// tasks, chosen by id, ca is null, as for a task created without one.
func HasCA(taskID string) bool { return idHash(taskID)%3 != 0 }

// certKey answers GET /v3/tasks/{task_id}/certkey.
func certKey(_ []byte, taskID string) []byte {
	body := map[string]any{}
	for _, f := range certKeyFields {
		body[f.field] = CertKeyPEM(taskID, f.field)
	}
	if !HasCA(taskID) {
		body["ca"] = nil
	}
	return marshal(body)
}

// passphrase answers GET /v3/tasks/{task_id}/passphrase.
func passphrase(_ []byte, taskID string) []byte {
	return marshal(map[string]any{"task_id": taskID, "passphrase": SecretOf(taskID, "passphrase")})
}

// answerTemplatePassword answers GET /v3/vm/templates/{id}/target-password from the template's
// own password (templatePassword), so that both agree: null for a template without one, and a
// 404 for an unknown template, like the template's own read.
func (s *Server) answerTemplatePassword(r *http.Request, _ url.Values, id string) (int, []byte) {
	templateID := r.PathValue("id")
	password, ok := s.templatePassword(templateID)
	if !ok {
		return http.StatusNotFound, errorBody("SMS.6505", "The template "+templateID+" does not exist", id)
	}
	var value any
	if password != "" {
		value = password
	}
	return http.StatusOK, marshal(map[string]any{"template_id": templateID, "target_password": value})
}
