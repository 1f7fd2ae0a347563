package smsapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// Every page of GET /v3/migprojects is read with the largest limit the endpoint accepts, 100,
// and no other parameter; the items keep their nulls and an int64 speed limit exactly.
func TestListMigrationProjects_ReadsEveryPageWithLimit100(t *testing.T) {
	t.Parallel()
	const total = 150
	var queries atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		queries.Add(1)
		q := r.URL.Query()
		if r.URL.Path != "/v3/migprojects" || q.Get("limit") != "100" || len(q) != 2 {
			t.Errorf("request %s", r.URL)
		}
		offset, _ := strconv.Atoi(q.Get("offset"))
		var items []string
		for i := offset; i < min(offset+100, total); i++ {
			items = append(items, fmt.Sprintf(`{"id":"p-%d","name":"wave-%d","speed_limit":%d,"syncing":null}`, i, i, math.MaxInt64-i))
		}
		writeJSON(w, 200, fmt.Sprintf(`{"count":%d,"migprojects":[%s]}`, total, strings.Join(items, ",")))
	})
	list, err := newTestClient(t, srv.URL).ListMigrationProjects(context.Background(), ListMigrationProjectsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if list.Count != total || len(list.Items) != total || queries.Load() != 2 {
		t.Fatalf("count %d, %d items in %d requests; want %d in 2", list.Count, len(list.Items), queries.Load(), total)
	}
	for i, p := range list.Items {
		if *p.ID != fmt.Sprintf("p-%d", i) || *p.SpeedLimit != math.MaxInt64-int64(i) || p.Syncing != nil || p.Type != nil {
			t.Fatalf("project %d: %+v", i, p)
		}
	}
}

// A page size the endpoint does not accept is refused before any request.
func TestListMigrationProjects_PageSizeAbove100Refused(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(_ http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s", r.URL) })
	c := newTestClient(t, srv.URL)
	for _, size := range []int{-1, 101, MaxPageSize} {
		if _, err := c.ListMigrationProjects(context.Background(), ListMigrationProjectsQuery{PageSize: size}); err == nil ||
			!strings.Contains(err.Error(), "between 1 and 100") {
			t.Errorf("PageSize %d: err = %v", size, err)
		}
		if _, err := c.ListMigrationProjectsPage(context.Background(), ListMigrationProjectsQuery{PageSize: size}, 0); err == nil {
			t.Errorf("ListMigrationProjectsPage with PageSize %d accepted", size)
		}
	}
}

// Projects without an id are listed as the API sends them: never dropped as repeats, and the
// item two pages share found by its whole content.
func TestListMigrationProjects_ItemsWithoutIDAreKept(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("offset") {
		case "0":
			writeJSON(w, 200, `{"count":3,"migprojects":[{"name":"a"},{"id":"","name":"b"}]}`)
		default:
			writeJSON(w, 200, `{"count":3,"migprojects":[{"id":"","name":"b"},{"name":"a"}]}`)
		}
	})
	list, err := newTestClient(t, srv.URL).ListMigrationProjects(context.Background(), ListMigrationProjectsQuery{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 || *list.Items[0].Name != "a" || *list.Items[1].Name != "b" || *list.Items[2].Name != "a" {
		t.Fatalf("items %+v", list.Items)
	}
}

// Hostile or broken listings fail the read rather than reach a gate: one id under two names (on
// one page or across two), more projects than the limit, a missing array, a null project, an
// error beside the page's fields, and pages that hold fewer projects than their count, each
// read twice.
func TestListMigrationProjects_ContradictionsFail(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		pages map[string]string
		want  string
	}{
		"one id, two names on a page": {map[string]string{"0": `{"count":2,"migprojects":[{"id":"p","name":"wave-1"},{"id":"p","name":"wave-2"}]}`},
			`id "p" is listed as "wave-1" and again as "wave-2"`},
		"one id, renamed on the next page": {map[string]string{
			"0": `{"count":3,"migprojects":[{"id":"p1","name":"a"},{"id":"p2","name":"b"}]}`,
			"1": `{"count":3,"migprojects":[{"id":"p2","name":"renamed"},{"id":"p3","name":"c"}]}`}, `"p2" is listed as "b" and again as "renamed"`},
		"more than the limit": {map[string]string{"0": `{"count":3,"migprojects":[{"id":"a"},{"id":"b"},{"id":"c"}]}`},
			`"migprojects" holds more than the limit of 2`},
		"no array": {map[string]string{"0": `{"count":1}`}, `"migprojects" is missing or null while "count" is 1`},
		"a null project": {map[string]string{"0": `{"count":2,"migprojects":[{"id":"a"},null]}`},
			`the "migprojects" array holds 1 null element(s)`},
		"an error beside the page": {map[string]string{"0": `{"error_code":"SMS.9999","error_msg":"backend","count":0,"migprojects":[]}`},
			"(error_code SMS.9999): backend"},
		"short of the count": {map[string]string{"0": `{"count":5,"migprojects":[{"id":"a"}]}`},
			"migration projects listing contradicted itself on two reads in a row"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				body, ok := tc.pages[r.URL.Query().Get("offset")]
				if !ok {
					body = `{"count":0,"migprojects":[]}`
				}
				writeJSON(w, 200, body)
			})
			list, err := newTestClient(t, srv.URL).ListMigrationProjects(context.Background(), ListMigrationProjectsQuery{PageSize: 2})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (list %+v), want %q", err, list, tc.want)
			}
			assertNoToken(t, "error", err.Error())
		})
	}
}

