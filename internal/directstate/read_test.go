package directstate

import (
	"bytes"
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// row is an API object of the test data source.
type row struct {
	Name *string   `json:"name"`
	Size *int64    `json:"size"`
	Tags []*string `json:"tags"`
}

func rowsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
		"name": schema.StringAttribute{Computed: true},
		"size": schema.Int64Attribute{Computed: true},
		"tags": schema.ListAttribute{Computed: true, ElementType: types.StringType},
	}}}
}

// rowsList is declared as a data source declares its List: the type comes from the schema's own
// attribute, so that schema and encoding cannot drift apart.
var rowsList = MustList[row]("rows", rowsAttribute().GetType().TerraformType(context.Background()), nil)

// rowsDataSource reads as many generated rows as its size says; with a negative size it puts no
// rows but never sets them, so they stay null unless a wrapper writes them. Its mode selects how
// Read misbehaves, to test what the server does then.
type rowsDataSource struct{}

func (rowsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "directstate_rows"
}

func (rowsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true},
		"mode":   schema.StringAttribute{Optional: true},
		"size":   schema.Int64Attribute{Optional: true},
		"rows":   rowsAttribute(),
		"states": schema.MapAttribute{Computed: true, ElementType: types.StringType},
	}}
}

func generateRows(n int) ([]row, map[string]*string) {
	rows := make([]row, n)
	states := map[string]*string{}
	for i := range rows {
		name := "row-" + strconv.Itoa(i) + strings.Repeat("ü", i%40)
		rows[i] = row{Name: &name, Size: new(int64(i) << (i % 64)), Tags: withNils(i % 20)}
		if i%7 == 3 {
			rows[i] = row{}
		}
		states[name] = rows[i].Name
	}
	return rows, states
}

func (rowsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var mode types.String
	var count types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("mode"), &mode)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("size"), &count)...)
	rows, states := generateRows(int(max(count.ValueInt64(), 0)))
	typ := req.Config.Schema.Type().TerraformType(ctx)
	attrs := map[string]tftypes.Value{}
	objType, _ := typ.(tftypes.Object)
	for name, attrType := range objType.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, "rows")
	if mode.ValueString() == "empty" {
		rows, states = []row{}, map[string]*string{}
	}
	rowsValue := referenceValue(reflect.ValueOf(rows), attrs["rows"].Type(), nil)
	switch mode.ValueString() {
	case "set and put":
		attrs["rows"] = rowsValue
	case "unknown attribute":
		PutStringMap(ctx, "nope", states)
	case "error":
		resp.Diagnostics.AddError("Read Failed", "As asked.")
	case "warning":
		resp.Diagnostics.AddWarning("Read Incomplete", "As asked.")
	}
	if count.ValueInt64() < 0 {
		rowsList.Put(ctx, rows)
		PutStringMap(ctx, "states", states)
	} else {
		if !rowsList.Put(ctx, rows) {
			attrs["rows"] = rowsValue
		}
		if !PutStringMap(ctx, "states", states) {
			attrs["states"] = stringMapValue(states)
		}
	}
	resp.State.Raw = tftypes.NewValue(typ, attrs)
}

func stringMapValue(m map[string]*string) tftypes.Value {
	mapType := tftypes.Map{ElementType: tftypes.String}
	values := map[string]tftypes.Value{}
	for k, v := range m {
		values[k] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(mapType, values)
}

// Through the whole RPC, the wrapper answers what the framework alone answers, the same state
// bytes and diagnostics, when the data source puts its values; and it fails the read with "State
// Encoding Error" and no state when a put attribute is set as well, or not in the schema.
func TestNewServer_ReadsAsTheFramework(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		mode    string
		count   int64
		wantErr string
	}{
		"rows":      {count: 300},
		"one row":   {count: 1},
		"no rows":   {count: 0},
		"empty":     {mode: "empty", count: 300},
		"a warning": {mode: "warning", count: 300},
		// Terraform ignores the state of a failed read, so the wrapper leaves the nulls in it.
		"an error":          {mode: "error", count: -1},
		"set and put":       {mode: "set and put", count: 3, wantErr: `state attribute "rows" is not null`},
		"unknown attribute": {mode: "unknown attribute", count: 3, wantErr: "1 of 3 direct attributes are not in the schema"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			direct := readRows(t, NewServer(newFrameworkServer(t)), c.mode, c.count)
			framework := readRows(t, newFrameworkServer(t), c.mode, c.count)
			if c.wantErr == "" {
				sameState(t, direct.State, framework.State)
				if !reflect.DeepEqual(messages(direct.Diagnostics), messages(framework.Diagnostics)) || direct.Deferred != nil {
					t.Errorf("the wrapper answered %s, the framework %s", messages(direct.Diagnostics), messages(framework.Diagnostics))
				}
				return
			}
			got := messages(direct.Diagnostics)
			want := append(messages(framework.Diagnostics), "ERROR State Encoding Error: The provider could not encode "+
				"the state of directstate_rows: "+c.wantErr+". This is a bug in the provider; please report it.")
			if direct.State != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("the wrapper answered state %v and %q, want no state and %q", direct.State, got, want)
			}
		})
	}
}

// sameState fails unless both states decode to the same value, and, when their bytes do not
// depend on the order a map is iterated in, unless the bytes are the same.
func sameState(t *testing.T, direct, framework *tfprotov6.DynamicValue) {
	t.Helper()
	typ := rowsDataSourceType(t, newFrameworkServer(t))
	got, err := direct.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	want, err := framework.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs, states map[string]tftypes.Value
	if err := want.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if err := attrs["states"].As(&states); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) || len(states) <= 1 && !bytes.Equal(direct.MsgPack, framework.MsgPack) {
		t.Errorf("the wrapper's state differs from the framework's (%d and %d bytes)", len(direct.MsgPack), len(framework.MsgPack))
	}
}

func messages(diags []*tfprotov6.Diagnostic) []string {
	out := []string{}
	for _, d := range diags {
		out = append(out, d.Severity.String()+" "+d.Summary+": "+d.Detail)
	}
	return out
}

func rowsDataSourceType(tb testing.TB, srv tfprotov6.ProviderServer) tftypes.Object {
	tb.Helper()
	schemas, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	typ, ok := schemas.DataSourceSchemas["directstate_rows"].ValueType().(tftypes.Object)
	if !ok {
		tb.Fatal("directstate_rows has no object type")
	}
	return typ
}

// readRows reads directstate_rows through srv with mode and size set in its configuration.
func readRows(tb testing.TB, srv tfprotov6.ProviderServer, mode string, count int64) *tfprotov6.ReadDataSourceResponse {
	tb.Helper()
	ctx := context.Background()
	typ := rowsDataSourceType(tb, srv)
	attrs := map[string]tftypes.Value{}
	for name, attrType := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	attrs["size"] = tftypes.NewValue(tftypes.Number, count)
	if mode != "" {
		attrs["mode"] = tftypes.NewValue(tftypes.String, mode)
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "directstate_rows", Config: &config})
	if err != nil {
		tb.Fatal(err)
	}
	return resp
}
