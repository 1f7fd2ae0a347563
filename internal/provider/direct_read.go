package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework turns a data source's new state into msgpack through three generic passes over
// every value (semantic equality, null-block reification, the proto conversion). For a list of
// ten thousand tasks those passes cost several times what reading the API does. A listing data
// source therefore leaves its big list attribute null in the state it gives the framework and
// hands the list to the server below, which writes its msgpack directly from the API structs and
// puts it in place of the null in the framework's encoded state. Everything else — schemas,
// validation, configuration, timeouts, deferral, diagnostics and the other attributes — stays
// with the framework. Without the server (providerserver.NewProtocol6 alone) the data source
// writes the list through the framework, which is the reference the tests compare with.

// NewServer returns the provider's protocol 6 server as main serves it and the tests run it.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		framework, err := providerserver.NewProtocol6WithError(New(version)())()
		if err != nil {
			return nil, err
		}
		return directReadServer{framework}, nil
	}
}

// directReadServer is the framework's server with ReadDataSource wrapped. The provider has no
// resources, list resources, actions or state stores, so the optional interfaces the framework's
// server also implements are not needed here.
type directReadServer struct {
	tfprotov6.ProviderServer
}

// directAttributes collects, during one ReadDataSource call, the attributes the data source
// leaves to the server. Each is written once, straight into the response's state.
type directAttributes struct {
	values map[string]directValue
}

// directValue is one attribute's value: its exact msgpack length and the function that writes it.
type directValue struct {
	size     int
	appendTo func([]byte) []byte
}

type directAttributesKey struct{}

// putDirect hands an attribute's value to the server, and reports whether it did: it does only
// when the read runs under directReadServer. The caller then leaves the attribute null in the
// state it sets; otherwise it sets the attribute through the framework.
func putDirect(ctx context.Context, attribute string, v directValue) bool {
	direct, ok := ctx.Value(directAttributesKey{}).(*directAttributes)
	if !ok {
		return false
	}
	if direct.values == nil {
		direct.values = map[string]directValue{}
	}
	direct.values[attribute] = v
	return true
}

// putStringMap hands a map of strings (a nil value is null) to the server as the attribute's value.
func putStringMap(ctx context.Context, attribute string, m map[string]*string) bool {
	return putDirect(ctx, attribute, directValue{
		size:     stringMapSize(m),
		appendTo: func(b []byte) []byte { return appendStringMap(b, m) },
	})
}

func (s directReadServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	direct := &directAttributes{}
	resp, err := s.ProviderServer.ReadDataSource(context.WithValue(ctx, directAttributesKey{}, direct), req)
	if err != nil {
		return nil, err
	}
	if resp != nil && resp.State != nil && len(direct.values) > 0 && !hasError(resp.Diagnostics) {
		writeDirectAttributes(resp, direct, req.TypeName)
	}
	return resp, nil
}

// writeDirectAttributes puts the directly encoded attributes into the response's state. Should
// that fail, the read fails with a diagnostic, not an RPC error, so Terraform shows it like any
// other failed read.
func writeDirectAttributes(resp *tfprotov6.ReadDataSourceResponse, direct *directAttributes, typeName string) {
	state, err := spliceAttributes(resp.State.MsgPack, direct.values)
	if err == nil {
		resp.State.MsgPack = state
		return
	}
	resp.State = nil
	resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  "State Encoding Error",
		Detail: "The provider could not encode the state of " + typeName + ": " + err.Error() +
			". This is a bug in the provider; please report it.",
	})
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// listEncoding is what a listing data source declares to have one list attribute encoded
// directly: the attribute's name and the plan that writes a []T as that attribute's type.
type listEncoding[T any] struct {
	attribute string
	plan      *objectPlan
}

// mustListEncoding plans the encoding of []T as the list attribute of that name and type, and
// panics when T does not match the type, so a mismatch fails every test at package load.
func mustListEncoding[T any](attribute string, listType tftypes.Type) listEncoding[T] {
	list, ok := listType.(tftypes.List)
	if !ok {
		panic(fmt.Sprintf("%s: %s is not a list type", attribute, listType))
	}
	objType, ok := list.ElementType.(tftypes.Object)
	if !ok {
		panic(fmt.Sprintf("%s: the elements of %s are not objects", attribute, listType))
	}
	plan, err := planObject(reflect.TypeFor[T](), objType)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", attribute, err))
	}
	return listEncoding[T]{attribute: attribute, plan: plan}
}

// value is the list of items as the attribute's value: a list, empty when there are no items
// (the attribute is null only when the data source leaves it out, as summary_only does).
func (e listEncoding[T]) value(items []T) directValue {
	if items == nil {
		items = []T{}
	}
	v := reflect.ValueOf(items)
	return directValue{
		size:     e.plan.listSize(v),
		appendTo: func(b []byte) []byte { return e.plan.appendList(b, v) },
	}
}

// encode returns the msgpack of items as the attribute's value.
func (e listEncoding[T]) encode(items []T) []byte {
	v := e.value(items)
	return v.appendTo(make([]byte, 0, v.size))
}

// put hands items to the server as the attribute's value; see putDirect.
func (e listEncoding[T]) put(ctx context.Context, items []T) bool {
	return putDirect(ctx, e.attribute, e.value(items))
}

// spliceAttributes copies the msgpack object state, writing the values in direct in place of
// those attributes, which must be null in state. The result is written into one buffer of its
// exact size.
func spliceAttributes(state []byte, direct map[string]directValue) ([]byte, error) {
	size := len(state)
	for _, v := range direct {
		size += v.size - 1 // each replaces a one-byte null
	}
	out := make([]byte, 0, size)
	r := msgpackReader{b: state}
	n, err := r.mapLen()
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	out = append(out, state[:r.pos]...)
	replaced := 0
	for range n {
		keyStart := r.pos
		key, err := r.str()
		if err != nil {
			return nil, fmt.Errorf("state attribute name: %w", err)
		}
		valueStart := r.pos
		if err := r.skip(); err != nil {
			return nil, fmt.Errorf("state attribute %q: %w", key, err)
		}
		out = append(out, state[keyStart:valueStart]...)
		value, ok := direct[key]
		if !ok {
			out = append(out, state[valueStart:r.pos]...)
			continue
		}
		if r.pos != valueStart+1 || state[valueStart] != 0xc0 {
			return nil, fmt.Errorf("state attribute %q is not null", key)
		}
		out = value.appendTo(out)
		replaced++
	}
	if r.pos != len(state) {
		return nil, errors.New("state: trailing bytes")
	}
	if replaced != len(direct) {
		return nil, fmt.Errorf("state: %d of %d direct attributes are not in the schema", len(direct)-replaced, len(direct))
	}
	return out, nil
}
