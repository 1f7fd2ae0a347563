// Package directstate writes a listing data source's big list attribute straight from the API's
// structs into the msgpack of the state, instead of through the framework's values.
//
// The framework turns a data source's new state into msgpack through several generic passes over
// every value; for a list of ten thousand objects those cost several times what reading the API
// does. A data source therefore leaves the attribute null in the state it gives the framework and
// hands the list to the server of this package (List.Put), which writes the list's msgpack with
// terraform-plugin-go's own encoder and puts it where the null was. Everything else stays with the
// framework. DESIGN.md ("Encoding listing reads directly") explains the design and its proofs.
package directstate

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// fullServer is the framework's server: the protocol and every optional server interface of
// terraform-plugin-go. Wrapping it as a plain ProviderServer would hide the optional interfaces,
// which terraform-plugin-go finds by type assertion, and so turn off actions, list resources and
// state stores.
type fullServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// NewServer wraps the framework's protocol 6 server, so that ReadDataSource writes the values that
// data sources Put into the state. Every other call, and every optional interface the server
// implements, goes to it unchanged. A server with some optional interfaces but not all is
// refused, because a wrapper for it would hide them (TestNewServer_HidesNothing keeps this true
// for the framework's server).
func NewServer(inner tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	if full, ok := inner.(fullServer); ok {
		return server{full}
	}
	for _, optional := range []bool{
		implements[tfprotov6.ListResourceServer](inner),
		implements[tfprotov6.ActionServer](inner),
		implements[tfprotov6.StateStoreServer](inner),
	} {
		if optional {
			panic(fmt.Sprintf("directstate: %T implements some of terraform-plugin-go's optional server interfaces but not all, so a wrapper would hide them", inner))
		}
	}
	return plainServer{inner}
}

func implements[I any](v any) bool {
	_, ok := v.(I)
	return ok
}

// server forwards every call to the framework's server, which it embeds, except ReadDataSource.
type server struct {
	fullServer
}

func (s server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return readDataSource(ctx, s.fullServer, req)
}

// plainServer wraps a server that implements none of the optional interfaces.
type plainServer struct {
	tfprotov6.ProviderServer
}

func (s plainServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return readDataSource(ctx, s.ProviderServer, req)
}

// readDataSource lets the inner server read with a collector in the context, and then writes what
// the data source put into the state the server answered.
func readDataSource(ctx context.Context, inner tfprotov6.ProviderServer, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	c := &collector{values: map[string]writeFunc{}}
	resp, err := inner.ReadDataSource(context.WithValue(ctx, collectorKey{}, c), req)
	if err != nil || resp == nil || resp.State == nil || len(c.values) == 0 || hasError(resp.Diagnostics) {
		return resp, err
	}
	resp.State, resp.Diagnostics = spliceInto(resp.State, resp.Diagnostics, c.values, req.TypeName)
	return resp, nil
}

// spliceInto writes values into state. When that fails, the read fails with a diagnostic, not an
// RPC error, so Terraform shows it like any other failed read; no partial or wrong state is sent.
func spliceInto(state *tfprotov6.DynamicValue, diags []*tfprotov6.Diagnostic, values map[string]writeFunc, typeName string) (*tfprotov6.DynamicValue, []*tfprotov6.Diagnostic) {
	spliced, err := splice(state.MsgPack, values)
	if err != nil {
		return nil, append(diags, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "State Encoding Error",
			Detail: "The provider could not encode the state of " + typeName + ": " + err.Error() +
				". This is a bug in the provider; please report it.",
		})
	}
	return &tfprotov6.DynamicValue{MsgPack: spliced}, diags
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
