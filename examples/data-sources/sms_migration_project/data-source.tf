terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "mig_project_id" {
  description = "ID of the wave's migration project, as sms_migration_projects returns it."
  type        = string
}

variable "migration_type" {
  description = "Migration type the wave was planned with: MIGRATE_BLOCK or MIGRATE_FILE."
  type        = string
  default     = "MIGRATE_BLOCK"

  validation {
    condition     = contains(["MIGRATE_BLOCK", "MIGRATE_FILE"], var.migration_type)
    error_message = "migration_type must be MIGRATE_BLOCK or MIGRATE_FILE."
  }
}

data "sms_migration_project" "wave" {
  mig_project_id = var.mig_project_id

  lifecycle {
    # A project without servers is almost always the wrong id: stop before a gate passes on an
    # empty wave.
    postcondition {
      condition     = self.exist_server == true
      error_message = "Migration project ${coalesce(self.name, var.mig_project_id)} has no source servers: check mig_project_id, or add the wave's servers to the project first."
    }
  }
}

# The settings the wave's servers migrate with, as a person reads them.
output "wave_settings" {
  value = {
    name                = data.sms_migration_project.wave.name
    type                = data.sms_migration_project.wave.type
    speed_limit_mbps    = data.sms_migration_project.wave.speed_limit
    use_public_ip       = data.sms_migration_project.wave.use_public_ip
    start_target_server = data.sms_migration_project.wave.start_target_server
    syncing             = data.sms_migration_project.wave.syncing
  }
}

# Warn, without stopping the plan, when the project's default migration type is not the one the
# wave was planned with (block-level and file-level migrations copy different things).
check "migration_type" {
  assert {
    condition     = data.sms_migration_project.wave.type == var.migration_type
    error_message = "Servers of migration project ${coalesce(data.sms_migration_project.wave.name, var.mig_project_id)} migrate as ${coalesce(data.sms_migration_project.wave.type, "an unknown type")} by default, but the wave was planned as ${var.migration_type}."
  }
}
