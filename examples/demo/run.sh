#!/usr/bin/env bash
# make demo: build the provider and the emulator, serve a few hundred tasks on loopback, and
# apply examples/demo through a dev_overrides CLI configuration written here. The user's own
# Terraform configuration is not read or changed. It ends by waiting for a wave of the emulator's
# that finishes while it is watched. DEMO_TASKS, DEMO_WAVE (servers in the wave, default 6),
# DEMO_LATENCY and DEMO_WORKDIR (the directory it replaces, .build/demo by default) change the
# fleet and where the demo runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${DEMO_WORKDIR:-$root/.build/demo}"
rm -rf "$work" && mkdir -p "$work/bin" "$work/config"

echo "==> building the provider and the emulator"
go build -C "$root" -o "$work/bin/terraform-provider-sms" .
go build -C "$root" -o "$work/bin/sms-emulator" ./internal/cmd/sms-emulator

echo "==> starting the SMS emulator with ${DEMO_TASKS:-300} tasks and their source servers, and a wave of ${DEMO_WAVE:-6}"
"$work/bin/sms-emulator" -addr 127.0.0.1:0 -tasks "${DEMO_TASKS:-300}" -wave "${DEMO_WAVE:-6}" -token demo-token \
  -latency "${DEMO_LATENCY:-20ms}" -url-file "$work/url" &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { echo "the emulator did not start"; exit 1; }

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "smsops/sms" = "$work/bin"
  }
  direct {}
}
RC
cp "$root"/examples/demo/*.tf "$work/config/"
mkdir -p "$work/gate" && cp "$root"/examples/demo/gate/*.tf "$work/gate/"
mkdir -p "$work/wait" && cp "$root"/examples/demo/wait/*.tf "$work/wait/"

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export SMS_ENDPOINT="$(cat "$work/url")"
export SMS_TOKEN=demo-token
echo "==> terraform apply against $SMS_ENDPOINT"
cd "$work/config"
terraform apply -auto-approve -input=false
echo "==> the report above succeeded: its check block only warns about the MIGRATE_FAIL tasks; the"
echo "    wave_* outputs come from data.sms_source_servers.wave and data.sms_task.running"

echo "==> terraform plan of the CI gate (examples/demo/gate), which must stop on them"
cd "$work/gate"
# The plan must fail, and at the gate's own postcondition: a plan that fails for another reason
# (a bad argument, a provider error) proves nothing about the gate.
status=0
terraform plan -input=false -no-color 2>&1 | tee "$work/gate-plan.log" || status=$?
if [ "$status" -eq 0 ]; then
  echo "FAIL: the gate passed although the fleet has MIGRATE_FAIL tasks" >&2
  exit 1
fi
# Terraform wraps long messages and frames them with │: compare on one line of single spaces.
plan_output="$(sed 's/│/ /g' "$work/gate-plan.log" | tr -s ' \n' '  ')"
if [[ "$plan_output" != *"Resource postcondition failed"* ||
  ! "$plan_output" =~ Migration\ gate:\ [0-9]+\ task\(s\)\ are\ MIGRATE_FAIL ]]; then
  echo "FAIL: the gate's plan failed (exit code $status), but not at the gate's postcondition;" >&2
  echo "      what failed is printed above and kept in $work/gate-plan.log" >&2
  exit 1
fi
echo "==> The gate's plan failed at its postcondition as a CI job would (exit code $status),"
echo "    while the report's check block only warned"

echo "==> waiting for a wave (examples/demo/wait): its ${DEMO_WAVE:-6} servers finish one per read, and the"
echo "    plan reads them every 2s until all are cut over; each poll as the provider logs it at INFO:"
cd "$work/wait"
: > "$work/wait.log"
# The provider's INFO lines go to a file, and only the wait's progress is shown from it; errors
# still reach the terminal. $! is tail's own pid, since sed runs in a process substitution.
tail -n +1 -f "$work/wait.log" > >(sed -un 's/.*provider\.terraform-provider-sms: \(sms wait: [^=]*\): [a-z_@]*=.*/    \1/p') &
tailer=$!
status=0
TF_LOG_PROVIDER=INFO TF_LOG_PATH="$work/wait.log" terraform apply -auto-approve -input=false || status=$?
sleep 0.5 # Lets tail show the last lines.
kill "$tailer" 2>/dev/null || true
if [ "$status" -ne 0 ]; then
  echo "FAIL: the wait for the wave failed (exit code $status); what failed is printed above" >&2
  exit 1
fi
echo "==> done: the plan waited until the wave was cut over. Change examples/demo/*.tf and run 'make demo' again."
