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

variable "min_speed" {
  description = "Slowest rate limit, in Mbit/s, that lets the task finish within its window."
  type        = number
  default     = 100
}

data "sms_task_speed_limits" "this" {
  task_id = var.task_id
}

# The task's rate limits by time of day, as a person reads them: "08:00-20:00" => "300 Mbit/s".
output "speed_limits" {
  value = {
    for l in data.sms_task_speed_limits.this.speed_limit :
    "${l.start}-${l.end}" => l.speed == null ? "no limit given" : "${l.speed} Mbit/s"
  }
}

# Warn, without stopping the plan, when a period limits the task below what its window needs.
check "fast_enough" {
  assert {
    condition = alltrue([
      for l in data.sms_task_speed_limits.this.speed_limit : l.speed == null || l.speed >= var.min_speed
    ])
    error_message = "Task ${var.task_id} is limited below ${var.min_speed} Mbit/s in some period: raise its speed limits before the migration window."
  }
}
