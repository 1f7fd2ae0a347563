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

data "sms_task" "this" {
  task_id = var.task_id
}

locals {
  remaining = data.sms_task.this.remain_seconds
}

# When the task is expected to finish: remain_seconds is the API's estimate, null when unknown.
output "eta" {
  value = {
    state        = data.sms_task.this.state
    remaining    = local.remaining == null ? "unknown" : format("%dh%02dm", floor(local.remaining / 3600), floor(local.remaining % 3600 / 60))
    finishes_at  = local.remaining == null ? null : timeadd(plantimestamp(), "${local.remaining}s")
    current_step = try([for s in data.sms_task.this.sub_tasks : "${s.name}: ${s.progress}%" if s.end_date == null][0], null)
  }
}
