#!/usr/bin/env bash
# Managed configuration from the compacted rulesets topic (run under
# with-kafka): the ruleset all_rules.log exists only as a topic record; the
# evaluator reads the topic before it starts evaluating, follows updates to
# it, and keeps the previous rules when a published record is invalid.
#
#   test_evaluator_topic.sh EVALUATOR FEED CHECK RULES_DIR
set -euo pipefail
evaluator=$1 feed=$2 check=$3
. "$(dirname "$0")/evaluator_lib.sh"

events=rampart-test-events-$suffix verdicts=rampart-test-verdicts-$suffix
dlq=rampart-test-dlq-$suffix group=rampart-test-eval-$suffix
rulesets=rampart-test-rulesets-$suffix
cp -r "$4" "$tmp/rules"
# The ruleset leaves the files and lives in the topic only, RP1012 disabled.
sed 's/{id: RP1012, enabled: true/{id: RP1012, enabled: false/' "$tmp/rules/rulesets/all_rules.log.yaml" \
  >"$tmp/ruleset-v1.yaml"
rm "$tmp/rules/rulesets/all_rules.log.yaml"
grep -q '{id: RP1012, enabled: false' "$tmp/ruleset-v1.yaml"
sed 's/{id: RP1012, enabled: false/{id: RP1012, enabled: true/' "$tmp/ruleset-v1.yaml" >"$tmp/ruleset-v2.yaml"
sed 's/action: log}/action: explode}/' "$tmp/ruleset-v2.yaml" >"$tmp/ruleset-broken.yaml"
publish() { kcat -P -b "$brokers" -t "$rulesets" -k all_rules.log "$1"; }

create_topics
"$feed" create "$brokers" "$rulesets" 1
publish "$tmp/ruleset-v1.yaml"
write_config t t "$tmp/rules" 50 200
printf '  rulesets_topic: %s\n  rulesets_dir: %s\n' "$rulesets" "$tmp/managed" >>"$tmp/t.yaml"
start_evaluator t
wait_log t '"evaluator started"' 60
test -f "$tmp/managed/all_rules.log.yaml" || fail "topic record not materialised"

say "ruleset from the topic: RP1002 matches, RP1012 is disabled"
"$feed" produce "$brokers" "$events" eos 0 100 0 0
"$feed" produce "$brokers" "$events" pkg 1000 10 0 0
"$check" "$brokers" "$verdicts" "$dlq" 10 60 >"$tmp/v1.txt" || fail "no verdicts with the topic's ruleset"
expect_eq "verdicts with the first record" "$(grep -c '^V' "$tmp/v1.txt")" 10
expect_eq "RP1012 verdicts with the first record" "$(grep -c 'RP1012' "$tmp/v1.txt" || true)" 0

say "updated record enabling RP1012: takes effect"
publish "$tmp/ruleset-v2.yaml"
wait_log t '"rule configuration reloaded"' 15
"$feed" produce "$brokers" "$events" pkg 2000 10 0 0
"$check" "$brokers" "$verdicts" "$dlq" 20 60 >"$tmp/v2.txt" || fail "the updated record produced no verdicts"
expect_eq "RP1012 verdicts after the update" "$(grep -c 'RP1012' "$tmp/v2.txt" || true)" 10

say "invalid record: rejected with its file:line:col, previous rules stay"
publish "$tmp/ruleset-broken.yaml"
wait_log t 'all_rules\.log\.yaml:[0-9]+:[0-9]+: ' 15
"$feed" produce "$brokers" "$events" pkg 3000 10 0 0
"$check" "$brokers" "$verdicts" "$dlq" 30 60 >"$tmp/v3.txt" || fail "rules stopped after an invalid record"
expect_eq "RP1012 verdicts while the record is invalid" "$(grep -c 'RP1012' "$tmp/v3.txt" || true)" 20
stop_evaluator t
expect_eq "config_reload_failures" "$(grep -o '"config_reload_failures": *[0-9]*' "$tmp/t.log" | grep -o '[0-9]*$')" 1
say "PASS"
