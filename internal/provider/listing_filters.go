package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// A listing's filter arguments are declared once, in a filterTable: the table gives the data
// source's schema attributes, the same arguments under the sms_wait action's `tasks` or
// `source_servers`, and the client's query from configured values. A new filter is one row.

// filterArgument is one filter argument of a listing and where it goes in the query Q.
type filterArgument[Q any] struct {
	name        string
	description string
	// values, when set, is the enumeration the argument is checked against at plan.
	values []string
	// str or boolean is the query's field for the argument.
	str     func(q *Q) **string
	boolean func(q *Q) **bool
}

// filterTable is every filter argument of one listing, and its page size.
type filterTable[Q any] struct {
	// noun names the items in descriptions: "tasks", "servers".
	noun      string
	arguments []filterArgument[Q]
	// pageSizeDescription describes page_size; pageSize is the query's field.
	pageSizeDescription string
	pageSize            func(q *Q) *int
	// maxPageSize is the endpoint's largest page when it is not smsapi.MaxPageSize.
	maxPageSize int
}

// maxPage is the largest page_size, which is also its default.
func (t filterTable[Q]) maxPage() int {
	if t.maxPageSize == 0 {
		return smsapi.MaxPageSize
	}
	return t.maxPageSize
}

// description is the argument's description, with what unset or mistyped values do.
func (f filterArgument[Q]) fullDescription(noun string) string {
	if f.values != nil {
		return f.description + " Validated at plan time, so a typo fails the plan instead of returning no " + noun +
			" and passing a gate. One of: `" + strings.Join(f.values, "`, `") + "`."
	}
	return f.description + " Unset filters are not sent."
}

func (f filterArgument[Q]) stringValidators() []validator.String {
	if f.values != nil {
		return []validator.String{stringvalidator.OneOf(f.values...)}
	}
	return []validator.String{stringvalidator.LengthBetween(1, 255)}
}

// dataSourceAttributes are the filter arguments and page_size of the data source's schema.
func (t filterTable[Q]) dataSourceAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(t.arguments)+1)
	for _, f := range t.arguments {
		switch {
		case f.boolean != nil:
			attrs[f.name] = boolFilterAttribute(f.description)
		case f.values != nil:
			attrs[f.name] = schema.StringAttribute{Optional: true, MarkdownDescription: f.fullDescription(t.noun),
				Validators: f.stringValidators()}
		default:
			attrs[f.name] = filterAttribute(f.description)
		}
	}
	attrs["page_size"] = schema.NumberAttribute{Optional: true, Computed: true, MarkdownDescription: t.pageSizeDescription,
		Validators: []validator.Number{wholeNumberBetween(1, int64(t.maxPage()))}}
	return attrs
}

// actionAttributes are the same arguments in the schema of an action.
func (t filterTable[Q]) actionAttributes() map[string]actionschema.Attribute {
	attrs := make(map[string]actionschema.Attribute, len(t.arguments)+1)
	for _, f := range t.arguments {
		if f.boolean != nil {
			attrs[f.name] = actionschema.BoolAttribute{Optional: true, MarkdownDescription: f.fullDescription(t.noun)}
			continue
		}
		attrs[f.name] = actionschema.StringAttribute{Optional: true, MarkdownDescription: f.fullDescription(t.noun),
			Validators: f.stringValidators()}
	}
	attrs["page_size"] = actionschema.NumberAttribute{Optional: true, MarkdownDescription: t.pageSizeDescription,
		Validators: []validator.Number{wholeNumberBetween(1, int64(t.maxPage()))}}
	return attrs
}

// query builds the client's query from configured arguments; an unset filter stays nil.
func (t filterTable[Q]) query(a *arguments) Q {
	var q Q
	for _, f := range t.arguments {
		if f.boolean != nil {
			*f.boolean(&q) = a.boolean(f.name)
		} else {
			*f.str(&q) = a.str(f.name)
		}
	}
	*t.pageSize(&q) = a.pageSize(t.maxPage())
	return q
}

// withAttributes is attrs with more added, for schemas built from a table and a literal.
func withAttributes(attrs, more map[string]schema.Attribute) map[string]schema.Attribute {
	for name, a := range more {
		attrs[name] = a
	}
	return attrs
}
