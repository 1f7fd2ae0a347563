# An IAM user's password: the provider obtains a token scoped to the account itself, once per
# Terraform command. HW_AUTH_URL, HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME work as well.
variable "iam_password" {
  type      = string
  sensitive = true
}

provider "sms" {
  region      = "ap-southeast-3"
  auth_url    = "https://iam.ap-southeast-3.myhuaweicloud.com/v3"
  user_name   = "sms-reader"
  password    = var.iam_password
  domain_name = "example-account"
}
