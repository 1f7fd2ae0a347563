package emulator

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
)

// Target server templates (GET /v3/vm/templates and GET /v3/vm/templates/{id}) are derived from
// the served source servers, so that they agree with the rest of the fleet: one template per
// migration project that owns a server, in the order the servers name the projects, and one
// more without a target password, after them. An emulator that serves no servers in a project
// serves no templates. Each template's target_password is distinctive (see templatePassword),
// so that tests can search everything a client wrote for it.

// templateRecord is one template: the keys the filters compare, its password and its JSON.
type templateRecord struct {
	id, name, availabilityZone, region, password string
	raw                                          []byte
}

// templateProjectID is the project that holds the target servers, as the tasks' current_task
// names it.
const templateProjectID = "0c0ffee0c0ffee0c0ffee0c0ffee0001"

// templates returns the templates of the servers served now.
func (s *Server) templates() []templateRecord {
	var projects []string
	seen := map[string]bool{}
	for _, r := range *s.servers.Load() {
		if r.migproject != "" && !seen[r.migproject] {
			seen[r.migproject] = true
			projects = append(projects, r.migproject)
		}
	}
	if len(projects) == 0 {
		return nil
	}
	out := make([]templateRecord, 0, len(projects)+1)
	for i, p := range projects {
		h := uint64(idHash(p))
		out = append(out, genTemplate(i, uuidString(int64(h), 0x7e39, 0), fmt.Sprintf("tpl-wave-%d", i+1),
			fmt.Sprintf("Tpl%012x!Pw", mix64(h^0x7a55)&(1<<48-1))))
	}
	// The template without a password is in the zone after the last project's, so that a fleet
	// of one project has every template of its own zone set.
	return append(out, genTemplate(len(projects), uuidString(0x7e39, 0x7e39, 1), "tpl-no-password", ""))
}

// genTemplate builds template number i, with the fields of the SDK's TemplateResponseBody and
// choices that vary with i: automatic or given VPC, fixed or automatic IP, with or without an
// elastic IP and an image.
func genTemplate(i int, id, name, password string) templateRecord {
	zone := "cn-north-4" + string(rune('a'+i%3))
	volumeType := []string{"SSD", "SAS", "SATA"}[i%3]
	vpc := map[string]any{"id": uuidString(int64(i), 0x7e3a, i), "name": "vpc-migration", "cidr": fmt.Sprintf("10.%d.0.0/16", i+1)}
	nic := map[string]any{"id": uuidString(int64(i), 0x7e3b, i), "name": fmt.Sprintf("subnet-wave-%d", i+1),
		"cidr": fmt.Sprintf("10.%d.1.0/24", i+1), "ip": fmt.Sprintf("10.%d.1.10", i+1)}
	sg := map[string]any{"id": uuidString(int64(i), 0x7e3c, i), "name": "sg-migration"}
	if i%3 == 2 {
		vpc = map[string]any{"id": "autoCreate", "name": "autoCreate", "cidr": "192.168.0.0/16"}
		nic = map[string]any{"id": "autoCreate", "name": "autoCreate", "cidr": "192.168.0.0/24"}
		sg = map[string]any{"id": "autoCreate", "name": "autoCreate"}
	}
	if i%2 == 1 {
		delete(nic, "ip") // Assigned by the subnet's DHCP.
	}
	t := map[string]any{
		"id": id, "name": name, "is_template": "true", "region": "cn-north-4", "projectid": templateProjectID,
		"target_server_name": fmt.Sprintf("tgt-wave-%d", i+1), "availability_zone": zone,
		"volumetype": volumeType, "flavor": []string{"s6.large.2", "c7.xlarge.2", "m7.2xlarge.8"}[i%3],
		"vpc": vpc, "nics": []any{nic}, "security_groups": []any{sg}, "publicip": nil,
		"disk": []any{
			map[string]any{"id": int64(9_007_199_254_740_993) + int64(i), "index": 0, "name": "disk-0", "disktype": volumeType,
				"size": 40, "device_use": "BOOT"},
			map[string]any{"index": 1, "name": "disk-1", "disktype": "SAS", "size": 100 * (i + 1), "device_use": "NORMAL"},
		},
		"data_volume_type": "SAS", "target_password": password, "image_id": nil,
	}
	if i%2 == 0 {
		t["publicip"] = map[string]any{"type": "5_bgp", "bandwidth_size": 100, "bandwidth_share_type": "PER"}
		t["image_id"] = uuidString(int64(i), 0x7e3d, i)
	}
	return templateRecord{id: id, name: name, availabilityZone: zone, region: "cn-north-4", password: password, raw: marshal(t)}
}

// templatePassword returns the stored target password of a template ("" for the template
// without one); ok is false for an id that names no template.
func (s *Server) templatePassword(id string) (string, bool) {
	if t, ok := s.template(id); ok {
		return t.password, true
	}
	return "", false
}

// template finds a template by id.
func (s *Server) template(id string) (templateRecord, bool) {
	for _, t := range s.templates() {
		if t.id == id {
			return t, true
		}
	}
	return templateRecord{}, false
}

// templateFilters are the query parameters of GET /v3/vm/templates other than limit and offset,
// each matched exactly; an empty value does not filter.
var templateFilters = []string{"name", "availability_zone", "region", "id"}

func (t *templateRecord) field(name string) string {
	switch name {
	case "name":
		return t.name
	case "availability_zone":
		return t.availabilityZone
	case "region":
		return t.region
	}
	return t.id
}

// answerTemplates answers GET /v3/vm/templates: the matches at [offset, offset+limit) and their
// count. The SDK bounds limit to 100 and says that 50 is the default.
func (s *Server) answerTemplates(_ *http.Request, query url.Values, id string) (int, []byte) {
	limit, err := intParam(query, "limit", 50, 100)
	if err == nil && limit == 0 {
		limit = 50
	}
	offset, offsetErr := intParam(query, "offset", 0, 65535)
	if err = cmp.Or(err, offsetErr); err != nil {
		return http.StatusBadRequest, errorBody("SMS.9004", err.Error(), id)
	}
	var sel [][]byte
	count := 0
	for _, t := range s.templates() {
		if !matchTemplate(&t, query) {
			continue
		}
		if count >= offset && count < offset+limit {
			sel = append(sel, t.raw)
		}
		count++
	}
	return http.StatusOK, fmt.Appendf(nil, `{"count":%d,"templates":[%s]}`, count, bytes.Join(sel, []byte(",")))
}

func matchTemplate(t *templateRecord, query url.Values) bool {
	for _, name := range templateFilters {
		if want := query.Get(name); want != "" && t.field(name) != want {
			return false
		}
	}
	return true
}

// answerTemplate answers GET /v3/vm/templates/{id}: the template wrapped in an object, as the
// SDK's ShowTemplateResponse has it, or 404 for an unknown id. The reference documents no error
// for an unknown template; SMS.6505 is the emulator's own code for it, an SMS code as the service's
// 404 for a task has.
func (s *Server) answerTemplate(r *http.Request, _ url.Values, id string) (int, []byte) {
	templateID := r.PathValue("id")
	if t, ok := s.template(templateID); ok {
		return http.StatusOK, []byte(`{"template":` + string(t.raw) + `}`)
	}
	return http.StatusNotFound, errorBody("SMS.6505", "The template "+templateID+" does not exist", id)
}
