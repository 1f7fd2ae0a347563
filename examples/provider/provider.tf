# Credentials come from the environment (see Authentication), never from the configuration.
provider "sms" {
  region = "ap-southeast-3"

  max_retries     = 4
  request_timeout = "60s"
  max_concurrency = 4
}
