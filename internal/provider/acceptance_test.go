package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccTasksDataSource_RealAPI reads the real SMS API. It runs only with TF_ACC=1 and
// SMS_ACC_TOKEN plus SMS_ACC_REGION or SMS_ACC_ENDPOINT set, and skips otherwise; it creates
// nothing, so it is safe against any account that can list tasks.
func TestAccTasksDataSource_RealAPI(t *testing.T) {
	token := os.Getenv("SMS_ACC_TOKEN")
	endpoint, region := os.Getenv("SMS_ACC_ENDPOINT"), os.Getenv("SMS_ACC_REGION")
	if os.Getenv("TF_ACC") == "" || token == "" || (endpoint == "" && region == "") {
		t.Skip("set TF_ACC=1, SMS_ACC_TOKEN and SMS_ACC_REGION or SMS_ACC_ENDPOINT to run against the real API")
	}
	location := fmt.Sprintf("region = %q", region)
	if endpoint != "" {
		location = fmt.Sprintf("endpoint = %q", endpoint)
	}
	config := fmt.Sprintf(`
provider "sms" {
  %s
  token = %q
}
data "sms_tasks" "all" {
  page_size = 50
}
data "sms_tasks" "failed" {
  state        = "MIGRATE_FAIL"
  summary_only = true
}
`, location, token)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(allTasks, tfjsonpath.New("total_count"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(allTasks, tfjsonpath.New("tasks"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.sms_tasks.failed", tfjsonpath.New("tasks"), knownvalue.Null()),
			},
			Check: resource.TestCheckResourceAttrPair(allTasks, "total_count", allTasks, "tasks.#"),
		}},
	})
}