func TestShowMigrationProject_DecodesAndKeepsNulls(t *testing.T) {
	t.Parallel()
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"name":"wave-1","description":"line 1\nline 2","isdefault":false,"region":"cn-north-4",
			"start_target_server":true,"speed_limit":9007199254740993,"use_public_ip":null,"exist_server":true,
			"type":"MIGRATE_FILE","enterprise_project":"default","syncing":false,"start_network_check":null}`)
	})
	p, err := newTestClient(t, srv.URL+"/sms/").ShowMigrationProject(context.Background(), "2a4c6e80-1b3d")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/migprojects/2a4c6e80-1b3d" {
		t.Errorf("path %q", gotPath)
	}
	switch {
	case p.ID != nil || *p.Name != "wave-1" || *p.Description != "line 1\nline 2" || *p.IsDefault:
		t.Errorf("id, name, description, isdefault: %+v", p)
	case *p.SpeedLimit != 9007199254740993 || p.UsePublicIP != nil || !*p.ExistServer || *p.Type != "MIGRATE_FILE":
		t.Errorf("speed_limit, use_public_ip, exist_server, type: %+v", p)
	case *p.EnterpriseProject != "default" || *p.Syncing || p.StartNetworkCheck != nil || *p.Region != "cn-north-4":
		t.Errorf("enterprise_project, syncing, start_network_check, region: %+v", p)
	}
}

func TestShowMigrationProject_NotFoundNamesTheProject(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req-404")
		writeJSON(w, 404, `{"error_code":"SMS.1806","error_msg":"migration project not found"}`)
	})
	_, err := newTestClient(t, srv.URL).ShowMigrationProject(context.Background(), "gone")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "migration project" || nf.Arg != "mig_project_id" || nf.ID != "gone" ||
		!strings.Contains(err.Error(), "SMS.1806") || !strings.Contains(err.Error(), "req-404") {
		t.Fatalf("err = %v", err)
	}
}

// An id that could name another path is refused before any request.
func TestShowMigrationProject_RejectsIDsThatNameAnotherPath(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(_ http.ResponseWriter, r *http.Request) { t.Errorf("request sent for a bad id: %s", r.URL) })
	c := newTestClient(t, srv.URL)
	for _, id := range []string{"", "..", "a/b", "a?b", "../../v3/tasks", strings.Repeat("a", 256)} {
		if _, err := c.ShowMigrationProject(context.Background(), id); err == nil {
			t.Errorf("ShowMigrationProject(%q) accepted", id)
		}
	}
}

// A 200 that holds no project, or another project than the one asked for, fails the read: a gate
// over sms_migration_project would otherwise pass on nulls or judge the wrong project.
func TestShowMigrationProject_BodyThatIsNotTheProjectFails(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, want string }{
		"empty object":    {`{}`, "holds none of the migration project's fields"},
		"only nulls":      {`{"name":null,"syncing":null}`, "holds none of the migration project's fields"},
		"a listing":       {`{"count":1,"migprojects":[{"id":"p-1"}]}`, "holds none of the migration project's fields"},
		"another project": {`{"id":"p-2","name":"wave-2"}`, `the migration project "p-2", not the project "p-1"`},
		"a huge id":       {`{"id":"` + strings.Repeat("x", 100000) + `"}`, `the migration project "xxxx`},
		"an array":        {`[{"id":"p-1"}]`, "want a JSON object with the migration project's fields"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			p, err := newTestClient(t, srv.URL).ShowMigrationProject(context.Background(), "p-1")
			var de *DecodeError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a DecodeError saying %q, got %v (project %+v)", tc.want, err, p)
			}
			if n := len(err.Error()); n > 400 {
				t.Errorf("the error is %d bytes long", n)
			}
		})
	}
}

// The id is compared without regard to case, as task ids are, and a detail that names the
// project keeps its null fields null.
func TestShowMigrationProject_IDInAnotherCaseIsTheProject(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"id":"P-1","name":null}`)
	})
	p, err := newTestClient(t, srv.URL).ShowMigrationProject(context.Background(), "p-1")
	if err != nil || *p.ID != "P-1" || p.Name != nil {
		t.Fatalf("got %+v, %v", p, err)
	}
}

// Against the emulator, pages of 2 read every project once, in API order, and the detail of each
// agrees with its list item but for the id, which the detail leaves out.
func TestListMigrationProjects_EmulatorPagesAndDetailsAgree(t *testing.T) {
	t.Parallel()
	opts := emulator.GenerateFleet(6, 1).Options()
	opts.Token = testToken
	srv := emulator.NewTestServer(opts)
	t.Cleanup(func() { srv.Close() })
	c := newTestClient(t, srv.URL())
	list, err := c.ListMigrationProjects(context.Background(), ListMigrationProjectsQuery{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{emulator.DefaultMigrationProject}, emulator.MigrationProjects...)
	if int(list.Count) != len(want) || len(list.Items) != len(want) || list.Requests != len(want)-1 {
		t.Fatalf("count %d, %d items in %d requests, want %d items in %d", list.Count, len(list.Items), list.Requests, len(want), len(want)-1)
	}
	for i, p := range list.Items {
		if *p.ID != want[i] {
			t.Fatalf("project %d is %s, want %s", i, *p.ID, want[i])
		}
		detail, err := c.ShowMigrationProject(context.Background(), *p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if detail.ID != nil {
			t.Errorf("detail of %s has an id", *p.ID)
		}
		p.ID = nil
		if !reflect.DeepEqual(*detail, p) {
			t.Errorf("detail of %s: %+v, want %+v", want[i], *detail, p)
		}
	}
}
