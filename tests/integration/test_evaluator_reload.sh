#!/usr/bin/env bash
# Hot reload of the rules (run under with-kafka): a broken rule file is
# rejected with file:line:col errors and the old rules keep producing
# verdicts; the fixed file's new rule then takes effect.
#
#   test_evaluator_reload.sh EVALUATOR FEED CHECK RULES_DIR
set -euo pipefail
evaluator=$1 feed=$2 check=$3
. "$(dirname "$0")/evaluator_lib.sh"

events=rampart-test-events-$suffix verdicts=rampart-test-verdicts-$suffix
dlq=rampart-test-dlq-$suffix group=rampart-test-eval-$suffix
cp -r "$4" "$tmp/rules"
ruleset=$tmp/rules/rulesets/all_rules.log.yaml
# Start from RP1012 disabled, so enabling it later is the visible change.
sed -i 's/{id: RP1012, enabled: true/{id: RP1012, enabled: false/' "$ruleset"
grep -q '{id: RP1012, enabled: false' "$ruleset"
cp "$ruleset" "$tmp/good-ruleset.yaml"
create_topics
write_config r r "$tmp/rules" 50 200
start_evaluator r
wait_log r '"evaluator started"' 60

# replace FILE with stdin atomically, as editors and config management do
replace() { cat >"$1.new"; mv "$1.new" "$1"; }

say "old rules: RP1002 matches, RP1012 is disabled"
"$feed" produce "$brokers" "$events" eos 0 100 0 0
"$feed" produce "$brokers" "$events" pkg 1000 10 0 0
"$check" "$brokers" "$verdicts" "$dlq" 10 60 >"$tmp/v1.txt" || fail "no verdicts with the old rules"
expect_eq "verdicts with the old rules" "$(grep -c '^V' "$tmp/v1.txt")" 10

say "broken ruleset file: rejected, old rules stay"
sed -e 's/action: log}/action: explode}/' -e 's/^  - name: all_rules.log/  - name: all rules log/' \
  "$ruleset" | replace "$ruleset"
wait_log r 'all_rules\.log\.yaml:[0-9]+:[0-9]+: ' 15
wait_log r '"rule configuration rejected' 15
"$feed" produce "$brokers" "$events" eos 2000 100 0 0
"$feed" produce "$brokers" "$events" pkg 3000 10 0 0
"$check" "$brokers" "$verdicts" "$dlq" 20 60 >"$tmp/v2.txt" || fail "old rules stopped producing verdicts"
expect_eq "verdicts while the file is broken" "$(grep -c '^V' "$tmp/v2.txt")" 20
expect_eq "RP1012 verdicts while the file is broken" "$(grep -c 'RP1012' "$tmp/v2.txt" || true)" 0
sleep 1 # the exported copies refresh twice a second
scrape r /metrics >"$tmp/metrics.txt" || fail "cannot scrape /metrics"
expect_eq "metric config_reload_failures" \
  "$(awk '$1=="rampart_evaluator_config_reload_failures_total" {print $2}' "$tmp/metrics.txt")" 1
expect_eq "metric events (220 consumed so far)" \
  "$(awk '$1=="rampart_evaluator_events_total" {print $2}' "$tmp/metrics.txt")" 220
expect_eq "readyz" "$(scrape r /readyz >/dev/null && echo ready)" ready
# metric NAME_OR_PREFIX: the sum of the samples whose series starts so
metric() { awk -v p="$1" 'index($1, p) == 1 {n += $2} END {print n+0}' "$tmp/metrics.txt"; }
expect_eq "metric verdicts_by_rule RP1002 (= RP1002 verdicts)" \
  "$(metric 'rampart_evaluator_verdicts_by_rule_total{rule="RP1002",')" \
  "$(awk '$1=="V" && $4=="RP1002" {n++} END {print n+0}' "$tmp/v2.txt")"
expect_eq "metric config_generation (the broken file was not adopted)" \
  "$(metric rampart_evaluator_config_generation)" 1
expect_eq "metric config_last_reload_success" "$(metric rampart_evaluator_config_last_reload_success)" 0
grep -q '^rampart_evaluator_consumer_lag [0-9]' "$tmp/metrics.txt" || fail "no consumer_lag gauge"

say "fixed file enabling RP1012: takes effect"
sed -e 's/{id: RP1012, enabled: false/{id: RP1012, enabled: true/' "$tmp/good-ruleset.yaml" | replace "$ruleset"
wait_log r '"rule configuration reloaded"' 15
"$feed" produce "$brokers" "$events" pkg 4000 10 0 0
"$check" "$brokers" "$verdicts" "$dlq" 30 60 >"$tmp/v3.txt" || fail "the new rule produced no verdicts"
expect_eq "verdicts in all" "$(grep -c '^V' "$tmp/v3.txt")" 30
expect_eq "RP1012 verdicts (events 4000..4009 only)" \
  "$(awk '$1=="V" && $4=="RP1012" && $2>=4000 && $2<4010 {n++} END {print n+0}' "$tmp/v3.txt")" 10
sleep 1
scrape r /metrics >"$tmp/metrics.txt" || fail "cannot scrape /metrics"
expect_eq "metric config_generation after the fix" "$(metric rampart_evaluator_config_generation)" 2
expect_eq "metric config_last_reload_success after the fix" \
  "$(metric rampart_evaluator_config_last_reload_success)" 1
expect_eq "metric verdicts_by_rule RP1012" "$(metric 'rampart_evaluator_verdicts_by_rule_total{rule="RP1012",')" 10
expect_eq "metric consumer_lag (all consumed)" "$(metric rampart_evaluator_consumer_lag)" 0
stop_evaluator r
expect_eq "config_reload_failures" "$(grep -o '"config_reload_failures": *[0-9]*' "$tmp/r.log" | grep -o '[0-9]*$')" 1
say "PASS"
