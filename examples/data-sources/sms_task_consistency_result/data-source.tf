terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "enterprise_project_id" {
  description = "Enterprise project of the wave whose source servers are to be decommissioned."
  type        = string
}

# The wave's migration tasks. A wave without tasks is a mistyped id or a wrong account or endpoint
# far more often than a finished migration, so it stops the plan too.
data "sms_tasks" "wave" {
  enterprise_project_id = var.enterprise_project_id

  lifecycle {
    postcondition {
      condition     = length(self.tasks) > 0
      error_message = "Decommission blocked: no migration task in enterprise project ${var.enterprise_project_id}. Check the id, the account and the endpoint."
    }
  }
}

locals {
  tasks = { for t in data.sms_tasks.wave.tasks : t.id => t.name }
}

# The decommission gate: the plan stops while any checked directory of a task of the wave has
# files that differ, are missing on the target or exist only there, and for a task that has run
# no consistency check. One request per task.
data "sms_task_consistency_result" "task" {
  for_each = local.tasks
  task_id  = each.key

  lifecycle {
    postcondition {
      condition     = self.clean
      error_message = <<-EOT
        Decommission blocked: task ${each.value} (${each.key}) is not consistent with its target.%{if length(self.result_list) == 0} It has run no consistency check.%{endif}%{for c in self.result_list}%{for d in(c.consistency_result != null ? c.consistency_result : [])}%{if d.num_different_files + d.num_target_miss_files + d.num_target_more_files > 0}
        ${d.dir_check}: ${d.num_different_files} different, ${d.num_target_miss_files} missing and ${d.num_target_more_files} extra file(s).%{endif}%{endfor}%{if c.text != null}
        A check the API sent as text: ${c.text}%{endif}%{endfor}
        Synchronize the task and check it again before decommissioning its source server.
      EOT
    }
  }
}

# What the gate passed: the files checked per task, by task name.
output "files_checked" {
  value = {
    for id, name in local.tasks : name => sum(flatten([
      for c in data.sms_task_consistency_result.task[id].result_list : c.consistency_result[*].num_total_files
    ]))
  }
}
