# AK/SK request signing. Usually the keys come from HW_ACCESS_KEY and HW_SECRET_KEY (or
# SMS_ACCESS_KEY and SMS_SECRET_KEY) and the block needs no credential at all; set the
# arguments only when the keys come from elsewhere, such as a secret store.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

provider "sms" {
  region     = "ap-southeast-3"
  access_key = var.access_key
  secret_key = var.secret_key

  # Optional: sent as X-Domain-Id and X-Project-Id (HW_DOMAIN_ID, HW_PROJECT_ID).
  # domain_id  = "0123456789abcdef0123456789abcdef"
  # project_id = "fedcba9876543210fedcba9876543210"
}
