terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "target_region" {
  description = "Region the wave migrates to, which the Agents must be able to reach."
  type        = string
  default     = "cn-north-4"
}

data "sms_agent_config" "this" {}

locals {
  # Either map may be null when the API leaves it out.
  config        = data.sms_agent_config.this.config != null ? data.sms_agent_config.this.config : {}
  agent_regions = [for r in coalesce(data.sms_agent_config.this.regions, []) : lookup(r, "region_name", null) if r != null]
}

# What an Agent installed on a source server will be told: its main region, the OBS endpoint it
# uploads through, and the regions it can migrate to.
output "agent" {
  value = {
    main_region = lookup(local.config, "mainRegion", null)
    obs_domain  = lookup(local.config, "obs_domain", null)
    regions     = compact(local.agent_regions)
  }
}

# Warn, without stopping the plan, when the wave's target region is not one the Agents offer.
check "target_region_offered" {
  assert {
    condition     = contains(local.agent_regions, var.target_region)
    error_message = "The SMS Agent configuration offers the regions ${join(", ", compact(local.agent_regions))}, not ${var.target_region}: check the endpoint (region) of the provider."
  }
}
