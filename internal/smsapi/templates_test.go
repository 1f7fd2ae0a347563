package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// templatePassword is long and distinctive, so that any trace of it is found.
const templatePassword = "TplPw-7Hq2Xz9Lk4-secret"

// templateJSON is a template with every field of the SDK's TemplateResponseBody set, with
// password as its target_password (raw JSON, "" to leave it out).
func templateJSON(id, password string) string {
	pw := ""
	if password != "" {
		pw = `,"target_password":` + password
	}
	return `{"id":"` + id + `","name":"tpl","is_template":"true","region":"cn-north-4","projectid":"p",
		"target_server_name":"tgt","availability_zone":"cn-north-4a","volumetype":"SSD","flavor":"s6.large.2",
		"vpc":{"id":"autoCreate","name":"v","cidr":"192.168.0.0/16"},"nics":[{"id":"n","name":"sub","cidr":"10.0.0.0/24"}],
		"security_groups":[{"id":"sg","name":"default"}],"publicip":{"type":"5_bgp","bandwidth_size":100,"bandwidth_share_type":null},
		"disk":[{"id":9007199254740993,"index":0,"name":"d0","disktype":"SSD","size":40,"device_use":"BOOT"}],
		"data_volume_type":"SAS","image_id":null` + pw + `}`
}

// notAnywhere fails the test when the password shows in what the client returned or said.
func notAnywhere(t *testing.T, what string, v any) {
	t.Helper()
	b, _ := json.Marshal(v)
	for _, s := range []string{string(b), fmt.Sprintf("%+v", v)} {
		if strings.Contains(s, templatePassword) || strings.Contains(s, "7Hq2Xz9Lk4") {
			t.Errorf("%s shows the target password: %s", what, s)
		}
	}
}

// A listing page sends its filters, decodes every nested object, and keeps of the password only
// that it is set.
func TestListServerTemplatesPage_QueryNestingAndPassword(t *testing.T) {
	var query string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Path + "?" + r.URL.RawQuery
		writeJSON(w, 200, `{"count":1,"templates":[`+templateJSON("t1", `"`+templatePassword+`"`)+`]}`)
	})
	c := newTestClient(t, srv.URL)
	page, err := c.ListServerTemplatesPage(context.Background(), ListServerTemplatesQuery{
		Name: ptr("tpl"), AvailabilityZone: ptr("cn-north-4a"), Region: ptr("cn-north-4"), ID: ptr("t1"), PageSize: 7,
	}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/v3/vm/templates?availability_zone=cn-north-4a&id=t1&limit=7&name=tpl&offset=3&region=cn-north-4"; query != want {
		t.Errorf("request %q, want %q", query, want)
	}
	tp := page.Templates[0]
	if *tp.VPC.ID != "autoCreate" || *tp.NICs[0].CIDR != "10.0.0.0/24" || tp.NICs[0].IP != nil || *tp.SecurityGroups[0].Name != "default" ||
		*tp.PublicIP.BandwidthSize != 100 || tp.PublicIP.BandwidthShareType != nil || *tp.Disk[0].ID != 9007199254740993 ||
		*tp.IsTemplate != "true" || *tp.ProjectID != "p" || tp.ImageID != nil || tp.HasTargetPassword == nil || !*tp.HasTargetPassword {
		t.Errorf("template %+v", tp)
	}
	notAnywhere(t, "the page", page)
}

// has_target_password is the provider's own: set from target_password alone, whatever the API
// sends under that name, and the password is never kept. A password of another type fails the
// decoding without its value in the error.
func TestServerTemplate_UnmarshalKeepsOnlyWhetherAPasswordIsSet(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		name, body string
		want       *bool
		wantErr    string
	}{
		{"set", `{"target_password":"` + templatePassword + `"}`, &yes, ""},
		{"empty", `{"target_password":""}`, &no, ""},
		{"null", `{"target_password":null}`, nil, ""},
		{"absent", `{"name":"x"}`, nil, ""},
		{"the API's own claim is ignored", `{"has_target_password":true}`, nil, ""},
		{"the API's own denial is ignored", `{"has_target_password":false,"target_password":"` + templatePassword + `"}`, &yes, ""},
		{"a number", `{"target_password":73617892740}`, nil, "target_password is a JSON number, not a string"},
		{"an object", `{"target_password":{"value":"` + templatePassword + `"}}`, nil, "target_password is a JSON object, not a string"},
		{"a repeated key", `{"target_password":"a","target_password":"` + templatePassword + `"}`, &yes, ""},
	} {
		var tp ServerTemplate
		err := json.Unmarshal([]byte(c.body), &tp)
		switch {
		case c.wantErr != "" && (err == nil || err.Error() != c.wantErr):
			t.Errorf("%s: err = %v, want %q", c.name, err, c.wantErr)
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case (tp.HasTargetPassword == nil) != (c.want == nil) || c.want != nil && *tp.HasTargetPassword != *c.want:
			t.Errorf("%s: has_target_password %v, want %v", c.name, tp.HasTargetPassword, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "73617892740") {
			t.Errorf("%s: the error quotes the password: %v", c.name, err)
		}
		notAnywhere(t, c.name, tp)
	}
	// The decoder reuses the value it is given: a second template must not keep the first's fields.
	tp := ServerTemplate{Name: ptr("old"), HasTargetPassword: &yes}
	if err := json.Unmarshal([]byte(`{"id":"new"}`), &tp); err != nil || tp.Name != nil || tp.HasTargetPassword != nil {
		t.Errorf("decoding over a template kept %+v (%v)", tp, err)
	}
}

