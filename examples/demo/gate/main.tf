# The CI gate that `make demo` runs after the report: its plan fails (exit code 1) while any
# task is MIGRATE_FAIL, which the emulator's fleet has, and when no task is found at all. The
# endpoint and token come from SMS_ENDPOINT and SMS_TOKEN, which the demo script sets.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

provider "sms" {}

# Every task, counted: "no task failed" is also true of an empty fleet (a wrong endpoint or
# account), which must not pass the gate.
data "sms_tasks" "all" {
  summary_only = true

  lifecycle {
    postcondition {
      condition     = self.total_count > 0
      error_message = "Migration gate: no migration task was found; check the endpoint and the credentials."
    }
  }
}

data "sms_tasks" "failed" {
  state        = "MIGRATE_FAIL"
  summary_only = true

  lifecycle {
    # A postcondition stops the plan at this read; a check block would only warn.
    postcondition {
      condition     = self.total_count == 0
      error_message = "Migration gate: ${self.total_count} task(s) are MIGRATE_FAIL."
    }
  }
}
