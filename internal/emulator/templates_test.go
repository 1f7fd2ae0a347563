package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// templateBody is what the tests read of a template answer.
type templateBody struct {
	ID               string           `json:"id"`
	Name             string           `json:"name"`
	AvailabilityZone string           `json:"availability_zone"`
	Region           string           `json:"region"`
	TargetPassword   *string          `json:"target_password"`
	Disk             []map[string]any `json:"disk"`
}

type templatesBody struct {
	Count     *int              `json:"count"`
	Templates []json.RawMessage `json:"templates"`
}

func listTemplates(t *testing.T, s *Server, query string) templatesBody {
	t.Helper()
	resp, body := getPath(t, s, "/v3/vm/templates?"+query)
	var b templatesBody
	if err := json.Unmarshal(body, &b); resp.StatusCode != http.StatusOK || err != nil || b.Count == nil || b.Templates == nil {
		t.Fatalf("GET /v3/vm/templates?%s: %d %s (%v)", query, resp.StatusCode, body, err)
	}
	return b
}

func decodeTemplate(t *testing.T, raw []byte) templateBody {
	t.Helper()
	var tb templateBody
	if err := json.Unmarshal(raw, &tb); err != nil {
		t.Fatalf("template %s: %v", raw, err)
	}
	return tb
}

// A fleet's three migration projects give three templates, one per project, each with a
// password of its own, and a fourth without one; the answers repeat the stored password, the
// listing and the detail agree byte for byte, and templatePassword gives what they send.
func TestTemplates_OnePerProjectAndOneWithoutPassword(t *testing.T) {
	s := start(t, GenerateFleet(20, 4).Options())
	all := listTemplates(t, s, "")
	if *all.Count != len(MigrationProjects)+1 || len(all.Templates) != *all.Count {
		t.Fatalf("count %d, %d templates, want %d", *all.Count, len(all.Templates), len(MigrationProjects)+1)
	}
	passwords := map[string]bool{}
	for i, raw := range all.Templates {
		tb := decodeTemplate(t, raw)
		resp, detail := getPath(t, s, "/v3/vm/templates/"+tb.ID)
		if want := `{"template":` + string(raw) + `}`; resp.StatusCode != http.StatusOK || string(detail) != want {
			t.Errorf("detail of %s: %d %s, want %s", tb.ID, resp.StatusCode, detail, want)
		}
		password, ok := s.templatePassword(tb.ID)
		if !ok || tb.TargetPassword == nil || *tb.TargetPassword != password {
			t.Errorf("template %s sends %v, templatePassword gives %q, %v", tb.ID, tb.TargetPassword, password, ok)
		}
		last := i == len(all.Templates)-1
		switch {
		case last && password != "":
			t.Errorf("the last template %s has the password %q, want none", tb.Name, password)
		case !last && (len(password) < 12 || passwords[password] || !strings.Contains(string(raw), password+`"`)):
			t.Errorf("template %s: password %q is short, repeated or not sent", tb.Name, password)
		}
		passwords[password] = true
		if len(tb.Disk) != 2 || tb.Region != "cn-north-4" || !strings.HasPrefix(tb.AvailabilityZone, "cn-north-4") {
			t.Errorf("template %s", raw)
		}
	}
	if _, ok := s.templatePassword("no-such-template"); ok {
		t.Error("templatePassword knows an unknown id")
	}
	resp, body := getPath(t, s, "/v3/vm/templates/no-such-template")
	checkError(t, resp, body, http.StatusNotFound, "SMS.6505", "The template no-such-template does not exist")
}

// The same fleet gives the same templates; an emulator without servers in a project serves none.
func TestTemplates_DeterministicAndEmptyWithoutProjects(t *testing.T) {
	a, b := start(t, GenerateFleet(9, 4).Options()), start(t, GenerateFleet(9, 4).Options())
	if x, y := listTemplates(t, a, ""), listTemplates(t, b, ""); string(x.Templates[0]) != string(y.Templates[0]) {
		t.Errorf("templates differ between two emulators of one fleet:\n%s\n%s", x.Templates[0], y.Templates[0])
	}
	if empty := listTemplates(t, start(t, Options{}), ""); *empty.Count != 0 || len(empty.Templates) != 0 {
		t.Errorf("an emulator without servers serves %d templates", *empty.Count)
	}
}

// Pages are cut at limit and offset, 50 by default; the filters match exactly, count counts
// the matches, and a limit above 100 is refused as the SDK's bound says.
func TestTemplates_PagingAndFilters(t *testing.T) {
	s := start(t, GenerateFleet(20, 4).Options())
	all := listTemplates(t, s, "")
	page := listTemplates(t, s, "limit=2&offset=1")
	if *page.Count != 4 || len(page.Templates) != 2 || string(page.Templates[0]) != string(all.Templates[1]) {
		t.Errorf("page at 1 of 2: count %d, %d templates", *page.Count, len(page.Templates))
	}
	first := decodeTemplate(t, all.Templates[0])
	for query, want := range map[string]int{
		"id=" + first.ID:     1,
		"name=" + first.Name: 1,
		"availability_zone=" + first.AvailabilityZone:     2, // The template without a password shares it.
		"region=cn-north-4&availability_zone=cn-north-4b": 1,
		"region=eu-west-0": 0,
		"name=":            4,
	} {
		if got := listTemplates(t, s, query); *got.Count != want || len(got.Templates) != want {
			t.Errorf("?%s: count %d, %d templates, want %d", query, *got.Count, len(got.Templates), want)
		}
	}
	resp, body := getPath(t, s, "/v3/vm/templates?limit=101")
	checkError(t, resp, body, http.StatusBadRequest, "SMS.9004", "Invalid parameter: limit must be an integer from 0 to 100")
}
