package smsapi

import (
	"context"
	"net/url"
	"strconv"
)

// ListSourceServersQuery filters GET /v3/sources. A nil filter is not sent.
type ListSourceServersQuery struct {
	State                    *string
	Name                     *string
	ID                       *string
	IP                       *string
	IPv6                     *string
	MigProject               *string
	MigrationCycle           *string
	Connected                *bool
	EnterpriseProjectID      *string
	IsConsistencyResultExist *bool
	VMID                     *string
	// PageSize is the API's limit. 0 means MaxPageSize (200), which is also the API's default.
	PageSize int
}

// Values returns the filters as query parameters, without limit and offset; unset filters are
// left out. A listing builds them once and every page sends them with its own limit and offset;
// the provider hashes them into the data source's id.
func (q ListSourceServersQuery) Values() url.Values {
	v := url.Values{}
	for _, f := range []struct {
		key string
		val *string
	}{
		{"state", q.State}, {"name", q.Name}, {"id", q.ID}, {"ip", q.IP}, {"ipv6", q.IPv6},
		{"migproject", q.MigProject}, {"migration_cycle", q.MigrationCycle},
		{"enterprise_project_id", q.EnterpriseProjectID}, {"vm_id", q.VMID},
	} {
		if f.val != nil {
			v.Set(f.key, *f.val)
		}
	}
	if q.Connected != nil {
		v.Set("connected", strconv.FormatBool(*q.Connected))
	}
	if q.IsConsistencyResultExist != nil {
		v.Set("is_consistency_result_exist", strconv.FormatBool(*q.IsConsistencyResultExist))
	}
	return v
}

// SourceServerList is the result of ListSourceServers.
type SourceServerList = Listing[SourceServerItem]

// sourceServersList is GET /v3/sources. Two copies of one server compare their state and their
// migration cycle.
var sourceServersList = listSpec[SourceServerItem, ListSourceServersResponse]{
	path: "/v3/sources", itemsKey: "source_servers", noun: "source servers", name: "a source server list",
	fields: func(r *ListSourceServersResponse) (*int64, *[]SourceServerItem) { return r.Count, &r.SourceServers },
	itemID: func(s *SourceServerItem) (string, bool) {
		if s.ID == nil || *s.ID == "" {
			return "", false // An empty id identifies nothing.
		}
		return *s.ID, true
	},
	itemState: func(s *SourceServerItem) string { return deref(s.State) + "/" + deref(s.MigrationCycle) },
	filters: sortedChecks(
		itemFilter[SourceServerItem]{key: "state", value: func(s *SourceServerItem) *string { return s.State }},
		itemFilter[SourceServerItem]{key: "id", value: func(s *SourceServerItem) *string { return s.ID }, fold: true},
		itemFilter[SourceServerItem]{key: "migration_cycle", value: func(s *SourceServerItem) *string { return s.MigrationCycle }},
		itemFilter[SourceServerItem]{key: "connected", nullOK: true, value: func(s *SourceServerItem) *string { return boolString(s.Connected) }},
		itemFilter[SourceServerItem]{key: "enterprise_project_id", nullOK: true, value: func(s *SourceServerItem) *string { return s.EnterpriseProjectID }},
		itemFilter[SourceServerItem]{key: "is_consistency_result_exist", nullOK: true, value: func(s *SourceServerItem) *string {
			return boolString(s.IsConsistencyResultExist)
		}},
	),
}

// ListSourceServersPage fetches one page of GET /v3/sources at a record offset, holding one slot
// of the client-wide concurrency limit across its retries.
func (c *Client) ListSourceServersPage(ctx context.Context, q ListSourceServersQuery, offset int) (*ListSourceServersResponse, error) {
	return sourceServersList.page(ctx, c, q.Values(), q.PageSize, offset)
}

// ListSourceServers reads every page of GET /v3/sources with the paging engine (ListAll): the
// client-wide concurrency limit, retries, the consistency rules and one re-read, as for tasks.
func (c *Client) ListSourceServers(ctx context.Context, q ListSourceServersQuery) (*SourceServerList, error) {
	return sourceServersList.list(ctx, c, q.Values(), q.PageSize)
}
