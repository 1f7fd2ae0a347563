terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

variable "task_id" {
  description = "ID of a migration task, as sms_tasks or a source server's current_task returns it."
  type        = string
}

variable "host" {
  description = "Address of the server that needs the task's certificate and key."
  type        = string
}

variable "ssh_user" {
  description = "User that logs in to host over SSH."
  type        = string
  default     = "root"
}

variable "ssh_private_key_file" {
  description = "Path of the SSH private key that logs in to host."
  type        = string
  default     = "~/.ssh/id_ed25519"
}

variable "directory" {
  description = "Directory on host that receives cert.pem and key.pem, readable by ssh_user only."
  type        = string
  default     = "/etc/sms-channel"
}

# Opened in every plan and apply; its values are in neither the state nor the plan file.
ephemeral "sms_task_certificate" "this" {
  task_id = var.task_id
}

# Copies the certificate and its private key to the host when the task or the host changes.
# Provisioners accept ephemeral values, and Terraform stores none of their arguments: the state
# holds this resource's id and triggers only.
resource "terraform_data" "channel_files" {
  triggers_replace = [var.task_id, var.host]

  connection {
    type        = "ssh"
    host        = var.host
    user        = var.ssh_user
    private_key = file(pathexpand(var.ssh_private_key_file))
  }

  provisioner "remote-exec" {
    inline = ["install -d -m 700 ${var.directory}", "touch ${var.directory}/key.pem", "chmod 600 ${var.directory}/key.pem"]
  }

  provisioner "file" {
    content     = ephemeral.sms_task_certificate.this.cert
    destination = "${var.directory}/cert.pem"
  }

  provisioner "file" {
    content     = ephemeral.sms_task_certificate.this.private_key
    destination = "${var.directory}/key.pem"
  }
}
