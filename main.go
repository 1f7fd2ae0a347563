// Command terraform-provider-sms serves the sms Terraform provider over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/smsops/terraform-provider-sms/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// defaultMemoryLimit is the provider's soft memory limit unless GOMEMLIMIT says otherwise. The
// framework holds about two copies of a data source's state while it encodes it, so reading
// 65,535 tasks keeps about 1.25 GB live; with Go's default GC pacing the heap then doubles to
// 2.4 GB before a collection. The soft limit makes the collector work harder near it instead
// (measured: 1.48 GB peak, about 15% more time, at 65,535 tasks; no effect on smaller reads).
// It is soft: a larger live heap still works, only with more time spent collecting.
const defaultMemoryLimit = 1400 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/smsops/sms",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
