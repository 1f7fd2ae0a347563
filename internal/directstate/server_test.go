package directstate

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// newFrameworkServer is the framework's server for testProvider, as a provider's main builds it.
func newFrameworkServer(tb testing.TB) tfprotov6.ProviderServer {
	tb.Helper()
	s, err := providerserver.NewProtocol6WithError(testProvider{})()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// The wrapper hides no method of the framework's server: every exported method of its concrete
// type, those of the optional interfaces included, is a method of the wrapper with the same
// signature. When terraform-plugin-go adds an optional interface and the framework implements it,
// this fails until NewServer forwards it too.
func TestNewServer_HidesNothing(t *testing.T) {
	inner := newFrameworkServer(t)
	innerType, wrapperType := reflect.TypeOf(inner), reflect.TypeOf(NewServer(inner))
	for i := range innerType.NumMethod() {
		m := innerType.Method(i)
		w, ok := wrapperType.MethodByName(m.Name)
		if !ok {
			t.Errorf("the wrapper hides %s of %s", m.Name, innerType)
			continue
		}
		if got, want := signature(w.Type), signature(m.Type); got != want {
			t.Errorf("%s: the wrapper's is %s, the framework's %s", m.Name, got, want)
		}
	}
	for _, optional := range []reflect.Type{
		reflect.TypeFor[tfprotov6.ActionServer](),
		reflect.TypeFor[tfprotov6.ListResourceServer](),
		reflect.TypeFor[tfprotov6.StateStoreServer](),
	} {
		if innerType.Implements(optional) && !wrapperType.Implements(optional) {
			t.Errorf("the wrapper does not implement %s", optional)
		}
	}
}

// signature is a method's type without its receiver.
func signature(method reflect.Type) string {
	s := fmt.Sprint(method)
	_, rest, _ := strings.Cut(s, ", ")
	return rest
}

// A server with only some optional interfaces is refused, since a wrapper would hide those; one
// with none is wrapped as it is.
func TestNewServer_RefusesWhatItWouldHide(t *testing.T) {
	type plain struct{ tfprotov6.ProviderServer }
	type withActions struct {
		tfprotov6.ProviderServer
		tfprotov6.ActionServer
	}
	if _, ok := NewServer(plain{}).(tfprotov6.ActionServer); ok {
		t.Error("a plain server's wrapper claims actions")
	}
	defer func() {
		if recover() == nil {
			t.Error("NewServer wrapped a server with actions only, hiding them")
		}
	}()
	NewServer(withActions{})
}

// Every call but ReadDataSource reaches the framework's server: each method of the wrapper,
// called with an empty request, answers what the framework's server answers to it.
func TestNewServer_ForwardsEveryCall(t *testing.T) {
	ctx := context.Background()
	wrapper, inner := reflect.ValueOf(NewServer(newFrameworkServer(t))), reflect.ValueOf(newFrameworkServer(t))
	for i := range wrapper.NumMethod() {
		name := wrapper.Type().Method(i).Name
		if name == "ReadDataSource" {
			continue // TestNewServer_ReadsAsTheFramework
		}
		request := reflect.New(wrapper.Method(i).Type().In(1).Elem())
		got := call(ctx, wrapper.Method(i), request)
		want := call(ctx, inner.MethodByName(name), request)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the wrapper answered %v, the framework %v", name, got, want)
		}
	}
	resp, err := NewServer(newFrameworkServer(t)).GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || resp.DataSourceSchemas["directstate_rows"] == nil {
		t.Errorf("GetProviderSchema did not reach the framework: %v, %v", resp, err)
	}
}

// call calls a server method and returns what it answers in a comparable form: the response's
// fields with each stream drained into a slice, the error's text, or a panic's value.
func call(ctx context.Context, method, request reflect.Value) (answer []any) {
	defer func() {
		if p := recover(); p != nil {
			answer = []any{"panic", fmt.Sprint(p)}
		}
	}()
	out := method.Call([]reflect.Value{reflect.ValueOf(ctx), request})
	if err, _ := out[1].Interface().(error); err != nil {
		return []any{"error", err.Error()}
	}
	resp := out[0].Elem()
	for i := range resp.NumField() {
		f := resp.Field(i)
		if f.Kind() == reflect.Func && !f.IsNil() {
			answer = append(answer, drain(f))
		} else {
			answer = append(answer, f.Interface())
		}
	}
	return answer
}

// drain collects what an iterator yields.
func drain(seq reflect.Value) []any {
	var out []any
	yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
		for _, a := range args {
			out = append(out, a.Interface())
		}
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return out
}

// testProvider has one data source, directstate_rows, and nothing else.
type testProvider struct{}

func (testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "directstate"
}

func (testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (testProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (testProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return rowsDataSource{} }}
}

func (testProvider) Resources(context.Context) []func() resource.Resource { return nil }
