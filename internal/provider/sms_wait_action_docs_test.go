package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
)

// The sms_wait page is a static file, templates/actions/wait.md, which tfplugindocs copies to
// docs/actions/wait.md: tfplugindocs renders an action's template only when the Terraform CLI it
// runs reports action schemas (1.14 and later), and writes an empty page otherwise, so a template
// would make the docs depend on the CLI that generated them. This test keeps the page's schema
// section equal to the action's schema, in tfplugindocs' layout, and its example equal to
// examples/actions/sms_wait/action.tf. WAIT_DOCS_UPDATE=1 rewrites the section.

const (
	actionPage    = "../../templates/actions/wait.md"
	actionExample = "../../examples/actions/sms_wait/action.tf"
	schemaStart   = "## Schema\n"
	schemaEnd     = "<!-- end of schema -->"
)

func TestWaitActionDocs_MatchTheSchemaAndTheExample(t *testing.T) {
	t.Parallel()
	var resp action.SchemaResponse
	NewWaitAction().Schema(context.Background(), action.SchemaRequest{}, &resp)
	want := schemaMarkdown(resp.Schema)
	page, err := os.ReadFile(actionPage)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	start, end := strings.Index(text, schemaStart), strings.Index(text, schemaEnd)
	if start < 0 || end < start {
		t.Fatalf("%s has no section from %q to %q", actionPage, schemaStart, schemaEnd)
	}
	if got := text[start:end]; got != want {
		if os.Getenv("WAIT_DOCS_UPDATE") == "1" {
			if err := os.WriteFile(actionPage, []byte(text[:start]+want+text[end:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the schema section of %s differs from the action's schema; run with WAIT_DOCS_UPDATE=1 to rewrite it. Want:\n%s",
			filepath.Base(actionPage), want)
	}
	example, err := os.ReadFile(actionExample)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "```terraform\n"+string(example)+"```\n") {
		t.Errorf("%s does not show %s as it is", actionPage, actionExample)
	}
	for _, want := range []string{"technical preview", "terraform-plugin-framework v1.19.0", "Terraform 1.14"} {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not say %q", actionPage, want)
		}
	}
}

// schemaMarkdown writes the schema as tfplugindocs does: required, then optional attributes,
// each sorted, then a section per nested attribute.
func schemaMarkdown(s schema.Schema) string {
	var b strings.Builder
	b.WriteString(schemaStart)
	var nested []string
	writeGroups(&b, s.Attributes, "### ", "", &nested)
	for _, name := range nested {
		attr, _ := s.Attributes[name].(schema.SingleNestedAttribute)
		fmt.Fprintf(&b, "\n<a id=\"nestedatt--%s\"></a>\n### Nested Schema for `%s`\n", name, name)
		writeGroups(&b, attr.Attributes, "", ":", nil)
		b.WriteString("\n")
	}
	return b.String()
}

func writeGroups(b *strings.Builder, attrs map[string]schema.Attribute, heading, colon string, nested *[]string) {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, group := range []struct {
		title    string
		required bool
	}{{"Required", true}, {"Optional", false}} {
		var lines []string
		for _, name := range names {
			a := attrs[name]
			if a.IsRequired() != group.required {
				continue
			}
			line := fmt.Sprintf("- `%s` (%s) %s", name, typeName(a), a.GetMarkdownDescription())
			if _, ok := a.(schema.SingleNestedAttribute); ok && nested != nil {
				line += fmt.Sprintf(" (see [below for nested schema](#nestedatt--%s))", name)
				*nested = append(*nested, name)
			}
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			fmt.Fprintf(b, "\n%s%s%s\n\n%s\n", heading, group.title, colon, strings.Join(lines, "\n"))
		}
	}
}

func typeName(a schema.Attribute) string {
	switch a.(type) {
	case schema.SingleNestedAttribute:
		return "Attributes"
	case schema.MapAttribute:
		return "Map of List of String"
	case schema.BoolAttribute:
		return "Boolean"
	case schema.NumberAttribute:
		return "Number"
	}
	return "String"
}
