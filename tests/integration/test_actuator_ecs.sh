#!/usr/bin/env bash
# The ECS driver against moto (run under with-moto): StopTask on a task that
# moto placed on a registered container instance, idempotence, isolate
# refused, the API's own errors; then, with moto's IAM checks turned on,
# that the requests libcurl signs (SigV4, scope us-east-1/ecs on a loopback
# host) are accepted from known keys and refused with a wrong secret, an
# unknown key, a missing permission or a wrong session token.
#
#   test_actuator_ecs.sh TEST_ECS_DRIVER
set -euo pipefail
driver=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${RAMPART_TEST_ECS_ENDPOINT:?run under tests/integration/with-moto}"
py=${RAMPART_MOTO_PYTHON:?run under tests/integration/with-moto}
fixture() { "$py" "$here/ecs_moto_fixture.py" "$@"; }

say() { printf 'ecs test: %s\n' "$*"; }
fail() { printf 'ecs test: FAIL: %s\n' "$*" >&2; exit 1; }
checks=0

# act ACTION CLUSTER TASK: runs the driver, its output in $out.
act() { out=$("$driver" "$@") || fail "test_ecs_driver $* exited with $?"; }
field() { sed -n "s/^$1=//p" <<<"$out"; }
expect_field() {
  local got; got=$(field "$1")
  [ "$got" = "$2" ] || fail "$3: $1 is '$got', want '$2' (driver said: $(field detail))"
  checks=$((checks + 1))
}
expect_detail() {
  grep -qF -- "$1" <<<"$(field detail)" || fail "$2: detail '$(field detail)' lacks '$1'"
  checks=$((checks + 1))
}
expect_eq() { [ "$1" = "$2" ] || fail "$3: '$1', want '$2'"; checks=$((checks + 1)); }
task_field() { fixture describe "$1" "$2" | "$py" -c "import json, sys; print(json.load(sys.stdin)['$3'])"; }

cluster=prod
mapfile -t arns < <(fixture tasks "$cluster" 4)
[ ${#arns[@]} = 4 ] || fail "moto ran ${#arns[@]} tasks, want 4"
say "tasks running in $cluster: ${arns[*]##*/}"
expect_eq "$(task_field "$cluster" "${arns[0]}" lastStatus)" RUNNING "task 0 before"

say "terminate: StopTask"
act terminate "$cluster" "${arns[0]}"
expect_field status DONE "terminate"
expect_field api_status 200 "terminate"
expect_field target "${arns[0]}" "terminate"
expect_field actor "iam:testing..." "terminate"
expect_detail 'StopTask: stopping the task (lastStatus was RUNNING)' "terminate"
expect_eq "$(task_field "$cluster" "${arns[0]}" lastStatus)" STOPPED "task 0 after terminate"
expect_eq "$(task_field "$cluster" "${arns[0]}" stoppedReason)" \
  "rampart: terminal_shell_in_container (verdict 0192b6c2-test-verdict)" "task 0 stoppedReason"
expect_eq "$(task_field "$cluster" "${arns[1]}" lastStatus)" RUNNING "task 1 untouched"

say "terminate again: already done"
act terminate "$cluster" "${arns[0]}"
expect_field status ALREADY_DONE "second terminate"
expect_detail "task already stopped (rampart: terminal_shell_in_container" "second terminate"

say "a task moto never ran: gone"
act terminate "$cluster" "arn:aws:ecs:us-east-1:123456789012:task/$cluster/00000000000000000000000000000000"
expect_field status ALREADY_DONE "unknown task"
expect_detail "task not found" "unknown task"

say "isolate: refused, logged"
act isolate "$cluster" "${arns[1]}"
expect_field status SKIPPED "isolate"
expect_field detail "ECS has no network isolation of a task; logged" "isolate"
expect_eq "$(task_field "$cluster" "${arns[1]}" lastStatus)" RUNNING "task 1 after isolate"

say "unknown cluster: the API's message"
act terminate no-such-cluster "arn:aws:ecs:us-east-1:123456789012:task/no-such-cluster/0123456789abcdef0123456789abcdef"
expect_field status FAILED "unknown cluster"
expect_field api_status 400 "unknown cluster"
expect_field detail "DescribeTasks: ClusterNotFoundException: Cluster not found. (HTTP 400)" "unknown cluster"

say "IAM checks on: moto recomputes every SigV4 signature"
eval "$(fixture iam)"
fixture auth on
trap 'fixture auth off >/dev/null 2>&1 || true' EXIT
keys() { export AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2; unset AWS_SESSION_TOKEN; [ -z "${3:-}" ] || export AWS_SESSION_TOKEN=$3; }

keys "$ACTUATOR_KEY" wrong-secret
act terminate "$cluster" "${arns[1]}"
expect_field status FAILED "wrong secret"
expect_field api_status 403 "wrong secret"
expect_detail "DescribeTasks: SignatureDoesNotMatch: The request signature we calculated does not match" "wrong secret"

keys AKIAUNKNOWNKEY000000 whatever
act terminate "$cluster" "${arns[1]}"
expect_field status FAILED "unknown key"
expect_detail "InvalidClientTokenId: The security token included in the request is invalid." "unknown key"

keys "$READONLY_KEY" "$READONLY_SECRET"
act terminate "$cluster" "${arns[1]}"
expect_field status FAILED "no StopTask permission"
expect_detail "StopTask: AccessDenied: User: arn:aws:iam::123456789012:user/rampart-readonly is not authorized to perform: ecs:StopTask" \
  "no StopTask permission"

keys "$ACTUATOR_KEY" "$ACTUATOR_SECRET"
act terminate "$cluster" "${arns[1]}"
expect_field status DONE "valid keys, signature checked"
expect_field actor "iam:${ACTUATOR_KEY:0:8}..." "valid keys"

keys "$ROLE_KEY" "$ROLE_SECRET" wrong-session-token
act terminate "$cluster" "${arns[2]}"
expect_field status FAILED "wrong session token"
expect_detail "InvalidClientTokenId" "wrong session token"

keys "$ROLE_KEY" "$ROLE_SECRET" "$ROLE_TOKEN"
act terminate "$cluster" "${arns[2]}"
expect_field status DONE "assumed role with its session token"

fixture auth off
trap - EXIT
keys testing testing
expect_eq "$(task_field "$cluster" "${arns[1]}" lastStatus)" STOPPED "task 1 after the signed terminate"
expect_eq "$(task_field "$cluster" "${arns[2]}" lastStatus)" STOPPED "task 2 after the assumed-role terminate"
expect_eq "$(task_field "$cluster" "${arns[3]}" lastStatus)" RUNNING "task 3 never targeted"
printf '%d passed, 0 failed\n' "$checks"
