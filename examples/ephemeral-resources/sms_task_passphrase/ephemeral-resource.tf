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
  description = "Address of the server that uses the task's channel certificate."
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

variable "passphrase_file" {
  description = "File on host that receives the passphrase, readable by ssh_user only."
  type        = string
  default     = "/etc/sms-channel/passphrase"
}

# Opened in every plan and apply; the passphrase is in neither the state nor the plan file.
ephemeral "sms_task_passphrase" "this" {
  task_id = var.task_id
}

# Writes the passphrase to a file that only ssh_user can read, when the task or the host changes.
# The file is created empty with its mode first, so the passphrase is never readable by others.
resource "terraform_data" "passphrase_file" {
  triggers_replace = [var.task_id, var.host]

  connection {
    type        = "ssh"
    host        = var.host
    user        = var.ssh_user
    private_key = file(pathexpand(var.ssh_private_key_file))
  }

  provisioner "remote-exec" {
    inline = ["install -D -m 600 /dev/null ${var.passphrase_file}"]
  }

  provisioner "file" {
    content     = ephemeral.sms_task_passphrase.this.passphrase
    destination = var.passphrase_file
  }
}
