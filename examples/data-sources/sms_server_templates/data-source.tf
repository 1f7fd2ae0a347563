terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "region" {
  description = "Region the wave's target servers are created in, such as cn-north-4."
  type        = string
}

variable "availability_zone" {
  description = "Availability zone every target server of the wave must be created in, such as cn-north-4a."
  type        = string
}

# Every template that creates target servers in the wave's zone.
data "sms_server_templates" "wave" {
  region            = var.region
  availability_zone = var.availability_zone
}

locals {
  templates = data.sms_server_templates.wave.templates
  # has_target_password is null when the API says nothing of a password: not set, for a gate.
  without_password = sort([for t in local.templates : coalesce(t.name, t.id, "(unnamed)") if t.has_target_password != true])
}

# What each template creates, as a person reads it: "tpl-wave-1" => "s6.large.2, 2 disk(s), password set".
output "templates" {
  value = {
    for t in local.templates : coalesce(t.name, t.id, "(unnamed)") =>
    "${coalesce(t.flavor, "no flavor")}, ${t.disk == null ? 0 : length(t.disk)} disk(s), ${t.has_target_password == true ? "password set" : "no password"}"
  }
}

# The wave starts only when the zone has templates and each of them sets the target servers'
# password. An empty selection (a mistyped zone or region) stops the plan too.
resource "terraform_data" "wave_start" {
  input = sort([for t in local.templates : t.id])

  lifecycle {
    precondition {
      condition     = length(local.templates) > 0 && length(local.without_password) == 0
      error_message = "Zone ${var.availability_zone} (${var.region}): ${length(local.templates)} template(s), ${length(local.without_password)} without a target password: ${join(", ", local.without_password)}. Set the passwords, or check the zone, before the wave starts."
    }
  }
}
