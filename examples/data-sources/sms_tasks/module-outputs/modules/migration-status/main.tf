# A module that owns the lookup and exposes the tasks through outputs.
terraform {
  required_providers {
    sms = {
      source = "smsops/sms"
    }
  }
}

variable "enterprise_project_id" {
  type        = string
  default     = null
  description = "Enterprise project to report on; null means every project."
}

data "sms_tasks" "this" {
  enterprise_project_id = var.enterprise_project_id
}

output "state_by_source_server" {
  description = "States of the tasks of each source server, keyed by server name, in API order. A server migrated more than once has several tasks; tasks without a source server name are left out."
  value = {
    # The ellipsis groups: without it, a second task of the same server would fail the plan.
    for t in data.sms_tasks.this.tasks : t.source_server.name => t.state...
    if try(t.source_server.name, null) != null
  }
}

output "failed_task_ids" {
  description = "IDs of the tasks in MIGRATE_FAIL."
  value       = [for id, state in data.sms_tasks.this.task_states : id if state == "MIGRATE_FAIL"]
}

output "state_counts" {
  description = "Number of tasks in each state."
  value       = data.sms_tasks.this.state_counts
}
