# An IAM user's password: the provider obtains a token scoped to the account itself, once per
# Terraform command, from https://iam.{region}.{cloud}/v3 unless auth_url says otherwise.
# HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME work as well.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "iam_password" {
  type      = string
  sensitive = true
}

provider "sms" {
  region      = "ap-southeast-3"
  user_name   = "sms-reader"
  password    = var.iam_password
  domain_name = "example-account"
}
