package smsapi

import (
	"context"
	"net/url"
)

// MaxErrorsPageSize is the largest limit GET /v3/errors accepts, and its page when PageSize is 0
// (the API's own default is 50).
const MaxErrorsPageSize = 100

// ListSourceServerErrorsQuery filters GET /v3/errors, the SDK's ListErrorServersRequest. A nil
// filter is not sent.
type ListSourceServerErrorsQuery struct {
	EnterpriseProjectID *string
	// PageSize is the API's limit, 1 to MaxErrorsPageSize; 0 means MaxErrorsPageSize.
	PageSize int
}

// Values returns the filters as query parameters, without limit and offset.
func (q ListSourceServerErrorsQuery) Values() url.Values {
	v := url.Values{}
	if q.EnterpriseProjectID != nil {
		v.Set("enterprise_project_id", *q.EnterpriseProjectID)
	}
	return v
}

// ListSourceServerErrorsResponse is the body of a successful GET /v3/errors, the SDK's
// ListErrorServersResponse.
type ListSourceServerErrorsResponse struct {
	// Count is the number of source servers with errors, independent of paging.
	Count           *int64           `json:"count"`
	MigrationErrors []MigrationError `json:"migration_errors"`
}

// MigrationError is the SDK's MigrationErrors: a source server that failed to migrate, with the
// error it reported.
type MigrationError struct {
	ErrorJSON *string `json:"error_json" doc:"The error in JSON format, kept as the string the API sends (up to 255 characters per the reference). Its keys are not documented ('error_code' and 'error_msg' assumed), so decode it with 'jsondecode' inside 'try'." text:"multiline"`
	HostName  *string `json:"host_name" doc:"Host name of the source server, as read from its OS; may be empty."`
	Name      *string `json:"name" doc:"Name of the source server in SMS."`
	SourceID  *string `json:"source_id" doc:"Source server ID in SMS, as 'sms_source_server' reads it."`
	SourceIP  *string `json:"source_ip" doc:"IP address of the source server."`
	TargetIP  *string `json:"target_ip" doc:"IP address of the target server."`
}

// SourceServerErrorList is the result of ListSourceServerErrors.
type SourceServerErrorList = Listing[MigrationError]

// sourceServerErrorsList is GET /v3/errors. The reference counts source servers, but whether a
// server with two errors is listed once or twice is not confirmed, so an entry is known by its
// source_id and its error together: a server's second error is kept, not dropped as a repeat,
// and a server whose error changed between two pages shows as one entry too many, which makes
// the listing contradict its count and be read again. No entry carries the enterprise project,
// so that filter cannot be checked against the entries.
var sourceServerErrorsList = listSpec[MigrationError, ListSourceServerErrorsResponse]{
	path: "/v3/errors", itemsKey: "migration_errors", noun: "source server errors", name: "a list of migration errors",
	fields: func(r *ListSourceServerErrorsResponse) (*int64, *[]MigrationError) {
		return r.Count, &r.MigrationErrors
	},
	itemID: func(e *MigrationError) (string, bool) {
		if e.SourceID == nil || *e.SourceID == "" {
			return "", false // An empty id identifies nothing: the entry is known by its whole content.
		}
		return *e.SourceID + " " + deref(e.ErrorJSON), true
	},
	maxLimit: MaxErrorsPageSize,
}

// ListSourceServerErrorsPage fetches one page of GET /v3/errors at a record offset.
func (c *Client) ListSourceServerErrorsPage(ctx context.Context, q ListSourceServerErrorsQuery, offset int) (*ListSourceServerErrorsResponse, error) {
	return sourceServerErrorsList.page(ctx, c, q.Values(), q.PageSize, offset)
}

// ListSourceServerErrors reads every page of GET /v3/errors with the paging engine (ListAll),
// under the same rules as every other listing.
func (c *Client) ListSourceServerErrors(ctx context.Context, q ListSourceServerErrorsQuery) (*SourceServerErrorList, error) {
	return sourceServerErrorsList.list(ctx, c, q.Values(), q.PageSize)
}
