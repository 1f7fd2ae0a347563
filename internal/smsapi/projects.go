package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
)

// MigrationProject is one migration project: an item of GET /v3/migprojects (the SDK's
// MigprojectsResponseBody) and the answer of GET /v3/migprojects/{mig_project_id} (its
// ShowMigprojectResponse), which has the same fields but id. One type serves both, so both data
// sources describe a project the same way; the detail's id is null when the answer leaves it out.
type MigrationProject struct {
	ID                *string `json:"id" doc:"Migration project ID. The detail of one project, read by 'sms_migration_project', has no id in the current API reference, so there it is null unless the API sends one."`
	Name              *string `json:"name" doc:"Name of the migration project."`
	Description       *string `json:"description" doc:"Description of the migration project." text:"multiline"`
	IsDefault         *bool   `json:"isdefault" doc:"Whether this is the account's default migration project."`
	Region            *string `json:"region" doc:"Name of the project's region."`
	StartTargetServer *bool   `json:"start_target_server" doc:"Whether the project's target servers are started once their migration completes."`
	SpeedLimit        *int64  `json:"speed_limit" doc:"Migration rate limit configured for the project, in Mbit/s."`
	UsePublicIP       *bool   `json:"use_public_ip" doc:"Whether the project's servers migrate over a public IP address."`
	ExistServer       *bool   `json:"exist_server" doc:"Whether any source server belongs to the project."`
	Type              *string `json:"type" doc:"Default migration type of the project: 'MIGRATE_BLOCK' (block level) or 'MIGRATE_FILE' (file level)."`
	EnterpriseProject *string `json:"enterprise_project" doc:"Name (not ID) of the enterprise project the migration project belongs to."`
	Syncing           *bool   `json:"syncing" doc:"Whether the project's servers keep synchronizing after their first replication (continuous synchronization)."`
	StartNetworkCheck *bool   `json:"start_network_check" doc:"Whether network quality checks are enabled for the project."`
}

// ListMigrationProjectsResponse is the body of a successful GET /v3/migprojects.
type ListMigrationProjectsResponse struct {
	// Count is the number of projects of the account, independent of paging.
	Count       *int64             `json:"count"`
	Migprojects []MigrationProject `json:"migprojects"`
}

// MaxMigrationProjectsPageSize is the largest page GET /v3/migprojects serves: its reference
// accepts a limit of 0 to 100 (default 50), where the task and server listings accept 200.
const MaxMigrationProjectsPageSize = 100

// ListMigrationProjectsQuery is GET /v3/migprojects, which has no filters: the SDK's
// ListMigprojectsRequest holds only limit and offset.
type ListMigrationProjectsQuery struct {
	// PageSize is the API's limit, 1 to MaxMigrationProjectsPageSize. 0 means
	// MaxMigrationProjectsPageSize, which takes fewer requests than the API's default of 50.
	PageSize int
}

// Values returns the query's parameters without limit and offset: none. The provider hashes
// them into the data source's id, as it does for the other listings.
func (ListMigrationProjectsQuery) Values() url.Values { return url.Values{} }

// MigrationProjectList is the result of ListMigrationProjects.
type MigrationProjectList = Listing[MigrationProject]

// migrationProjectsList is GET /v3/migprojects. A project without an id (or with "") is listed
// as the API sends it but identifies nothing: the paging engine never drops it as a repeat and
// recognises it on the next page only by its whole content. Two copies of one id compare their
// names, which is what configurations look projects up by.
var migrationProjectsList = listSpec[MigrationProject, ListMigrationProjectsResponse]{
	path: "/v3/migprojects", itemsKey: "migprojects", noun: "migration projects", name: "a migration project list",
	fields: func(r *ListMigrationProjectsResponse) (*int64, *[]MigrationProject) { return r.Count, &r.Migprojects },
	itemID: func(p *MigrationProject) (string, bool) {
		if p.ID == nil || *p.ID == "" {
			return "", false
		}
		return *p.ID, true
	},
	itemState: func(p *MigrationProject) string { return deref(p.Name) },
	maxLimit:  MaxMigrationProjectsPageSize,
}

// ListMigrationProjectsPage fetches one page of GET /v3/migprojects at a record offset, holding
// one slot of the client-wide concurrency limit across its retries.
func (c *Client) ListMigrationProjectsPage(ctx context.Context, q ListMigrationProjectsQuery, offset int) (*ListMigrationProjectsResponse, error) {
	return migrationProjectsList.page(ctx, c, q.Values(), q.PageSize, offset)
}

// ListMigrationProjects reads every page of GET /v3/migprojects with the paging engine
// (ListAll): the client-wide concurrency limit, retries, the consistency rules and one re-read,
// as for tasks, with pages of at most MaxMigrationProjectsPageSize.
func (c *Client) ListMigrationProjects(ctx context.Context, q ListMigrationProjectsQuery) (*MigrationProjectList, error) {
	return migrationProjectsList.list(ctx, c, q.Values(), q.PageSize)
}

var migrationProjectObject = objectKind{collection: "/v3/migprojects", kind: "migration project",
	noun: "migration project", arg: "mig_project_id"}

// ShowMigrationProject fetches one migration project, GET /v3/migprojects/{mig_project_id}. A 404
// with an SMS error code is a *NotFoundError naming the id, as for ShowTask.
func (c *Client) ShowMigrationProject(ctx context.Context, projectID string) (*MigrationProject, error) {
	a := answer[MigrationProject]{resource: "migration project " + projectID, want: "a JSON object with the migration project's fields",
		validate: func(p *MigrationProject) error { return checkMigrationProject(p, projectID) }}
	return getObjectAnswer(ctx, c, migrationProjectObject, projectID, "", a)
}

// checkMigrationProject rejects an answer that cannot be the project asked for: one that holds
// none of a project's fields (a gate would judge nulls) or that names another project. One
// without an id is kept, since the reference's detail has none.
func checkMigrationProject(p *MigrationProject, projectID string) error {
	if reflect.ValueOf(p).Elem().IsZero() {
		return errors.New("the body holds none of the migration project's fields")
	}
	if p.ID != nil && !strings.EqualFold(*p.ID, projectID) {
		return fmt.Errorf("the body is the migration project %q, not the project %q that was asked for", truncate(*p.ID, 80), projectID)
	}
	return nil
}
