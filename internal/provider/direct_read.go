package provider

import (
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
)

// NewServer returns the provider's protocol 6 server as main serves it and the tests run it: the
// framework's server, wrapped so that the listing data sources' large lists are written into the
// state directly (see internal/directstate and DESIGN.md, "Encoding listing reads directly").
// Without the wrapper (providerserver.NewProtocol6 alone) the same reads set those lists through
// the framework, which is the reference the tests compare with.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		framework, err := providerserver.NewProtocol6WithError(New(version)())()
		if err != nil {
			return nil, err
		}
		return directstate.NewServer(framework), nil
	}
}

// derivedOf hands the direct encoding the derived attributes of api_objects.go, so that both
// paths compute such a value with one function.
func derivedOf(t reflect.Type, name string) (directstate.DerivedFunc, bool) {
	for _, d := range derivedAttributes[t] {
		if d.name == name {
			return d.value, true
		}
	}
	return nil, false
}
