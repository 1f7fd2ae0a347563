package e2e_test

// Checks on what terraform printed and wrote, and the root module most end-to-end tests apply.

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// mustSucceed fails the test with the whole output unless terraform exited 0.
func mustSucceed(t *testing.T, r tfResult) tfResult {
	t.Helper()
	if r.ExitCode != 0 {
		t.Fatalf("want success, got %s", r)
	}
	return r
}

// mustFail fails the test unless terraform exited non-zero.
func mustFail(t *testing.T, r tfResult) tfResult {
	t.Helper()
	if r.ExitCode == 0 {
		t.Fatalf("want a failure, got %s", r)
	}
	return r
}

// Outputs returns the root module's outputs after an apply, as raw JSON values by name.
func (h *tfHarness) Outputs() map[string]json.RawMessage {
	h.t.Helper()
	r := mustSucceed(h.t, h.Run("output", "-json", "-no-color"))
	var outputs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &outputs); err != nil {
		h.t.Fatalf("terraform output -json: %v\n%s", err, r.Stdout)
	}
	values := make(map[string]json.RawMessage, len(outputs))
	for name, o := range outputs {
		values[name] = o.Value
	}
	return values
}

// readConfig is a root module that reads data.sms_tasks.all from the emulator, with extra
// arguments in the provider block and the data source's body, and outputs the API's count and
// the names of the tasks in the order the data source returned them.
func readConfig(server *emulator.Server, providerArgs, dataSourceBody string) string {
	return smsVersions + testsupport.ProviderBlock(server, providerArgs) + `
data "sms_tasks" "all" {
  ` + dataSourceBody + `
}

output "total_count" {
  value = data.sms_tasks.all.total_count
}

output "names" {
  value = [for t in data.sms_tasks.all.tasks : t.name]
}
`
}

// flat joins all runs of white space into single spaces, because Terraform wraps the text of
// diagnostics at its own line width.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// mustContain fails the test for every wanted text that the output lacks, ignoring line wraps.
func mustContain(t *testing.T, r tfResult, want ...string) {
	t.Helper()
	out := flat(r.Output())
	for _, w := range want {
		if !strings.Contains(out, flat(w)) {
			t.Errorf("output lacks %q\n%s", w, r)
		}
	}
}

// mustNotContain fails the test for every text that the output has, ignoring line wraps.
func mustNotContain(t *testing.T, r tfResult, unwanted ...string) {
	t.Helper()
	out := flat(r.Output())
	for _, u := range unwanted {
		if strings.Contains(out, flat(u)) {
			t.Errorf("output has %q\n%s", u, r)
		}
	}
}

// errorsByAddress returns the text of each error diagnostic in terraform's output by the address
// on its "with" line, so that a run of several failing cases can check each case's error on its
// own data source. An error without an address, or two on one address, fails the test: neither
// can be told apart from another case's.
// failedApplyErrors runs terraform apply, which must fail, leave the state as it was before and
// report one error for each of the cases; it returns the errors by data source address.
func failedApplyErrors(t *testing.T, h *tfHarness, cases int) map[string]string {
	t.Helper()
	before := h.Read("terraform.tfstate")
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	if got := h.Read("terraform.tfstate"); got != before {
		t.Errorf("the failed reads changed the state:\nbefore %s\nafter %s", before, got)
	}
	errs := errorsByAddress(t, r)
	if len(errs) != cases {
		t.Errorf("%d errors for %d cases, each of which has one failing data source:\n%s", len(errs), cases, r)
	}
	return errs
}

func errorsByAddress(t *testing.T, r tfResult) map[string]string {
	t.Helper()
	var blocks []string
	for _, line := range strings.Split(r.Output(), "\n") {
		line = strings.TrimPrefix(strings.TrimPrefix(line, "│"), " ")
		switch {
		case strings.HasPrefix(line, "Error: "), strings.HasPrefix(line, "Warning: "):
			blocks = append(blocks, line)
		case strings.HasPrefix(line, "╷"), strings.HasPrefix(line, "╵"):
			blocks = append(blocks, "") // The end of a boxed diagnostic.
		case len(blocks) > 0 && blocks[len(blocks)-1] != "":
			blocks[len(blocks)-1] += "\n" + line
		}
	}
	errs := map[string]string{}
	for _, block := range blocks {
		if !strings.HasPrefix(block, "Error: ") {
			continue
		}
		m := diagnosticAddress.FindStringSubmatch(block)
		switch {
		case m == nil:
			t.Errorf("an error names no address:\n%s", block)
		case errs[m[1]] != "":
			t.Errorf("two errors name %s:\n%s\n\n%s", m[1], errs[m[1]], block)
		default:
			errs[m[1]] = block
		}
	}
	return errs
}

// diagnosticAddress is the line of a diagnostic that names the object it is about.
var diagnosticAddress = regexp.MustCompile(`(?m)^\s*with ([^\s,]+),$`)

// mustHaveError fails the test unless errs, from errorsByAddress, holds an error on address with
// every wanted text, ignoring line wraps.
func mustHaveError(t *testing.T, errs map[string]string, address string, want ...string) {
	t.Helper()
	text, ok := errs[address]
	if !ok {
		t.Errorf("no error on %s", address)
		return
	}
	for _, w := range want {
		if !strings.Contains(flat(text), flat(w)) {
			t.Errorf("the error on %s lacks %q:\n%s", address, w, text)
		}
	}
}

// hclName turns a case's name into a Terraform identifier, so that a run of several cases can
// name each case's provider alias and data source after it.
func hclName(name string) string {
	id := strings.Trim(nonIdentifier.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if id == "" || id[0] >= '0' && id[0] <= '9' {
		id = "case_" + id
	}
	return id
}

var nonIdentifier = regexp.MustCompile(`[^a-z0-9]+`)
