# The demo that `make demo` applies against the local emulator. The endpoint and token come from
# SMS_ENDPOINT and SMS_TOKEN, which the demo script sets.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

provider "sms" {}

data "sms_tasks" "all" {}

# A report, not a gate: a check block only warns, and the apply still succeeds. The gate that
# stops a CI plan is in gate/main.tf.
check "no_failed_migrations" {
  assert {
    condition     = lookup(data.sms_tasks.all.state_counts, "MIGRATE_FAIL", 0) == 0
    error_message = "${lookup(data.sms_tasks.all.state_counts, "MIGRATE_FAIL", 0)} migration task(s) are MIGRATE_FAIL."
  }
}

output "total_count" {
  value = data.sms_tasks.all.total_count
}

output "tasks_by_state" {
  value = data.sms_tasks.all.state_counts
}

output "failed_tasks" {
  description = "Name, source server and error of the first five failed tasks."
  value = slice([for t in data.sms_tasks.all.tasks : {
    name          = t.name
    source_server = try(t.source_server.name, null)
    error         = t.error_json
  } if t.state == "MIGRATE_FAIL"], 0, min(5, lookup(data.sms_tasks.all.state_counts, "MIGRATE_FAIL", 0)))
}
