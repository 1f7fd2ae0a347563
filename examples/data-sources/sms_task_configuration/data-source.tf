terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "task_id" {
  description = "ID of a migration task, as sms_tasks or a source server's current_task returns it."
  type        = string
}

variable "must_migrate" {
  description = "Directories the migration must not leave out."
  type        = list(string)
  default     = ["/data", "/opt/app"]
}

data "sms_task_configuration" "this" {
  task_id = var.task_id
}

locals {
  # Configuration items by key; a task without items has configurations = null.
  items    = data.sms_task_configuration.this.configurations != null ? data.sms_task_configuration.this.configurations : []
  settings = { for c in local.items : c.config_key => c.config_value... }
  excluded = flatten([for v in lookup(local.settings, "MIGRATE_EXCLUDE_DIR", []) : split(",", v)])
}

output "settings" {
  value = {
    migrate_type = data.sms_task_configuration.this.migrate_type
    excluded     = local.excluded
  }
}

# Pre-flight: warn, without stopping the plan, when the task would leave out a directory that must be migrated.
check "nothing_needed_is_excluded" {
  assert {
    condition     = length(setintersection(local.excluded, var.must_migrate)) == 0
    error_message = "Task ${var.task_id} excludes ${join(", ", setintersection(local.excluded, var.must_migrate))} from the migration."
  }
}
