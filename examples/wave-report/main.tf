# The wave report of one migration project, printed after `terraform apply` (or read with
# `terraform output -raw wave_report`).

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
  description = "Name of the migration project that holds the wave."
  type        = string
  default     = "wave-1"
}

module "wave_report" {
  source = "./modules/wave-report"
  wave   = var.wave
}

output "wave_report" {
  value = module.wave_report.report
}

output "wave_servers_with_errors" {
  value = [for s in module.wave_report.servers : s.name if length(s.errors) > 0]
}
