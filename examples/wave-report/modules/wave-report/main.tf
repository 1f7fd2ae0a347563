# A wave report: one migration project's source servers, each with its task and its migration
# errors, as one text a person reads and as one object other modules read. Four listings, each
# read whole or not at all: the projects, the wave's servers, every task, every error.

terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "wave" {
  description = "Name of the migration project that holds the wave."
  type        = string
}

data "sms_migration_projects" "all" {}

locals {
  projects = [for p in data.sms_migration_projects.all.migprojects : p if p.name == var.wave]
}

data "sms_source_servers" "wave" {
  migproject_id = local.projects[0].id

  lifecycle {
    precondition {
      condition     = length(local.projects) == 1
      error_message = "The wave report needs exactly one migration project named \"${var.wave}\"; found ${length(local.projects)}."
    }
  }
}

data "sms_tasks" "all" {}

data "sms_source_server_errors" "all" {}

locals {
  servers = data.sms_source_servers.wave.servers
  # The newest task of each server of the wave, by the server's current task.
  tasks = { for t in data.sms_tasks.all.tasks : t.id => t if t.id != null }
  # Each error's error_json is the API's JSON text; a text that is not JSON is shown as it is.
  errors = {
    for e in data.sms_source_server_errors.all.migration_errors : e.source_id => {
      code    = try(jsondecode(e.error_json).error_code, null)
      message = try(jsondecode(e.error_json).error_msg, e.error_json)
    }... if e.source_id != null
  }
  rows = [
    for s in local.servers : {
      id              = s.id
      name            = s.name
      state           = s.state
      migration_cycle = s.migration_cycle
      progress        = s.replication_progress == null ? null : floor(s.replication_progress)
      task_state      = try(local.tasks[s.current_task.id].state, s.current_task.state, null)
      errors          = lookup(local.errors, coalesce(s.id, "-"), [])
    }
  ]
}

output "servers" {
  description = "Every server of the wave with its stage, progress, task state and migration errors."
  value       = local.rows
}

output "report" {
  description = "The wave as text: a header with the counts per stage, then one line per server and one per error."
  value = join("\n", concat(
    [format("Wave %s (%s): %d servers; %s", var.wave, local.projects[0].id, length(local.rows),
    join(", ", [for cycle, n in data.sms_source_servers.wave.migration_cycle_counts : "${cycle} ${n}"]))],
    flatten([
      for r in local.rows : concat(
        [format("  %-28s %-12s %-11s %5s  task %s", coalesce(r.name, r.id, "?"), coalesce(r.state, "-"),
        coalesce(r.migration_cycle, "-"), r.progress == null ? "-" : "${r.progress}%", coalesce(r.task_state, "none"))],
        [for e in r.errors : format("      error %s: %s", coalesce(e.code, "?"), coalesce(e.message, "-"))]
      )
    ])
  ))
}
