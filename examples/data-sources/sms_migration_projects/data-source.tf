terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "wave" {
  description = "Name of the wave's migration project, as the SMS console shows it."
  type        = string
  default     = "wave-1"
}

data "sms_migration_projects" "all" {}

locals {
  # Runbooks and the console name projects; the API filters servers by project id.
  project_ids = { for p in data.sms_migration_projects.all.migprojects : p.name => p.id }
}

# The wave's servers, found by the project's name. A name that names no project stops the plan
# here, instead of reading an empty wave that a gate further on would pass.
data "sms_source_servers" "wave" {
  migproject_id = local.project_ids[var.wave]

  lifecycle {
    precondition {
      condition     = contains(keys(local.project_ids), var.wave)
      error_message = "No migration project is named \"${var.wave}\". The account has: ${join(", ", sort(keys(local.project_ids)))}."
    }
    # A project without servers is an empty wave, almost always the wrong name.
    postcondition {
      condition     = length(self.servers) > 0
      error_message = "Migration project ${var.wave} holds no source servers."
    }
  }
}

output "wave_servers" {
  description = "Migration stage of each server of the wave, by server name."
  value       = { for s in data.sms_source_servers.wave.servers : s.name => s.migration_cycle }
}

output "projects_without_servers" {
  description = "Projects that hold no source server: empty waves, or leftovers to clean up."
  value       = sort([for p in data.sms_migration_projects.all.migprojects : p.name if p.exist_server == false])
}
