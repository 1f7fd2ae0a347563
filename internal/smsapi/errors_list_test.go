package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// errorsAPI serves n migration errors on GET /v3/errors with limit and offset, and records the
// queries it was asked.
type errorsAPI struct {
	t       *testing.T
	entries []map[string]any
	mu      sync.Mutex
	queries []string
}

func (a *errorsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v3/errors" {
		a.t.Errorf("path %s", r.URL.Path)
	}
	a.mu.Lock()
	a.queries = append(a.queries, r.URL.RawQuery)
	a.mu.Unlock()
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	page := append([]map[string]any{}, a.entries[min(offset, len(a.entries)):min(offset+limit, len(a.entries))]...)
	body, err := json.Marshal(map[string]any{"count": len(a.entries), "migration_errors": page})
	if err != nil {
		a.t.Fatal(err)
	}
	writeJSON(w, 200, string(body))
}

// Every page of migration_errors is read with the filter sent, each entry once and in API order,
// with nulls kept null and an error_json kept as the string the API sent.
func TestListSourceServerErrors_ReadsEveryPageOfMigrationErrors(t *testing.T) {
	t.Parallel()
	api := &errorsAPI{t: t}
	for i := range 5 {
		api.entries = append(api.entries, map[string]any{"source_id": "s-" + strconv.Itoa(i), "name": "web" + strconv.Itoa(i),
			"error_json": `{"error_code":"SMS.0203",` + "\n" + `"error_msg":"timed out"}`, "host_name": nil, "target_ip": "10.1.0." + strconv.Itoa(i)})
	}
	srv := newServer(t, api.ServeHTTP)
	list, err := newTestClient(t, srv.URL).ListSourceServerErrors(context.Background(),
		ListSourceServerErrorsQuery{EnterpriseProjectID: ptr("ep-1"), PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if list.Count != 5 || len(list.Items) != 5 {
		t.Fatalf("count %d, %d items, want 5 and 5", list.Count, len(list.Items))
	}
	for i, e := range list.Items {
		if *e.SourceID != "s-"+strconv.Itoa(i) || e.HostName != nil || e.SourceIP != nil || *e.TargetIP != "10.1.0."+strconv.Itoa(i) ||
			*e.ErrorJSON != "{\"error_code\":\"SMS.0203\",\n\"error_msg\":\"timed out\"}" {
			t.Errorf("item %d: %+v", i, e)
		}
	}
	// Pages of 2 step by 1: offsets 0 to 3, every one with the filter.
	want := []string{"enterprise_project_id=ep-1&limit=2&offset=0", "enterprise_project_id=ep-1&limit=2&offset=1",
		"enterprise_project_id=ep-1&limit=2&offset=2", "enterprise_project_id=ep-1&limit=2&offset=3"}
	api.mu.Lock()
	defer api.mu.Unlock()
	if strings.Join(slices.Sorted(slices.Values(api.queries)), " ") != strings.Join(want, " ") {
		t.Errorf("queries %v, want %v", api.queries, want)
	}
}

// The endpoint's pages hold at most 100 errors: 0 asks for 100, anything larger is refused
// before a request, as is an offset beyond the API's.
func TestListSourceServerErrors_PageSizeBounds(t *testing.T) {
	t.Parallel()
	api := &errorsAPI{t: t}
	srv := newServer(t, api.ServeHTTP)
	c := newTestClient(t, srv.URL)
	if _, err := c.ListSourceServerErrors(context.Background(), ListSourceServerErrorsQuery{PageSize: 101}); err == nil ||
		!strings.Contains(err.Error(), "between 1 and 100") {
		t.Errorf("page size 101: %v", err)
	}
	if _, err := c.ListSourceServerErrorsPage(context.Background(), ListSourceServerErrorsQuery{}, MaxOffset+1); err == nil {
		t.Error("offset beyond the API's accepted")
	}
	page, err := c.ListSourceServerErrorsPage(context.Background(), ListSourceServerErrorsQuery{}, 7)
	if err != nil || page.MigrationErrors == nil || len(page.MigrationErrors) != 0 {
		t.Fatalf("page %+v, %v", page, err)
	}
	if _, err := c.ListSourceServerErrors(context.Background(), ListSourceServerErrorsQuery{}); err != nil {
		t.Fatal(err)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if want := []string{"limit=100&offset=7", "limit=100&offset=0"}; strings.Join(api.queries, " ") != strings.Join(want, " ") {
		t.Errorf("queries %v, want %v", api.queries, want)
	}
}

// A page that holds its errors under another key than migration_errors, more errors than the
// limit or a field of another type fails the read rather than read as no errors.
func TestListSourceServerErrors_BadPagesFail(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ body, want string }{
		{`{"count":2,"errors":[{"source_id":"a"},{"source_id":"b"}]}`, `"migration_errors" is missing or null while "count" is 2`},
		{`{"count":3,"migration_errors":[{},{},{}]}`, `"migration_errors" holds more than the limit of 2`},
		{`{"count":1,"migration_errors":[{"source_id":1}]}`, `field "migration_errors.source_id"`},
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, c.body) })
		_, err := newTestClient(t, srv.URL).ListSourceServerErrors(context.Background(), ListSourceServerErrorsQuery{PageSize: 2})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("body %s: err = %v, want %q", c.body, err, c.want)
		}
	}
}

// A server listed with two errors keeps both, on one page or across two; a server whose error
// changed between two pages is one entry too many, and the listing contradicts its count.
func TestListSourceServerErrors_ServerKnownByItsError(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("offset") {
		case "0":
			writeJSON(w, http.StatusOK, `{"count":3,"migration_errors":[{"source_id":"s1","error_json":"a"},{"source_id":"s1","error_json":"b"}]}`)
		default:
			writeJSON(w, http.StatusOK, `{"count":3,"migration_errors":[{"source_id":"s1","error_json":"b"},{"source_id":"s2","error_json":"c"}]}`)
		}
	})
	list, err := newTestClient(t, srv.URL).ListSourceServerErrors(context.Background(), ListSourceServerErrorsQuery{PageSize: 2})
	if err != nil || len(list.Items) != 3 || *list.Items[1].ErrorJSON != "b" || *list.Items[2].SourceID != "s2" {
		t.Fatalf("list %+v, %v: want s1 twice and s2", list, err)
	}
	srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "0" {
			writeJSON(w, http.StatusOK, `{"count":3,"migration_errors":[{"source_id":"s1","error_json":"a"},{"source_id":"s2","error_json":"b"}]}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"count":3,"migration_errors":[{"source_id":"s2","error_json":"c"},{"source_id":"s3","error_json":"d"}]}`)
	})
	_, err = newTestClient(t, srv.URL).ListSourceServerErrors(context.Background(), ListSourceServerErrorsQuery{PageSize: 2})
	var inconsistent *InconsistentListingError
	if !errors.As(err, &inconsistent) || inconsistent.Count != 3 {
		t.Fatalf("err = %v, want the listing's contradiction", err)
	}
}
