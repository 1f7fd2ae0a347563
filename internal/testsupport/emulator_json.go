package testsupport

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// The tests check the provider's results against the emulator's generated tasks and servers,
// decoded here on their own, never through the client, so that a decoding mistake of the client
// cannot be mirrored by its test.

// Task is what the tests need from an emulator task.
type Task struct {
	ID                  *string `json:"id"`
	Name                *string `json:"name"`
	State               *string `json:"state"`
	EnterpriseProjectID *string `json:"enterprise_project_id"`
	SourceServer        *struct {
		ID   *string `json:"id"`
		Name *string `json:"name"`
	} `json:"source_server"`
	SubTasks []struct {
		Name     *string `json:"name"`
		Progress *int64  `json:"progress"`
	} `json:"sub_tasks"`
}

// DecodeTasks decodes the emulator's tasks, failing the test on error.
func DecodeTasks(t testing.TB, raw []json.RawMessage) []Task {
	t.Helper()
	out := make([]Task, len(raw))
	for i, r := range raw {
		out[i] = DecodeJSON[Task](t, r)
	}
	return out
}

// TaskNames returns the names of generated tasks, in API order.
func TaskNames(t testing.TB, tasks []json.RawMessage) []string {
	t.Helper()
	names := make([]string, len(tasks))
	for i, task := range DecodeTasks(t, tasks) {
		names[i] = Str(task.Name)
	}
	return names
}

// CountServers counts a fleet's servers by state, and those without a current task as
// "unconfigured".
func CountServers(t testing.TB, fleet emulator.Fleet) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, raw := range fleet.Servers {
		s := DecodeJSON[struct {
			State       string          `json:"state"`
			CurrentTask json.RawMessage `json:"current_task"`
		}](t, raw)
		counts[s.State]++
		if s.CurrentTask == nil {
			counts["unconfigured"]++
		}
	}
	return counts
}

// DecodeJSON unmarshals raw into a new value of type T, failing the test on error.
func DecodeJSON[T any](t testing.TB, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return v
}

// Str is *p, or "" for nil.
func Str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// EmulatorGet answers a GET of path (with its query) from an emulator of StartEmulator, as the
// API would, and fails the test unless it is a 200. Tests read what the emulator serves with it,
// to compare the provider's state with it.
func EmulatorGet(t testing.TB, server *emulator.Server, path string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, server.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s (%v)", path, resp.StatusCode, body, err)
	}
	return body
}

// TemplateWithPassword returns a template that has a target password, and that password, from
// the emulator's template list, which holds it as the API's list does.
func TemplateWithPassword(t testing.TB, server *emulator.Server) (id, password string) {
	t.Helper()
	body := EmulatorGet(t, server, "/v3/vm/templates")
	for _, tpl := range DecodeJSON[struct {
		Templates []struct {
			ID             string `json:"id"`
			TargetPassword string `json:"target_password"`
		} `json:"templates"`
	}](t, body).Templates {
		if tpl.TargetPassword != "" {
			return tpl.ID, tpl.TargetPassword
		}
	}
	t.Fatalf("no template with a password in %s", body)
	return "", ""
}
