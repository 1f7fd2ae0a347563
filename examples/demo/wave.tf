# A migration wave: the source servers of one migration project, where they stand, and when the
# running migration is expected to finish.

variable "wave" {
  description = "Migration project of the wave; the default is the first project of the emulator's fleet."
  type        = string
  default     = "2a4c6e80-1b3d-4f5a-8c7e-9d0f1a2b3c4d"
}

data "sms_source_servers" "wave" {
  migproject_id = var.wave
}

locals {
  wave_servers = data.sms_source_servers.wave.servers
  # Servers still replicating whose progress is known, keyed by id.
  in_flight = {
    for s in local.wave_servers : s.id => s
    if s.id != null && s.replication_progress != null && s.migration_cycle != "cutovered"
  }
  # Sorting "progress id" strings orders servers by progress: the numbers are zero-padded.
  by_progress = sort([for id, s in local.in_flight : format("%08.3f %s", s.replication_progress, id)])
  running     = [for s in local.wave_servers : s.current_task.id if try(s.current_task.state, null) == "RUNNING"]
}

output "wave_by_migration_cycle" {
  value = data.sms_source_servers.wave.migration_cycle_counts
}

output "wave_least_advanced" {
  description = "The five servers of the wave that are furthest behind, with their replication progress."
  value = [
    for key in slice(local.by_progress, 0, min(5, length(local.by_progress))) : {
      name     = local.in_flight[split(" ", key)[1]].name
      cycle    = local.in_flight[split(" ", key)[1]].migration_cycle
      progress = "${floor(local.in_flight[split(" ", key)[1]].replication_progress)}%"
    }
  ]
}

output "wave_offline_agents" {
  value = [for s in local.wave_servers : s.name if s.connected == false]
}

data "sms_task" "running" {
  count   = length(local.running) > 0 ? 1 : 0
  task_id = local.running[0]
}

output "wave_running_task_eta" {
  value = length(data.sms_task.running) == 0 ? null : {
    task      = data.sms_task.running[0].name
    remaining = data.sms_task.running[0].remain_seconds == null ? "unknown" : format("%dh%02dm", floor(data.sms_task.running[0].remain_seconds / 3600), floor(data.sms_task.running[0].remain_seconds % 3600 / 60))
  }
}

# Why the wave's failed servers failed, as the API's error code and message.
data "sms_source_server_errors" "all" {}

output "wave_errors" {
  description = "The migration errors of the wave's servers, by server name."
  value = {
    for e in data.sms_source_server_errors.all.migration_errors : coalesce(e.name, e.source_id, "?") => try(
      "${jsondecode(e.error_json).error_code}: ${jsondecode(e.error_json).error_msg}", e.error_json
    )... if contains([for s in local.wave_servers : s.id], e.source_id)
  }
}
