# A module that gates a CI plan on the migration: its plan fails while any task in scope is
# MIGRATE_FAIL. `terraform test` proves it offline with a mocked provider (tests/).
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

data "sms_tasks" "failed" {
  state                 = "MIGRATE_FAIL"
  enterprise_project_id = var.enterprise_project_id
  summary_only          = true

  lifecycle {
    # A postcondition stops the plan at this read: Terraform exits non-zero.
    postcondition {
      condition     = self.total_count == 0
      error_message = "${self.total_count} migration task(s) are MIGRATE_FAIL: ${join(", ", sort(keys(self.task_states)))}."
    }
  }
}

output "failed_count" {
  description = "Number of tasks in MIGRATE_FAIL; only ever 0, since the plan fails otherwise."
  value       = data.sms_tasks.failed.total_count
}
