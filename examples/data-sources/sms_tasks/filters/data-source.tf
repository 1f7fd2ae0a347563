terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "source_server_id" {
  type        = string
  description = "ID of the source server whose tasks are listed."
}

variable "enterprise_project_id" {
  type        = string
  default     = "0"
  description = "Enterprise project to list tasks from; \"0\" is the default project."
}

# Filters are sent to the API; unset ones are not sent at all.
data "sms_tasks" "one_server" {
  source_server_id      = var.source_server_id
  enterprise_project_id = var.enterprise_project_id
}

output "one_server_tasks" {
  value = [for t in data.sms_tasks.one_server.tasks : {
    id       = t.id
    state    = t.state
    progress = [for s in coalesce(t.sub_tasks, []) : "${s.name}: ${coalesce(s.progress, 0)}%"]
  }]
}
