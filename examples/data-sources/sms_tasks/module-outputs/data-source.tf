terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

# The root configuration reads the tasks through the module's outputs.
module "migration_status" {
  source = "./modules/migration-status"
}

output "state_by_source_server" {
  value = module.migration_status.state_by_source_server
}

output "failed_count" {
  value = length(module.migration_status.failed_task_ids)
}

output "servers_with_failed_tasks" {
  description = "Source servers with at least one task in MIGRATE_FAIL."
  value = sort([
    for name, states in module.migration_status.state_by_source_server : name
    if contains(states, "MIGRATE_FAIL")
  ])
}
