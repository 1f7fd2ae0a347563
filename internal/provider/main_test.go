package provider

import (
	"os"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The resource.UnitTest tests run the Terraform CLI, so this package's tests get the parallelism
// and garbage collection setting of testsupport.Run, as the end-to-end tests in internal/e2e do.
func TestMain(m *testing.M) { os.Exit(testsupport.Run(m)) }
