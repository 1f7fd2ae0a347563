# terraform test (Terraform 1.7 or later): the gate passes on a clean fleet and blocks the plan
# on a failed task and on an empty scope, with the provider mocked, so no endpoint or credential
# is needed. A mock answers both reads alike: override_data gives the clean fleet its tasks.

mock_provider "sms" {
  alias = "none_failed"

  mock_data "sms_tasks" {
    defaults = {
      total_count  = 0
      state_counts = {}
      task_states  = {}
    }
  }
}

mock_provider "sms" {
  alias = "one_failed"

  mock_data "sms_tasks" {
    defaults = {
      total_count  = 1
      state_counts = { MIGRATE_FAIL = 1 }
      task_states  = { "task-0042" = "MIGRATE_FAIL" }
    }
  }
}

run "passes_on_a_clean_fleet" {
  command = plan

  providers = {
    sms = sms.none_failed
  }

  override_data {
    target = data.sms_tasks.in_scope
    values = {
      total_count  = 12
      state_counts = { MIGRATE_SUCCESS = 12 }
    }
  }

  assert {
    condition     = output.failed_count == 0
    error_message = "A clean fleet must pass the gate with no failed task."
  }
}

run "blocks_on_a_failed_task" {
  command = plan

  providers = {
    sms = sms.one_failed
  }

  expect_failures = [data.sms_tasks.failed]
}

run "blocks_on_an_empty_scope" {
  command = plan

  providers = {
    sms = sms.none_failed
  }

  variables {
    enterprise_project_id = "a-mistyped-project"
  }

  expect_failures = [data.sms_tasks.in_scope]
}
