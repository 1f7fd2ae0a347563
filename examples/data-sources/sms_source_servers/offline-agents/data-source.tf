terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}

data "sms_source_servers" "all" {}

# Source servers whose SMS Agent has lost its connection, for alerting. The connected filter's
# true/false semantics are not confirmed by the API reference, so the servers are tested here.
# A server whose connection state is unknown (null) is not reported.
output "offline_agents" {
  value = [
    for s in data.sms_source_servers.all.servers : {
      id              = s.id
      name            = s.name
      ip              = s.ip
      state           = s.state
      last_visit_time = s.last_visit_time
    } if s.connected == false
  ]
}
