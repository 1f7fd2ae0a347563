terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "enterprise_project_id" {
  description = "Only the failed servers of this enterprise project; null for every project."
  type        = string
  default     = null
}

data "sms_source_server_errors" "failed" {
  enterprise_project_id = var.enterprise_project_id
}

locals {
  # What an operator does about each error code, from the SMS error code reference.
  hints = {
    "SMS.0201" = "The source cannot reach the API gateway: check its DNS, proxy and outbound HTTPS (443)."
    "SMS.0202" = "The AK/SK was rejected: enter a valid key pair of the target account in the Agent."
    "SMS.0203" = "The connection to the API gateway timed out: check the source's network path and firewall."
    "SMS.0205" = "Correct the source's clock or time zone (NTP), then restart the Agent."
    "SMS.0210" = "Check the network between the source and the target server, then restart the task."
    "SMS.0212" = "The Agent restarted: delete the target configuration and configure the task again."
  }

  # error_json is the API's JSON string; an entry that is not JSON, or has no code, is "unknown".
  errors = [
    for e in data.sms_source_server_errors.failed.migration_errors : {
      server  = coalesce(e.name, e.source_id, "unnamed")
      code    = coalesce(try(jsondecode(e.error_json).error_code, null), "unknown")
      message = try(jsondecode(e.error_json).error_msg, e.error_json)
    }
  ]
}

# The failed servers grouped by error code, with what to do about each code.
output "errors_by_code" {
  value = {
    for code in distinct([for e in local.errors : e.code]) : code => {
      servers = sort([for e in local.errors : e.server if e.code == code])
      message = [for e in local.errors : e.message if e.code == code][0]
      hint    = lookup(local.hints, code, "Not in this list: look the code up in the SMS error code reference.")
    }
  }
}

# Warn, without stopping the plan, while any server is in error.
check "no_failed_servers" {
  assert {
    condition     = data.sms_source_server_errors.failed.total_count == 0
    error_message = "${data.sms_source_server_errors.failed.total_count} source server(s) failed to migrate; see the errors_by_code output for what to do."
  }
}
