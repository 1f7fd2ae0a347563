# An IAM token obtained beforehand (the X-Subject-Token of POST /v3/auth/tokens). It expires
# after 24 hours; SMS_TOKEN is the usual way to pass it.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "iam_token" {
  type      = string
  sensitive = true
}

provider "sms" {
  region = "ap-southeast-3"
  token  = var.iam_token
}
