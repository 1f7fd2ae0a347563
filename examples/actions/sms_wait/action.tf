terraform {
  # Actions run from Terraform 1.14 on.
  required_version = ">= 1.14"
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

# Waits at apply time until every server of the wave is cut over, and stops at once when one is
# in error. Run it alone with: terraform apply -invoke=action.sms_wait.wave_cut_over
action "sms_wait" "wave_cut_over" {
  config {
    source_servers = { migproject_id = var.migproject_id }
    until          = { migration_cycle = ["cutovered"] }
    fail_on        = { state = ["error"] }
    timeout        = "6h"
    interval       = var.poll_interval
  }
}

# Not created before the wave is cut over: the action runs before the create, and a failed wave
# fails the apply before it.
resource "terraform_data" "decommission_sources" {
  input = var.migproject_id

  lifecycle {
    action_trigger {
      events  = [before_create]
      actions = [action.sms_wait.wave_cut_over]
    }
  }
}
