package e2e_test

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// templatesFleet has three migration projects, so the emulator serves tpl-wave-1 to tpl-wave-3
// in cn-north-4a, 4b and 4c, each with a password, and tpl-no-password in cn-north-4a.
func templatesFleet() emulator.Options { return emulator.GenerateFleet(12, 5).Options() }

// exampleTemplate is what the checks need of an emulator template.
type exampleTemplate struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	AvailabilityZone string `json:"availability_zone"`
	TargetPassword   string `json:"target_password"`
}

// servedTemplates returns the templates an emulator serving opts answers, passwords included,
// by name. The templates are derived from the fleet, so every emulator of opts serves the same.
func servedTemplates(t *testing.T, opts emulator.Options) map[string]exampleTemplate {
	t.Helper()
	body := testsupport.EmulatorGet(t, testsupport.StartEmulator(t, opts), "/v3/vm/templates")
	out := map[string]exampleTemplate{}
	for _, tp := range testsupport.DecodeJSON[struct {
		Templates []exampleTemplate `json:"templates"`
	}](t, body).Templates {
		out[tp.Name] = tp
	}
	if len(out) != 4 || out["tpl-wave-1"].TargetPassword == "" || out["tpl-no-password"].TargetPassword != "" {
		t.Fatalf("the emulator's templates are not the four the checks expect: %s", body)
	}
	return out
}

// templateExamples checks each data-source.tf file of the template data sources, by its path
// under examples/data-sources.
var templateExamples = map[string]func(t *testing.T, h *tfHarness){
	"sms_server_templates/data-source.tf": func(t *testing.T, h *tfHarness) {
		r, out, _ := planWith(t, h, templatesFleet(), nil, "-var=region=cn-north-4", "-var=availability_zone=cn-north-4b")
		mustSucceed(t, r)
		got := testsupport.DecodeJSON[map[string]string](t, out["templates"])
		if want := map[string]string{"tpl-wave-2": "c7.xlarge.2, 2 disk(s), password set"}; !maps.Equal(got, want) {
			t.Errorf("templates = %v, want %v", got, want)
		}
		// cn-north-4a holds the template without a password: the gate stops the plan naming it.
		r, _ = planOnly(t, h, templatesFleet(), nil, "-var=region=cn-north-4", "-var=availability_zone=cn-north-4a")
		mustFail(t, r)
		mustContain(t, r, "Resource precondition failed",
			"Zone cn-north-4a (cn-north-4): 2 template(s), 1 without a target password: tpl-no-password.")
	},

	"sms_server_template/data-source.tf": func(t *testing.T, h *tfHarness) {
		templates := servedTemplates(t, templatesFleet())
		wave2, plain := templates["tpl-wave-2"], templates["tpl-no-password"]
		r, out, _ := planWith(t, h, templatesFleet(), nil, "-var=template_id="+wave2.ID, "-var=availability_zone=cn-north-4b")
		mustSucceed(t, r)
		mustNotContain(t, r, "Check block assertion failed")
		var got struct {
			Name        string   `json:"name"`
			Flavor      string   `json:"flavor"`
			Zone        string   `json:"zone"`
			Subnets     []string `json:"subnets"`
			DisksGB     []int64  `json:"disks_gb"`
			ElasticIP   string   `json:"elastic_ip"`
			PasswordSet bool     `json:"password_set"`
		}
		if err := json.Unmarshal(out["target_server"], &got); err != nil {
			t.Fatal(err)
		}
		if got.Name != "tgt-wave-2" || got.Flavor != "c7.xlarge.2" || got.Zone != "cn-north-4b" || len(got.Subnets) != 1 ||
			got.Subnets[0] != "subnet-wave-2 (10.2.1.0/24)" || len(got.DisksGB) != 2 || got.DisksGB[1] != 200 ||
			got.ElasticIP != "none" || !got.PasswordSet {
			t.Errorf("target_server = %+v", got)
		}
		// Another zone, then no password: the check warns and the plan goes on.
		r, _, _ = planWith(t, h, templatesFleet(), nil, "-var=template_id="+wave2.ID, "-var=availability_zone=cn-north-4a")
		mustSucceed(t, r)
		mustContain(t, r, "Warning: Check block assertion failed", "creates servers in cn-north-4b, want cn-north-4a.")
		r, _, _ = planWith(t, h, templatesFleet(), nil, "-var=template_id="+plain.ID, "-var=availability_zone=cn-north-4a")
		mustSucceed(t, r)
		mustContain(t, r, "Warning: Check block assertion failed", "want cn-north-4a, and sets no target password.")
		r, _ = planOnly(t, h, templatesFleet(), nil, "-var=template_id=no-such-template", "-var=availability_zone=cn-north-4a")
		mustFail(t, r)
		mustContain(t, r, "Error: SMS Server Template Not Found")
	},
}

func TestExamples_TemplateDataSources(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "examples", "data-sources")
	var files []string
	for _, ds := range []string{"sms_server_templates", "sms_server_template"} {
		files = append(files, snippetFiles(t, filepath.Join(dir, ds))...)
	}
	planExamples(t, files, relativeTo(t, dir), templateExamples, "templateExamples")
}