// The templates of the emulator, read through the paging engine in pages of 2: every template
// once, in API order, whether its password is set and nothing of the password itself.
func TestListServerTemplates_PagesTheEmulator(t *testing.T) {
	opts := emulator.GenerateFleet(20, 6).Options()
	opts.Token = testToken
	srv := emulator.NewTestServer(opts)
	t.Cleanup(func() { srv.Close() })
	c := newTestClient(t, srv.URL())
	list, err := c.ListServerTemplates(context.Background(), ListServerTemplatesQuery{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if list.Count != 4 || len(list.Items) != 4 {
		t.Fatalf("count %d, %d templates, want 4", list.Count, len(list.Items))
	}
	for i, tp := range list.Items {
		if want := i < 3; tp.HasTargetPassword == nil || *tp.HasTargetPassword != want {
			t.Errorf("template %d (%s): has_target_password %v, want %v", i, *tp.Name, tp.HasTargetPassword, want)
		}
		one, err := c.ShowServerTemplate(context.Background(), *tp.ID)
		if err != nil || *one.ID != *tp.ID || *one.AvailabilityZone != *tp.AvailabilityZone || *one.HasTargetPassword != *tp.HasTargetPassword {
			t.Errorf("template %s shown as %+v (%v)", *tp.ID, one, err)
		}
	}
	if q := srv.Queries()[0]; q.Get("limit") != "2" || q.Get("offset") != "0" {
		t.Errorf("first query %v", q)
	}
	srv.ResetStats()
	zone, err := c.ListServerTemplates(context.Background(), ListServerTemplatesQuery{AvailabilityZone: list.Items[1].AvailabilityZone})
	if err != nil || len(zone.Items) != 1 || *zone.Items[0].ID != *list.Items[1].ID {
		t.Errorf("templates of zone %s: %+v (%v)", *list.Items[1].AvailabilityZone, zone, err)
	}
	if q := srv.Queries()[0]; q.Get("limit") != "100" {
		t.Errorf("the default page asks limit %q, want the SDK's maximum 100", q.Get("limit"))
	}
}

// A page size the API refuses fails before any request; 0 means the largest.
func TestListServerTemplates_RejectsPageSizesAboveTheSDKBound(t *testing.T) {
	var requests atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })
	c := newTestClient(t, srv.URL)
	for _, size := range []int{-1, MaxTemplatePageSize + 1, MaxPageSize} {
		if _, err := c.ListServerTemplates(context.Background(), ListServerTemplatesQuery{PageSize: size}); err == nil ||
			!strings.Contains(err.Error(), "between 1 and 100 for server templates") {
			t.Errorf("page size %d: err = %v", size, err)
		}
		if _, err := c.ListServerTemplatesPage(context.Background(), ListServerTemplatesQuery{PageSize: size}, 0); err == nil {
			t.Errorf("page of size %d: no error", size)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A template that contradicts an exact filter (id, region, availability zone) fails the page, so
// a gate over one zone never judges another's templates; a name filter is not checked.
func TestListServerTemplates_FilterContradictionsFail(t *testing.T) {
	body := `{"count":1,"templates":[` + templateJSON("t1", `"`+templatePassword+`"`) + `]}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
	c := newTestClient(t, srv.URL)
	for _, q := range []ListServerTemplatesQuery{{ID: ptr("t2")}, {Region: ptr("eu-west-0")}, {AvailabilityZone: ptr("cn-north-4b")}} {
		_, err := c.ListServerTemplates(context.Background(), q)
		if err == nil || !strings.Contains(err.Error(), "does not apply the filter") {
			t.Errorf("query %v: err = %v", q.Values(), err)
		}
		notAnywhere(t, "the error", fmt.Sprint(err))
	}
	if _, err := c.ListServerTemplates(context.Background(), ListServerTemplatesQuery{Name: ptr("other"), ID: ptr("T1")}); err != nil {
		t.Errorf("a name the API may match loosely, and an id in another case: %v", err)
	}
}

// The detail is unwrapped from its template object; the path is the template's.
func TestShowServerTemplate_UnwrapsTheTemplate(t *testing.T) {
	var path string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.EscapedPath()
		writeJSON(w, 200, `{"template":`+templateJSON("tpl-1", `""`)+`}`)
	})
	tp, err := newTestClient(t, srv.URL).ShowServerTemplate(context.Background(), "tpl-1")
	if err != nil {
		t.Fatal(err)
	}
	if path != "/v3/vm/templates/tpl-1" || *tp.ID != "tpl-1" || *tp.Flavor != "s6.large.2" || *tp.HasTargetPassword {
		t.Errorf("GET %s gave %+v", path, tp)
	}
}

// An answer that is not the template asked for fails the read, and no error quotes the password.
func TestShowServerTemplate_RejectsAnswersThatAreNotTheTemplate(t *testing.T) {
	pw := `"` + templatePassword + `"`
	for _, c := range []struct{ name, body, want string }{
		{"a bare template", templateJSON("tpl-1", pw), "the body holds no template object"},
		{"another key", `{"templates":[` + templateJSON("tpl-1", pw) + `]}`, "the body holds no template object"},
		{"a null template", `{"template":null}`, "the body holds no template object"},
		{"an empty template", `{"template":{}}`, "holds none of a template's fields"},
		{"only a password", `{"template":{"target_password":` + pw + `}}`, "names neither the template's id nor its name"},
		{"another template", `{"template":` + templateJSON("tpl-2", pw) + `}`, `describes the template "tpl-2", not the template "tpl-1"`},
		{"a numeric password", `{"template":` + templateJSON("tpl-1", "73617892740") + `}`, "target_password is a JSON number, not a string"},
		{"an array", `[` + templateJSON("tpl-1", pw) + `]`, "the body is a JSON array"},
		{"a template that is not an object", `{"template":"` + templatePassword + `"}`, "want an object"},
		{"an error beside the template", `{"error_code":"SMS.0001","template":` + templateJSON("tpl-1", pw) + `}`, "answered with an error"},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, c.body) })
		tp, err := newTestClient(t, srv.URL).ShowServerTemplate(context.Background(), "tpl-1")
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) || tp != nil {
			t.Errorf("%s: %v, err = %v, want a *DecodeError with %q", c.name, tp, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "7Hq2Xz9Lk4") || strings.Contains(err.Error(), "73617892740")) {
			t.Errorf("%s: the error quotes the password: %v", c.name, err)
		}
	}
}

// A 404 with an SMS code names the template; a gateway's 404 is the API error it is; an id that
// could name another path is refused before any request.
func TestShowServerTemplate_NotFoundAndBadIDs(t *testing.T) {
	var requests atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if strings.HasSuffix(r.URL.Path, "/gone") {
			writeJSON(w, 404, `{"error_code":"SMS.6505","error_msg":"The template gone does not exist"}`)
			return
		}
		writeJSON(w, 404, `{"error_code":"APIGW.0101","error_msg":"The API does not exist"}`)
	})
	c := newTestClient(t, srv.URL)
	_, err := c.ShowServerTemplate(context.Background(), "gone")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "server template" || nf.Arg != "id" || nf.ID != "gone" {
		t.Errorf("err = %#v, want a *NotFoundError for server template gone", err)
	}
	if _, err = c.ShowServerTemplate(context.Background(), "other"); errors.As(err, &nf) {
		t.Errorf("a gateway's 404 reads as a missing template: %v", err)
	}
	before := requests.Load()
	for _, id := range []string{"", "..", "a/b", "a?b=c"} {
		if _, err := c.ShowServerTemplate(context.Background(), id); err == nil || !strings.Contains(err.Error(), "is not an id") {
			t.Errorf("id %q: err = %v", id, err)
		}
	}
	if requests.Load() != before {
		t.Error("a bad id was sent")
	}
}

// Control characters in a template's strings, nested ones included, are escaped and an echoed
// token is masked, in the listing and in the unwrapped detail alike.
func TestServerTemplates_HostileStringsAreCleaned(t *testing.T) {
	t.Parallel()
	template := `{"id":"tpl-1","name":"` + hostileName + `","nics":[{"name":"` + hostileName + `"}],"vpc":{"name":"copy of ` +
		testToken + `"},"target_password":"` + templatePassword + `"}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v3/vm/templates" {
			writeJSON(w, 200, `{"count":1,"templates":[`+template+`]}`)
			return
		}
		writeJSON(w, 200, `{"template":`+template+`}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListServerTemplates(context.Background(), ListServerTemplatesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	one, err := c.ShowServerTemplate(context.Background(), "tpl-1")
	if err != nil {
		t.Fatal(err)
	}
	for what, tp := range map[string]*ServerTemplate{"listed": &list.Items[0], "shown": one} {
		if *tp.Name != cleanedName || *tp.NICs[0].Name != cleanedName || *tp.VPC.Name != "copy of [REDACTED]" || !*tp.HasTargetPassword {
			t.Errorf("%s template: name %q, nic %q, vpc %q", what, *tp.Name, *tp.NICs[0].Name, *tp.VPC.Name)
		}
		notAnywhere(t, what, tp)
	}
}
