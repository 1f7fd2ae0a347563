# Credentials come from the environment (see Authentication), never from the configuration.
terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

provider "sms" {
  region = "ap-southeast-3"

  max_retries     = 4
  request_timeout = "60s"
  max_concurrency = 4
}
