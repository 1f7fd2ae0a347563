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
// left out. The provider hashes them into the data source's id.
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

// ListSourceServersPage fetches one page of GET /v3/sources at a record offset, holding one slot
// of the client-wide concurrency limit across its retries.
func (c *Client) ListSourceServersPage(ctx context.Context, q ListSourceServersQuery, offset int) (*ListSourceServersResponse, error) {
	limit, err := c.pageArguments(ctx, q.PageSize, offset)
	if err != nil {
		return nil, err
	}
	resp, _, err := c.sourceServersPage(ctx, q, limit, offset, nil)
	return resp, err
}

// sourceServersPage fetches the page at (limit, offset), decoding the servers into dst's array
// when they fit (see Endpoint.FetchPage). SourceServers is nil exactly when the key is absent
// or null.
func (c *Client) sourceServersPage(ctx context.Context, q ListSourceServersQuery, limit, offset int, dst []SourceServerItem) (*ListSourceServersResponse, string, error) {
	values := q.Values()
	values.Set("limit", strconv.Itoa(limit))
	values.Set("offset", strconv.Itoa(offset))
	u, err := c.apiURL("/v3/sources", values)
	if err != nil {
		return nil, "", err
	}
	page := ListSourceServersResponse{SourceServers: dst[:0]}
	req := objectRequest{resource: "source servers page", offset: offset,
		want: "a JSON object with count and source_servers", itemsKey: "source_servers", limit: limit}
	reqID, present, err := c.getObject(ctx, u, req, &page)
	switch {
	case err != nil:
		return nil, reqID, err
	case !present:
		page.SourceServers = nil // Absent leaves dst[:0] in place; absent and null both mean no array.
	case page.SourceServers == nil:
		page.SourceServers = []SourceServerItem{}
	}
	return &page, reqID, nil
}

// SourceServerList is the result of ListSourceServers.
type SourceServerList = Listing[SourceServerItem]

// ListSourceServers reads every page of GET /v3/sources with the paging engine (ListAll): the
// client-wide concurrency limit, retries, the consistency rules and one re-read, as for tasks.
func (c *Client) ListSourceServers(ctx context.Context, q ListSourceServersQuery) (*SourceServerList, error) {
	limit, err := c.listArguments(ctx, q.PageSize)
	if err != nil {
		return nil, err
	}
	return ListAll(ctx, c, Endpoint[SourceServerItem]{
		Noun: "source servers", ItemsKey: "source_servers", MaxLimit: MaxPageSize, MaxOffset: MaxOffset,
		FetchPage: func(ctx context.Context, limit, offset int, dst []SourceServerItem) (Page[SourceServerItem], error) {
			resp, reqID, err := c.sourceServersPage(ctx, q, limit, offset, dst)
			if err != nil {
				return Page[SourceServerItem]{}, err
			}
			return Page[SourceServerItem]{Count: resp.Count, Items: resp.SourceServers,
				ItemsNull: resp.SourceServers == nil, RequestID: reqID}, nil
		},
		ItemID: func(s *SourceServerItem) (string, bool) {
			if s.ID == nil || *s.ID == "" {
				return "", false // An empty id identifies nothing.
			}
			return *s.ID, true
		},
		ItemState: func(s *SourceServerItem) string { return deref(s.State) + "/" + deref(s.MigrationCycle) },
	}, limit)
}
