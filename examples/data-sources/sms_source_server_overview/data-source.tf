terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

# Source servers per state, in one request: cheap enough for every plan.
data "sms_source_server_overview" "this" {}

output "servers_by_state" {
  value = {
    waiting   = data.sms_source_server_overview.this.waiting
    replicate = data.sms_source_server_overview.this.replicate
    syncing   = data.sms_source_server_overview.this.syncing
    finished  = data.sms_source_server_overview.this.finished
    error     = data.sms_source_server_overview.this.error
  }
}

# A warning while any source server is in error. A counter the API leaves out is null (older
# API versions report no `error`, counting such servers in `other`), and a gate must not read
# null as 0: `null == 0` is false, so this fails closed.
check "no_source_server_in_error" {
  assert {
    condition     = data.sms_source_server_overview.this.error == 0
    error_message = "${coalesce(tostring(data.sms_source_server_overview.this.error), "An unknown number of (this API version reports no error counter)")} source server(s) are in error."
  }
}
