#!/usr/bin/env bash
# A ruleset created through the console reaches a running evaluator and
# changes the action of the next matching verdict (run under with-kafka).
#
#   test_console_propagation.sh kafka|dir CONSOLE EVALUATOR FEED VERDICTS RULES_DIR
#
#   kafka  console.store kafka: the console publishes to a compacted rulesets
#          topic that rampart-evaluator follows (evaluator.rulesets_topic)
#   dir    console.store dir: the console writes the rules directory that
#          rampart-evaluator hot-reloads (the same directory mechanism
#          `rampart run --rules DIR` uses; see test_console_run.sh for
#          rampart run itself)
#
# Through the API: a policy console_test = [all_rules.log] and the cluster
# test-cluster (orchestrator none) that the fed events name. RP1002 verdicts
# are then `log`. Then the ruleset console.enforce (RP1002 terminate) is
# created and added to console_test: the next RP1002 verdicts are
# `terminate`. A change the loader refuses is answered 400 and never
# reaches the evaluator (no topic record / no file; no reload failure).
set -euo pipefail
mode=$1 console=$2 evaluator=$3 feed=$4 verdicts_tool=$5 rules_src=$6
. "$(dirname "$0")/evaluator_lib.sh"

events=rampart-test-events-$suffix verdicts=rampart-test-verdicts-$suffix
dlq=rampart-test-dlq-$suffix group=rampart-test-eval-$suffix
rulesets=rampart-test-rulesets-$suffix
console_pid=
token=admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cleanup() {
  [ -n "$console_pid" ] && kill "$console_pid" 2>/dev/null && wait "$console_pid" 2>/dev/null || true
  ev_cleanup
}
trap cleanup EXIT

# --- the console ------------------------------------------------------------
cp -r "$rules_src" "$tmp/rules"
printf '%s admin propagation-test\n' "$token" >"$tmp/tokens"
if [ "$mode" = kafka ]; then
  store="  store: kafka
  rules: [$tmp/rules]
  rulesets_topic: $rulesets
  state_dir: $tmp/console-state
kafka:
  bootstrap.servers: $brokers
  log_level: 3"
  eval_rules=$tmp/rules
else
  store="  store: dir
  rules: [$tmp/rules/catalog, $tmp/rules/rulesets, $tmp/rules/policies, $tmp/rules/clusters]
  rulesets_dir: $tmp/rules/managed"
  eval_rules=$tmp/rules
fi
cat >"$tmp/console.yaml" <<EOC
console:
  listen: 127.0.0.1:0
  tokens_file: $tmp/tokens
$store
EOC
"$console" --config "$tmp/console.yaml" 2>>"$tmp/console.log" &
console_pid=$!
wait_log console '"console started"' 60
port=$(grep '"console started"' "$tmp/console.log" | grep -o '"port": *[0-9]*' | grep -o '[0-9]*$')

# api METHOD PATH WANT_STATUS [BODY]
api() {
  local code
  code=$(curl -sS -o "$tmp/api.out" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -X "$1" ${4:+--data "$4"} "http://127.0.0.1:$port/api/v1/$2")
  [ "$code" = "$3" ] || fail "$1 $2: HTTP $code, want $3: $(cat "$tmp/api.out")"
  say "ok: $1 $2 -> $code"
}
reloads() { grep -c '"rule configuration reloaded"' "$tmp/t.log" || true; }
# waits until the evaluator has reloaded at least once more than $1 and
# then nothing more for a second (both changes are in)
wait_reloads() {
  local deadline=$((SECONDS + 20)) n last
  until [ "$(reloads)" -gt "$1" ]; do
    [ $SECONDS -lt $deadline ] || fail "the evaluator did not reload"
    sleep 0.1
  done
  last=$(reloads)
  sleep 1.2
  while [ "$(reloads)" != "$last" ]; do last=$(reloads); sleep 1.2; done
}

say "policy and cluster through the API"
api POST policies 201 '{"name":"console_test","description":"propagation test","rulesets":["all_rules.log"]}'
api POST clusters 201 '{"name":"test-cluster","orchestrator":"none","policy":"console_test"}'

# --- the evaluator ----------------------------------------------------------
create_topics
write_config t t "$eval_rules" 50 200
if [ "$mode" = kafka ]; then
  printf '  rulesets_topic: %s\n  rulesets_dir: %s\n' "$rulesets" "$tmp/managed" >>"$tmp/t.yaml"
fi
start_evaluator t
wait_log t '"evaluator started"' 60

say "before: RP1002 verdicts are log"
"$feed" produce "$brokers" "$events" eos 0 100 0 0
"$verdicts_tool" "$brokers" "$verdicts" 0 10 60 >"$tmp/v1.txt" || fail "no verdicts before the change"
expect_eq "RP1002 verdicts before" "$(grep -c ' RP1002' "$tmp/v1.txt")" 10
expect_eq "their effective actions" "$(awk '{print $3}' "$tmp/v1.txt" | sort -u)" log

say "a refused change never reaches the evaluator"
api POST rulesets 400 '{"name":"bad.one","rules":[{"id":"RP1002","action":"explode"}]}'
grep -q '"field":"rules\[0\].action"' "$tmp/api.out" || fail "no field in $(cat "$tmp/api.out")"
api POST rulesets 400 '{"name":"bad one","rules":[]}'

say "create console.enforce (RP1002 terminate) and add it to the policy"
n0=$(reloads)
api POST rulesets 201 '{"name":"console.enforce","description":"Terminate /etc/shadow readers","rules":[{"id":"RP1002","enabled":true,"action":"terminate"}]}'
t0=$(date +%s%N)
api PUT policies/console_test 200 '{"rulesets":["all_rules.log","console.enforce"]}'
wait_reloads "$n0"
say "the evaluator reloaded $(( ($(date +%s%N) - t0) / 1000000 - 1200 )) ms or less after the policy change"

say "after: the next RP1002 verdicts are terminate"
"$feed" produce "$brokers" "$events" eos 1000 100 0 0
"$verdicts_tool" "$brokers" "$verdicts" 1000 10 60 >"$tmp/v2.txt" || fail "no verdicts after the change"
expect_eq "RP1002 verdicts after" "$(grep -c ' RP1002' "$tmp/v2.txt")" 10
expect_eq "their effective actions" "$(awk '{print $3}' "$tmp/v2.txt" | sort -u)" terminate

if [ "$mode" = kafka ]; then
  kcat -C -b "$brokers" -t "$rulesets" -e -q -f '%k\n' >"$tmp/keys.txt"
  grep -qx 'console.enforce' "$tmp/keys.txt" || fail "console.enforce is not a record of $rulesets"
  grep -qx 'policies/console_test' "$tmp/keys.txt" || fail "policies/console_test is not a record of $rulesets"
  ! grep -q 'bad' "$tmp/keys.txt" || fail "a refused change reached the topic"
  say "ok: topic keys: $(tr '\n' ' ' <"$tmp/keys.txt")"
else
  test -f "$tmp/rules/managed/console.enforce.yaml" || fail "console.enforce.yaml not written"
  ! ls "$tmp/rules/managed" | grep -q bad || fail "a refused change reached the rules directory"
fi
grep -q '"msg":"ruleset created".*"who":"propagation-test"' "$tmp/console.log" || fail "no audit line"

stop_evaluator t
expect_eq "config_reload_failures" "$(grep -o '"config_reload_failures": *[0-9]*' "$tmp/t.log" | grep -o '[0-9]*$')" 0
say "PASS"
