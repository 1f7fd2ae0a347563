terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

# Every migration task, over every page.
data "sms_tasks" "all" {}

output "task_states" {
  description = "State of each task, keyed by task name."
  value       = { for t in data.sms_tasks.all.tasks : t.name => t.state }
}

output "tasks_by_state" {
  value = data.sms_tasks.all.state_counts
}
