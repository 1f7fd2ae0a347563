terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "template_id" {
  description = "ID of the template the wave's tasks use, as sms_server_templates or a task's vm_template_id returns it."
  type        = string
}

variable "availability_zone" {
  description = "Availability zone the wave's target servers must be created in, such as cn-north-4a."
  type        = string
}

data "sms_server_template" "this" {
  id = var.template_id
}

locals {
  template = data.sms_server_template.this
}

# The target server the template creates, as a person reviews it before the wave.
output "target_server" {
  value = {
    name         = local.template.target_server_name
    flavor       = local.template.flavor
    zone         = local.template.availability_zone
    subnets      = local.template.nics == null ? [] : [for n in local.template.nics : "${n.name} (${n.cidr})${n.ip == null ? "" : " at ${n.ip}"}"]
    disks_gb     = local.template.disk == null ? [] : [for d in local.template.disk : d.size]
    elastic_ip   = local.template.publicip == null ? "none" : "${local.template.publicip.bandwidth_size} Mbit/s"
    password_set = local.template.has_target_password == true
  }
}

# Warn, without stopping the plan, when the template would create the servers in another zone or
# without a password.
check "template_ready" {
  assert {
    condition     = local.template.availability_zone == var.availability_zone && local.template.has_target_password == true
    error_message = "Template ${var.template_id} creates servers in ${coalesce(local.template.availability_zone, "no zone")}, want ${var.availability_zone}${local.template.has_target_password == true ? "" : ", and sets no target password"}."
  }
}
