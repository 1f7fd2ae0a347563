# A module that gates a CI plan on the migration: its plan fails while any task in scope is
# MIGRATE_FAIL, and when no task is in scope at all (a mistyped enterprise project id, a wrong
# account or endpoint), since "no task failed" is true of nothing. `terraform test` proves it
# offline with a mocked provider (tests/).
terraform {
  required_version = ">= 1.5"
  required_providers {
    sms = {
      source = "smsops/sms"
    }
  }
}

variable "enterprise_project_id" {
  type        = string
  default     = null
  description = "Enterprise project to gate on; null means every project."
}

# Every task in scope, counted; reading it costs one request per 200 tasks.
data "sms_tasks" "in_scope" {
  enterprise_project_id = var.enterprise_project_id
  summary_only          = true

  lifecycle {
    postcondition {
      condition     = self.total_count > 0
      error_message = "No migration task found${var.enterprise_project_id == null ? "" : " in enterprise project ${var.enterprise_project_id}"}: check the project id, the account and the endpoint."
    }
  }
}

data "sms_tasks" "failed" {
  state                 = "MIGRATE_FAIL"
  enterprise_project_id = var.enterprise_project_id
  summary_only          = true

  lifecycle {
    # A postcondition stops the plan at this read: Terraform exits non-zero.
    postcondition {
      # The message names at most 10 failed tasks: a real fleet can have hundreds.
      condition     = self.total_count == 0
      error_message = "${self.total_count} migration task(s) are MIGRATE_FAIL: ${join(", ", slice(sort(keys(self.task_states)), 0, min(10, length(self.task_states))))}${length(self.task_states) > 10 ? " and ${length(self.task_states) - 10} more" : ""}."
    }
  }
}

output "failed_count" {
  description = "Number of tasks in MIGRATE_FAIL; only ever 0, since the plan fails otherwise."
  value       = data.sms_tasks.failed.total_count
}
