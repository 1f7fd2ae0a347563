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
  description = "Task state keyed by source server name (tasks without a source server are left out)."
  value = {
    for t in data.sms_tasks.this.tasks : t.source_server.name => t.state
    if t.source_server != null
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
