#!/usr/bin/env bash
# A ruleset created through the console changes what `rampart run` (the
# embedded single-node pipeline) decides for the next matching event: root,
# eBPF and real runc containers (tests/integration/container).
#
#   test_console_run.sh CONSOLE RAMPART RULES_DIR
#
# The console's dir store writes into the directory `rampart run --rules`
# hot-reloads. Through the API: policy console_test = [all_rules.log] and
# the cluster console-local that rampart run names its events with. A
# container reading /etc/shadow gets an RP1002 verdict with action log; the
# ruleset console.enforce (RP1002 terminate) is created and added to the
# policy; the next read gets terminate (--dry-run: nothing is acted on).
set -euo pipefail
console=$1 rampart=$2 rules_src=$3
harness=${RAMPART_CONTAINER:?RAMPART_CONTAINER: tests/integration/container/rampart-container}
for tool in runc jq curl; do command -v "$tool" >/dev/null || { echo "test: SKIP: needs $tool"; exit 77; }; done
[ "$(id -u)" = 0 ] || { echo "test: SKIP: needs root"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-console-run.XXXXXX")
export RAMPART_CONTAINER_ROOT
RAMPART_CONTAINER_ROOT=$(mktemp -d /run/rampart-console-run.XXXXXX)
eval "$("$harness" paths)"
console_pid= run_pid=
token=admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

say() { printf 'test: %s\n' "$*"; }
fail() {
  printf 'test: FAIL: %s\n' "$*" >&2
  for f in "$work"/*.log "$work"/run.err; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
  exit 1
}
cleanup() {
  [ -n "$run_pid" ] && kill -INT "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null || true
  [ -n "$console_pid" ] && kill "$console_pid" 2>/dev/null && wait "$console_pid" 2>/dev/null || true
  "$harness" stop-all >/dev/null 2>&1 || true
  rm -rf "$RAMPART_CONTAINER_ROOT"
  [ "${RAMPART_TEST_KEEP:-0}" = 1 ] && say "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
wait_for() { # FILE REGEX TIMEOUT_S
  local deadline=$((SECONDS + $3))
  until grep -Eq "$2" "$1" 2>/dev/null; do [ $SECONDS -lt $deadline ] || fail "no /$2/ in $1 within $3 s"; sleep 0.1; done
}
api() { # METHOD PATH WANT [BODY]
  local code
  code=$(curl -sS -o "$work/api.out" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -X "$1" ${4:+--data "$4"} "http://127.0.0.1:$port/api/v1/$2")
  [ "$code" = "$3" ] || fail "$1 $2: HTTP $code, want $3: $(cat "$work/api.out")"
  say "ok: $1 $2 -> $code"
}
# shadow_verdict N: the effective action of the Nth RP1002 verdict
shadow_verdict() {
  local deadline=$((SECONDS + 15)) v
  while :; do
    v=$(jq -r 'select(.verdict_id) | select([.rules[].id] | index("RP1002")) | .action.effective' \
      "$work/run.jsonl" 2>/dev/null | sed -n "${1}p")
    [ -n "$v" ] && { echo "$v"; return; }
    [ $SECONDS -lt $deadline ] || fail "no RP1002 verdict number $1 from rampart run"
    sleep 0.2
  done
}

cp -r "$rules_src" "$work/rules"
printf '%s admin run-test\n' "$token" >"$work/tokens"
cat >"$work/console.yaml" <<EOC
console:
  listen: 127.0.0.1:0
  tokens_file: $work/tokens
  rules: [$work/rules/catalog, $work/rules/rulesets, $work/rules/policies, $work/rules/clusters]
  rulesets_dir: $work/rules/managed
EOC
"$console" --config "$work/console.yaml" 2>"$work/console.log" &
console_pid=$!
wait_for "$work/console.log" '"console started"' 30
port=$(grep '"console started"' "$work/console.log" | grep -o '"port": *[0-9]*' | grep -o '[0-9]*$')
api POST policies 201 '{"name":"console_test","rulesets":["all_rules.log"]}'
api POST clusters 201 '{"name":"console-local","orchestrator":"none","policy":"console_test"}'

cat >"$work/run.yaml" <<EOF
cluster: console-local
collector:
  state_dirs: $RAMPART_STATE_DIR
EOF
"$harness" start web --pod-name web-0 --namespace shop --container-name web >/dev/null
"$rampart" run --config "$work/run.yaml" --rules "$work/rules" --json --dry-run >"$work/run.jsonl" 2>"$work/run.err" &
run_pid=$!
for _ in $(seq 300); do grep -q capturing "$work/run.err" && break; kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
if ! grep -q capturing "$work/run.err"; then
  grep -qiE 'bpf|permission|operation not permitted' "$work/run.err" && { say "SKIP: eBPF unavailable"; exit 77; }
  fail "rampart run did not start"
fi

say "before: reading /etc/shadow is logged"
"$harness" exec web -- sh -c 'cat /etc/shadow >/dev/null' </dev/null
first=$(shadow_verdict 1)
[ "$first" = log ] || fail "first RP1002 verdict: $first, want log"
say "ok: RP1002 -> log"

say "create console.enforce (RP1002 terminate) and add it to the policy"
reloads=$(grep -c 'rule configuration reloaded' "$work/run.err" || true)
api POST rulesets 201 '{"name":"console.enforce","rules":[{"id":"RP1002","enabled":true,"action":"terminate"}]}'
api PUT policies/console_test 200 '{"rulesets":["all_rules.log","console.enforce"]}'
deadline=$((SECONDS + 20))
until [ "$(grep -c 'rule configuration reloaded' "$work/run.err" || true)" -gt "$reloads" ]; do
  [ $SECONDS -lt $deadline ] || fail "rampart run did not reload"
  sleep 0.1
done
sleep 1.5 # both changes in (the watcher polls twice a second)

say "after: the next read is terminate (dry run: decided, not done)"
"$harness" exec web -- sh -c 'cat /etc/shadow >/dev/null' </dev/null
second=$(shadow_verdict 2)
[ "$second" = terminate ] || fail "second RP1002 verdict: $second, want terminate"
say "ok: RP1002 -> terminate"
say "PASS"
