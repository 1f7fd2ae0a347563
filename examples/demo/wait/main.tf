# The wave stage of `make demo`: the emulator's wave (sms-emulator -wave) finishes one server per
# read, and the plan waits, reading it every two seconds, until every server is cut over. The
# endpoint and token come from SMS_ENDPOINT and SMS_TOKEN, which the demo script sets.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

provider "sms" {}

variable "wave" {
  description = "Migration project of the wave; the default is the one sms-emulator -wave serves."
  type        = string
  default     = "7e57a11e-0000-4000-8000-00000000a7e5"
}

data "sms_source_servers" "wave" {
  migproject_id = var.wave
  wait = {
    until    = { migration_cycle = ["cutovered"] }
    interval = "2s"
    timeout  = "5m"
  }
}

# Known once the whole wave is cut over.
output "cut_over" {
  value = sort([for s in data.sms_source_servers.wave.servers : s.name])
}
