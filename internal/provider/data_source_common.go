package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// defaultReadTimeout bounds a whole read when `timeouts.read` is unset. Reading 65,535 tasks
// takes well under a minute, so this only stops reads that are stuck.
const defaultReadTimeout = 20 * time.Minute

// providerDataOf is the Configure of every data source, ephemeral resource and action: it
// returns the configured provider's data, or nil while Terraform validates configuration before
// the provider is configured.
func providerDataOf(configured any, diags *diag.Diagnostics) *providerData {
	if configured == nil {
		return nil
	}
	data, ok := configured.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", configured))
	}
	return data
}

// dataSourceRead is one Read of a data source: its arguments as configured, and the state it
// builds, both as terraform-plugin-go values keyed by attribute name.
type dataSourceRead struct {
	client *smsapi.Client
	target readTarget
	// parent is the context Terraform gave Read, with the log masks but without timeouts.read:
	// a wait runs under it, and bounds each of its polls with timeouts.read instead.
	parent context.Context
	args   arguments
	// state starts as the configured values, with every other attribute null.
	state     map[string]tftypes.Value
	stateType tftypes.Object
	// diags takes the warnings of a successful read.
	diags *diag.Diagnostics
}

// readDataSource is the Read of every data source, so that each is written one way: it checks
// that the provider is configured, masks its credentials in every log line of the read (see
// withSecretMasks), applies timeouts.read, lets read query the API and fill the state, and sets
// the whole state at the end. When read fails, nothing is written and one diagnostic says why.
func readDataSource(ctx context.Context, data *providerData, target readTarget, req datasource.ReadRequest,
	resp *datasource.ReadResponse, read func(context.Context, *dataSourceRead) error) {
	if data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The sms provider was not configured before "+
			target.dataSource+" was read. This is a bug in the provider; please report it.")
		return
	}
	ctx = withSecretMasks(ctx, data.secrets)
	var configured map[string]tftypes.Value
	if err := req.Config.Raw.As(&configured); err != nil {
		resp.Diagnostics.AddError("Invalid Configuration", "The configuration of "+target.dataSource+" could not be read: "+err.Error())
		return
	}
	var to timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &to)...)
	if resp.Diagnostics.HasError() {
		return
	}
	readTimeout, d := to.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	stateType := objectTypeOf(resp.State.Schema)
	r := &dataSourceRead{client: data.client, target: target, parent: parent, args: arguments{values: configured},
		state: make(map[string]tftypes.Value, len(stateType.AttributeTypes)), stateType: stateType, diags: &resp.Diagnostics}
	for name, typ := range stateType.AttributeTypes {
		r.state[name] = tftypes.NewValue(typ, nil)
		if v, ok := configured[name]; ok {
			r.state[name] = v
		}
	}
	if err := read(ctx, r); err != nil {
		var argErr *argumentError
		if errors.As(err, &argErr) {
			resp.Diagnostics.AddAttributeError(path.Root(argErr.name), "Invalid "+target.dataSource+" Argument", argErr.Error())
			return
		}
		addReadError(&resp.Diagnostics, ctx, err, readTimeout, data.method, target)
		return
	}
	resp.State.Raw = tftypes.NewValue(stateType, r.state)
}

// arguments reads configured arguments into the client's query types. The first argument that
// cannot be read is kept in err and makes every later read a no-op, so a query is built in one
// expression and checked once.
type arguments struct {
	values map[string]tftypes.Value
	err    error
}

// argumentError is a configured value the provider cannot use; its diagnostic names the argument.
type argumentError struct {
	name string
	err  error
}

func (e *argumentError) Error() string { return e.name + ": " + e.err.Error() }

// set reads argument name into dst when it is set and known, and reports whether it did.
func (a *arguments) set(name string, dst any) bool {
	v, ok := a.values[name]
	if a.err != nil || !ok || v.IsNull() || !v.IsKnown() {
		return false
	}
	if err := v.As(dst); err != nil {
		a.err = &argumentError{name: name, err: err}
		return false
	}
	return true
}

// str is a string argument, nil when unset.
func (a *arguments) str(name string) *string {
	var s string
	if !a.set(name, &s) {
		return nil
	}
	return &s
}

// boolean is a bool argument, nil when unset.
func (a *arguments) boolean(name string) *bool {
	var b bool
	if !a.set(name, &b) {
		return nil
	}
	return &b
}

// pageSize is a listing's page_size argument, or def (the endpoint's largest page) when unset.
// The schema's validators bound it; a value that is not a whole int64 is refused here all the
// same, naming the argument.
func (a *arguments) pageSize(def int) int {
	const name = "page_size"
	var n big.Float
	if !a.set(name, &n) {
		return def
	}
	i, acc := n.Int64()
	if acc != big.Exact || int64(int(i)) != i {
		a.err = &argumentError{name: name, err: fmt.Errorf("%s is not a whole number in range", n.Text('g', 20))}
		return def
	}
	return int(i)
}

// readListing is the read of every listing data source, after its query is built: it reads
// summary_only, lists every page, warns when the offset cap left items unread, logs what the
// listing took, and sets the attributes every
// listing shares (the id derived from the filters, page_size and summary_only as used,
// total_count) and, unless summary_only, the list itself.
func readListing[T any](ctx context.Context, r *dataSourceRead, encoding directstate.List[T], filters url.Values, pageSize int,
	list func(context.Context) (*smsapi.Listing[T], error)) (*smsapi.Listing[T], error) {
	summaryOnly := r.args.boolean("summary_only")
	if r.args.err != nil {
		return nil, r.args.err
	}
	started := time.Now()
	l, err := list(ctx)
	if err != nil {
		return nil, err
	}
	addIncompleteWarning(r, encoding.Attribute(), l.Count, len(l.Items))
	tflog.Debug(ctx, "read SMS "+encoding.Attribute(), map[string]any{
		"count": l.Count, encoding.Attribute(): len(l.Items), "pages": l.Requests, "duplicates_dropped": l.DuplicatesDropped,
		"reread": l.Reread, "duration_ms": time.Since(started).Milliseconds(),
	})
	r.state["id"] = tftypes.NewValue(tftypes.String, filtersHash(filters.Encode()))
	r.state["page_size"] = tftypes.NewValue(tftypes.Number, big.NewFloat(float64(pageSize)))
	r.state["summary_only"] = tftypes.NewValue(tftypes.Bool, summaryOnly != nil && *summaryOnly)
	r.state["total_count"] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(l.Count))
	if summaryOnly == nil || !*summaryOnly {
		setList(ctx, r, encoding, l.Items)
	}
	return l, nil
}

// listAttribute is the computed list of a listing data source, each item with every field of T.
func listAttribute[T any](description string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: description + " Fields the API returns as null or leaves out are null here, never " +
			"`\"\"`, `0` or `false`. Null when `summary_only` is true.",
		NestedObject: schema.NestedAttributeObject{Attributes: apiAttributes(reflect.TypeFor[T]())},
	}
}

// setList sets a listing's list attribute, an empty list when there are no items: written by the
// server directly under NewServer (see direct_read.go), through the framework with apiValue
// otherwise.
func setList[T any](ctx context.Context, r *dataSourceRead, encoding directstate.List[T], items []T) {
	if !encoding.Put(ctx, items) {
		if items == nil {
			items = []T{}
		}
		attribute := encoding.Attribute()
		r.state[attribute] = apiValue(reflect.ValueOf(items), r.stateType.AttributeTypes[attribute])
	}
}
