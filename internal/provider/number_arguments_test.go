package provider

import (
	"fmt"
	"regexp"
	"testing"
)

// A page_size that is not a whole number within its range is a user's typo, so it fails
// validation with a message that names the argument and its range, not with the framework's
// conversion error ("This is always an error in the provider"). Both listing data sources are
// checked with a fraction, numbers beyond int64 and numbers just out of range.
func TestNumberArguments_NameTheArgumentAndItsRange(t *testing.T) {
	t.Parallel()
	const beyondInt64 = "18446744073709551616"
	var cases []errorCase
	for _, dataSource := range []string{"sms_tasks", "sms_source_servers"} {
		for _, value := range []string{"1.5", beyondInt64, "-" + beyondInt64, "0", "201"} {
			cases = append(cases, errorCase{
				name: dataSource + " page_size = " + value,
				config: "provider \"sms\" {\n  endpoint = \"http://127.0.0.1:1\"\n  token    = \"x\"\n}\n" +
					fmt.Sprintf("data %q \"this\" {\n  page_size = %s\n}\n", dataSource, value),
				want: `(?s)Invalid Attribute Value.*page_size must be a\s+whole\s+number\s+between\s+1\s+and\s+200,\s+got\s+` +
					regexp.QuoteMeta(value),
			})
		}
	}
	for _, c := range []struct {
		argument string
		minimum  int
		maximum  int
	}{{"max_retries", 0, 20}, {"max_concurrency", 1, 64}} {
		for _, value := range []string{"1.5", beyondInt64, fmt.Sprint(c.minimum - 1), fmt.Sprint(c.maximum + 1)} {
			cases = append(cases, errorCase{
				name: "provider " + c.argument + " = " + value,
				config: fmt.Sprintf("provider \"sms\" {\n  endpoint = \"http://127.0.0.1:1\"\n  token    = \"x\"\n  %s = %s\n}\n",
					c.argument, value) + "data \"sms_tasks\" \"this\" {}\n",
				want: fmt.Sprintf(`(?s)Invalid Attribute Value.*%s must be a\s+whole\s+number\s+between\s+%d\s+and\s+%d,\s+got\s+`,
					c.argument, c.minimum, c.maximum) + regexp.QuoteMeta(value),
			})
		}
	}
	expectErrors(t, cases)
}
