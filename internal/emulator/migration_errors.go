package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// migrationErrorCatalog are errors a source server reports while it migrates, with the codes and
// messages of the SMS error code reference. A failed server reports one, chosen by its id.
var migrationErrorCatalog = []struct{ code, msg string }{
	{"SMS.0201", "Network busy. Source server failed to connect to API Gateway."},
	{"SMS.0203", "Connection from source server to API Gateway timed out."},
	{"SMS.0205", "AK/SK authentication failed. The time or time zone of the source server is incorrect."},
	{"SMS.0210", "Failed to create file /etc/fstab on target server"},
	{"SMS.0212", "Agent restarted. Delete the current target configuration and configure the target server again."},
}

// MigrationErrorCode is the error_code in the error_json that GET /v3/errors reports for the
// failed source server with this id, for tests that check what a reader makes of it.
func MigrationErrorCode(sourceID string) string {
	return migrationErrorCatalog[idHash(sourceID)%uint32(len(migrationErrorCatalog))].code
}

// answerErrors answers GET /v3/errors: one entry per stored source server in state "error", in
// the order of GET /v3/sources, filtered by enterprise_project_id, count and the page at
// [offset, offset+limit). limit is 0 to 100, 50 when absent or 0, as the reference says.
func (s *Server) answerErrors(_ *http.Request, query url.Values, id string) (int, []byte) {
	limit, err := intParam(query, "limit", 50, 100)
	if err == nil && limit == 0 {
		limit = 50
	}
	offset, err2 := intParam(query, "offset", 0, 65535)
	if err == nil {
		err = err2
	}
	if err != nil {
		return http.StatusBadRequest, errorBody("SMS.9004", err.Error(), id)
	}
	project := query.Get("enterprise_project_id")
	page := []map[string]any{}
	count := 0
	servers := *s.servers.Load()
	for i := range servers {
		r := &servers[i]
		if r.state != "error" || project != "" && r.enterpriseProjectID != project {
			continue
		}
		if count >= offset && count < offset+limit {
			page = append(page, s.migrationError(r))
		}
		count++
	}
	return http.StatusOK, marshal(map[string]any{"count": count, "migration_errors": page})
}

// migrationError is the entry of a failed server: its names and address as GET
// /v3/sources/{id} has them, the target's address from its current task, and its error.
func (s *Server) migrationError(r *serverRecord) map[string]any {
	var f struct {
		OSType      looseString `json:"os_type"`
		Hostname    *string     `json:"hostname"`
		CurrentTask *struct {
			ID looseString `json:"id"`
		} `json:"current_task"`
	}
	_ = json.Unmarshal(r.raw, &f) // Wrong types leave zero values: no task, a Linux host name.
	var targetIP any
	if f.CurrentTask != nil {
		if task, ok := s.listedTask(string(f.CurrentTask.ID)); ok {
			var t struct {
				TargetServer *struct {
					IP *string `json:"ip"`
				} `json:"target_server"`
			}
			if json.Unmarshal(task, &t) == nil && t.TargetServer != nil && t.TargetServer.IP != nil {
				targetIP = *t.TargetServer.IP
			}
		}
	}
	host := hostnameOf(r.name, string(f.OSType) != "WINDOWS")
	if f.Hostname != nil {
		host = *f.Hostname // A stored host name is the detail's too.
	}
	e := migrationErrorCatalog[idHash(r.id)%uint32(len(migrationErrorCatalog))]
	return map[string]any{
		"error_json": string(marshal(struct {
			Code string `json:"error_code"`
			Msg  string `json:"error_msg"`
		}{e.code, e.msg})),
		"host_name": host, "name": r.name, "source_id": r.id,
		"source_ip": r.ip, "target_ip": targetIP,
	}
}
