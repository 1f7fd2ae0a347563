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

variable "poll_interval" {
  description = "Time between two reads of the wave."
  type        = string
  default     = "1m"
}

# Read the wave again until every server is cut over. The plan stops at once when a server is in
# error, naming it, when the project has no server (a mistyped id) or after six hours.
data "sms_source_servers" "wave" {
  migproject_id = var.migproject_id
  wait = {
    until    = { migration_cycle = ["cutovered"] }
    fail_on  = { state = ["error"] }
    timeout  = "6h"
    interval = var.poll_interval
  }
}

# Known only once the whole wave is cut over: what depends on it waits for the wave.
output "cut_over" {
  value = sort([for s in data.sms_source_servers.wave.servers : coalesce(s.name, s.id)])
}
