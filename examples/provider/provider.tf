# Credentials come from the environment (SMS_TOKEN), never from the configuration.
provider "sms" {
  region = "ap-southeast-3"

  max_retries     = 4
  request_timeout = "60s"
  max_concurrency = 4
}
