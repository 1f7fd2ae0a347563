terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

# Every registered source server, read over every page.
data "sms_source_servers" "all" {}

# Replication progress in percent, by server id; null while the sizes are not measured yet.
output "replication_progress" {
  value = { for s in data.sms_source_servers.all.servers : s.id => s.replication_progress if s.id != null }
}

# How many servers are in each migration stage (checking, setting, replicating, ...).
output "servers_by_migration_cycle" {
  value = data.sms_source_servers.all.migration_cycle_counts
}
