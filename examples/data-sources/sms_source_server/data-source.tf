terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "migproject_id" {
  description = "ID of the migration project (the wave) to check before its migration starts."
  type        = string
}

# The servers of the wave, from the server list.
data "sms_source_servers" "wave" {
  migproject_id = var.migproject_id
}

# The detail of each server: its disks, networks, firmware and Agent version, which the list lacks.
data "sms_source_server" "each" {
  for_each  = toset([for s in data.sms_source_servers.wave.servers : s.id if s.id != null])
  source_id = each.value
}

locals {
  servers = data.sms_source_server.each

  # The name a person knows each server by: its SMS name, or its id when it has none.
  names = { for id, s in local.servers : id => coalesce(s.name, id) }

  # A server whose Agent is not known to be connected cannot start its migration.
  offline = sort([for id, s in local.servers : local.names[id] if s.connected != true])

  # The environment checks that failed, by server id: "RSYNC_INSTALLED: rsync is not installed".
  failed_checks = {
    for id, s in local.servers : id => [
      for c in coalesce(s.checks, []) :
      "${coalesce(c.name, "check")}: ${coalesce(c.error_or_warn, c.error_code, "failed")}" if c.result == "ERROR"
    ]
  }
  checks_failed_on = sort([for id, failed in local.failed_checks : local.names[id] if length(failed) > 0])
}

# One entry per server of the wave, by id, as a person reads it before the wave starts.
output "preflight" {
  value = {
    for id, s in local.servers : id => {
      name          = local.names[id]
      agent         = s.connected == true ? "online, version ${coalesce(s.agent_version, "unknown")}" : "OFFLINE"
      firmware      = s.firmware
      disks         = length(coalesce(s.disks, []))
      failed_checks = local.failed_checks[id]
    }
  }
}

# Warn, without stopping the plan, while a server of the wave is not ready to migrate.
check "wave_ready" {
  assert {
    condition     = length(local.offline) == 0 && length(local.checks_failed_on) == 0
    error_message = "Wave ${var.migproject_id} is not ready. Agent offline: [${join(", ", local.offline)}]. Failed checks: [${join(", ", local.checks_failed_on)}]."
  }
}
