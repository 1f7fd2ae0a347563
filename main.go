// Command terraform-provider-sms serves the sms Terraform provider over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/smsops/terraform-provider-sms/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// The server is the framework's with listing reads encoded directly (internal/provider,
	// direct_read.go); providerserver.Serve would serve the framework's alone.
	newServer := provider.NewServer(version)
	err := tf6server.Serve("registry.terraform.io/smsops/sms", func() tfprotov6.ProviderServer {
		server, err := newServer()
		if err != nil {
			log.Fatal(err.Error())
		}
		return server
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
