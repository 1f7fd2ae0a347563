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
}

# Every task, counted: no task at all means a wrong account or endpoint more often than a
# finished migration, and "no task failed" is true of an empty fleet. Reading it costs one
# request per 200 tasks.
data "sms_tasks" "all" {
  summary_only = true
}

locals {
  # The error names at most 10 failed tasks: a real fleet can have hundreds.
  failed_ids  = sort(keys(data.sms_tasks.failed.task_states))
  failed_list = join(", ", slice(local.failed_ids, 0, min(10, length(local.failed_ids))))
  failed_more = length(local.failed_ids) > 10 ? " and ${length(local.failed_ids) - 10} more" : ""
}

# A precondition stops the plan (exit code 1): nothing that depends on the migration changes.
resource "terraform_data" "cutover" {
  input = "cutover"

  lifecycle {
    precondition {
      condition     = data.sms_tasks.all.total_count > 0
      error_message = "Cut-over blocked: no migration task was found. Check the account, the region and the endpoint."
    }
    precondition {
      condition     = data.sms_tasks.failed.total_count == 0
      error_message = "Cut-over blocked: ${data.sms_tasks.failed.total_count} migration task(s) are MIGRATE_FAIL: ${local.failed_list}${local.failed_more}."
    }
  }
}

# A check block only warns: Terraform prints the failed assertion and the run still succeeds
# (exit code 0). It reports; it cannot gate.
check "failed_migrations_warning" {
  assert {
    condition     = data.sms_tasks.failed.total_count == 0
    error_message = "${data.sms_tasks.failed.total_count} migration task(s) failed."
  }
}
