package emulator

import (
	"fmt"
	"net/http"
	"net/url"
)

// DefaultMigrationProject is the id of the account's default migration project ("default"),
// served first by GET /v3/migprojects besides MigrationProjects. GenerateFleet assigns it no
// server, so its exist_server is false unless a test assigns it one.
const DefaultMigrationProject = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"

// projectSettings are what a migration project holds besides its id, name and exist_server.
type projectSettings struct {
	description                                  string
	startTarget, publicIP, syncing, networkCheck bool
	speedLimit                                   int64
	migrationType                                string
}

// waveSettings are the settings of MigrationProjects[i], "wave-(i+1)", taken in turn.
var waveSettings = []projectSettings{
	{description: "First wave: the web tier", startTarget: true, networkCheck: true, speedLimit: 100, migrationType: "MIGRATE_BLOCK"},
	{description: "Second wave: the databases", syncing: true, networkCheck: true, speedLimit: 300, migrationType: "MIGRATE_BLOCK"},
	{description: "Third wave: the file servers", startTarget: true, publicIP: true, migrationType: "MIGRATE_FILE"},
}

var defaultProjectSettings = projectSettings{description: "Default migration project", startTarget: true, publicIP: true,
	migrationType: "MIGRATE_BLOCK"}

// migProject is one served migration project.
type migProject struct {
	id, name  string
	isDefault bool
	settings  projectSettings
}

// migProjects are the projects GET /v3/migprojects serves, in its order: the default project,
// MigrationProjects as "wave-1", "wave-2", ..., then every other project a stored server belongs
// to (Options.ServerProjects), named after its id, so that no server's project is missing.
func (s *Server) migProjects() []migProject {
	projects := []migProject{{id: DefaultMigrationProject, name: "default", isDefault: true, settings: defaultProjectSettings}}
	known := map[string]bool{DefaultMigrationProject: true}
	for i, id := range MigrationProjects {
		projects = append(projects, migProject{id: id, name: fmt.Sprintf("wave-%d", i+1), settings: waveSettings[i%len(waveSettings)]})
		known[id] = true
	}
	for _, r := range *s.servers.Load() {
		if r.migproject != "" && !known[r.migproject] {
			known[r.migproject] = true
			projects = append(projects, migProject{id: r.migproject, name: "project-" + r.migproject[:min(len(r.migproject), 11)],
				settings: projectSettings{migrationType: "MIGRATE_BLOCK"}})
		}
	}
	return projects
}

// body is the project's JSON object, with the id only when withID: the list's items have one,
// the detail of GET /v3/migprojects/{mig_project_id} has none in the reference. exist_server
// says whether any stored server belongs to the project, so it agrees with GET /v3/sources
// filtered by migproject.
func (p *migProject) body(s *Server, withID bool) map[string]any {
	exist := false
	for _, r := range *s.servers.Load() {
		exist = exist || r.migproject == p.id
	}
	b := map[string]any{
		"name": p.name, "description": p.settings.description, "isdefault": p.isDefault, "region": "cn-north-4",
		"start_target_server": p.settings.startTarget, "speed_limit": p.settings.speedLimit,
		"use_public_ip": p.settings.publicIP, "exist_server": exist, "type": p.settings.migrationType,
		"enterprise_project": "default", "syncing": p.settings.syncing, "start_network_check": p.settings.networkCheck,
	}
	if withID {
		b["id"] = p.id
	}
	return b
}

// answerMigProjects answers GET /v3/migprojects: limit 0 to 100 (0 or none is the reference's
// default of 50) and offset 0 to 65535; other parameters are ignored, as the SDK sends none.
func (s *Server) answerMigProjects(_ *http.Request, query url.Values, id string) (int, []byte) {
	limit, err := intParam(query, "limit", 50, 100)
	if err != nil {
		return http.StatusBadRequest, errorBody("SMS.9004", err.Error(), id)
	}
	if limit == 0 {
		limit = 50
	}
	offset, err := intParam(query, "offset", 0, 65535)
	if err != nil {
		return http.StatusBadRequest, errorBody("SMS.9004", err.Error(), id)
	}
	projects := s.migProjects()
	items := []map[string]any{}
	for i := offset; i < min(offset+limit, len(projects)); i++ {
		items = append(items, projects[i].body(s, true))
	}
	return http.StatusOK, marshal(map[string]any{"count": len(projects), "migprojects": items})
}

// answerMigProject answers GET /v3/migprojects/{mig_project_id}. The reference does not document
// the answer for an unknown id; a 404 with a service error code is what the client expects of
// it, as for a task.
func (s *Server) answerMigProject(r *http.Request, _ url.Values, id string) (int, []byte) {
	projectID := r.PathValue("mig_project_id")
	for _, p := range s.migProjects() {
		if p.id == projectID {
			return http.StatusOK, marshal(p.body(s, false))
		}
	}
	return http.StatusNotFound, errorBody("SMS.1801", "The migration project "+projectID+" does not exist", id)
}
