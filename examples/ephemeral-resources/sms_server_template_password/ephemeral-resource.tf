terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "template_id" {
  description = "ID of the template a task created its target server from, as the task's vm_template_id returns it."
  type        = string
}

variable "target_ip" {
  description = "Address of the target server the template created, such as the task's target_server.ip."
  type        = string
}

# Opened in every plan and apply; the password is in neither the state nor the plan file.
ephemeral "sms_server_template_password" "wave" {
  template_id = var.template_id
}

# Logs in to the migrated server with the template's password and fails the apply unless every
# service started, once per target server. Connection blocks accept ephemeral values, and
# Terraform stores none of their arguments.
resource "terraform_data" "smoke_test" {
  triggers_replace = [var.target_ip]

  connection {
    type     = "ssh"
    host     = var.target_ip
    user     = "root"
    password = ephemeral.sms_server_template_password.wave.target_password
  }

  provisioner "remote-exec" {
    inline = ["systemctl is-system-running --wait"]
  }
}
