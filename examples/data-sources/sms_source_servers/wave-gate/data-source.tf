terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "migproject_id" {
  description = "Migration project of the wave."
  type        = string
}

# Every server of the wave's migration project.
data "sms_source_servers" "wave" {
  migproject_id = var.migproject_id
}

locals {
  wave_servers = data.sms_source_servers.wave.servers
  # A server is cut over once its target has been launched.
  not_cut_over = sort([
    for s in local.wave_servers : "${coalesce(s.name, s.id, "(unnamed)")} (${coalesce(s.migration_cycle, "unknown")})"
    if s.migration_cycle != "cutovered"
  ])
}

# The plan stops unless every server of the wave is cut over, naming those that are not. An
# empty wave (a mistyped project id) stops it too.
resource "terraform_data" "decommission_sources" {
  input = var.migproject_id

  lifecycle {
    precondition {
      condition     = length(local.wave_servers) > 0 && length(local.not_cut_over) == 0
      error_message = "Wave ${var.migproject_id}: ${length(local.not_cut_over)} of ${length(local.wave_servers)} server(s) not cut over: ${join(", ", local.not_cut_over)}."
    }
  }
}
