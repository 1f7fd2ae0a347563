terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

# A CI gate: the plan fails while any migration task is MIGRATE_FAIL.
data "sms_tasks" "failed" {
  state        = "MIGRATE_FAIL"
  summary_only = true

  lifecycle {
    # Fails the read itself when the API counted tasks that could not all be read.
    postcondition {
      condition     = self.total_count == length(self.task_states)
      error_message = "Only ${length(self.task_states)} of ${self.total_count} failed tasks could be read."
    }
  }
}

# A check block reports a warning and lets the run go on.
check "no_failed_migrations" {
  assert {
    condition     = data.sms_tasks.failed.total_count == 0
    error_message = "${data.sms_tasks.failed.total_count} migration task(s) failed: ${join(", ", keys(data.sms_tasks.failed.task_states))}."
  }
}

# A precondition stops the plan: nothing that depends on the migration is changed.
resource "terraform_data" "cutover" {
  input = "cutover"

  lifecycle {
    precondition {
      condition     = data.sms_tasks.failed.total_count == 0
      error_message = "Cut-over blocked: ${data.sms_tasks.failed.total_count} migration task(s) are MIGRATE_FAIL."
    }
  }
}
