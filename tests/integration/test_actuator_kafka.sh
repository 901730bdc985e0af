#!/usr/bin/env bash
# rampart-actuator through a real broker, with the local driver and a real
# runc container:
#   - a terminate verdict kills every process of the container's cgroup and
#     its outcome (done) is on the actions topic;
#   - log verdicts are recorded; a verdict delivered twice is acted on once;
#   - an undecodable verdict goes to the DLQ with the reason;
#   - SIGKILL mid-stream and restart: every verdict id has exactly one outcome
#     on the audit trail (it is read back at start; offsets are committed only
#     after the outcomes are delivered).
#   test_actuator_kafka.sh RAMPART_ACTUATOR ACTUATOR_FEED EVALUATOR_FEED
set -euo pipefail

actuator=${1:?usage: test_actuator_kafka.sh rampart-actuator actuator_feed evaluator_feed}
feed=${2:?}
topics_tool=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
harness=${RAMPART_CONTAINER:-$here/container/rampart-container}
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}

if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || ! command -v kcat >/dev/null; then
	echo "SKIP: needs root, runc and kcat"; exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rampart-acttest.XXXXXX")
export RAMPART_CONTAINER_ROOT=$tmp/containers
act_pid=
cleanup() {
	[ -n "$act_pid" ] && kill -KILL "$act_pid" 2>/dev/null || true
	"$harness" stop-all >/dev/null 2>&1 || true
	[ "${RAMPART_TEST_KEEP:-0}" = 1 ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'test: %s\n' "$*"; }
fail() { printf 'test: FAIL: %s\n' "$*" >&2; [ -f "$tmp/actuator.log" ] && tail -n 30 "$tmp/actuator.log" >&2; exit 1; }

suffix=$$-$(date +%s%N)
verdicts=verdicts-$suffix actions=actions-$suffix dlq=dlq-$suffix
for t in "$verdicts:3" "$actions:3" "$dlq:1"; do "$topics_tool" create "$brokers" "${t%:*}" "${t#*:}"; done

cat >"$tmp/actuator.yaml" <<EOC
node: test-node
kafka:
  bootstrap.servers: $brokers
  session.timeout.ms: 6000
  heartbeat.interval.ms: 1000
  log_level: 3
actuator:
  verdicts_topic: $verdicts
  actions_topic: $actions
  dlq_topic: $dlq
  group: actuator-$suffix
  kubernetes.enabled: false
  ecs.enabled: false
  local:
    enabled: true
    state_dir: $tmp/isolated
  metrics_addr: 127.0.0.1:0
EOC

start_actuator() { "$actuator" --config "$tmp/actuator.yaml" 2>>"$tmp/actuator.log" & act_pid=$!; }
actions_logged() { grep -c '"msg":"action"' "$tmp/actuator.log" || true; }
wait_actions() { # N TIMEOUT_S: until the audit trail holds N records
	local i
	for i in $(seq 1 "$(($2 * 2))"); do
		[ "$("$feed" actions "$brokers" "$actions" | wc -l)" -ge "$1" ] && return 0
		kill -0 "$act_pid" 2>/dev/null || fail "the actuator exited"
		sleep 0.5
	done
	fail "fewer than $1 outcomes on $actions after $2 s"
}

# 1. terminate a real container, log verdicts, duplicates, garbage
id=$("$harness" start victim -- sleep 1000)
"$harness" exec victim --detach -- sleep 999
init=$("$harness" pid victim)
cg=$("$harness" cgroup victim)
eval "$("$harness" paths)" # RAMPART_CGROUP2
[ "$(wc -l <"$RAMPART_CGROUP2$cg/cgroup.procs")" -ge 2 ] || fail "the container should run two processes"
{
	echo "local t-1 terminate $id $cg $init"
	for i in $(seq 1 200); do echo "local v-$i log $id $cg $init"; done
	for i in $(seq 1 50); do echo "local v-$i log $id $cg $init"; done # redelivered
	echo "garbage bad-1"
} | "$feed" produce "$brokers" "$verdicts"
start_actuator
wait_actions 201 60
sleep 1 # anything beyond 201 would be a double action
"$feed" actions "$brokers" "$actions" >"$tmp/actions1.txt"
[ "$(wc -l <"$tmp/actions1.txt")" = 201 ] || fail "want 201 outcomes, got $(wc -l <"$tmp/actions1.txt")"
grep -q "^t-1 terminate done 1 $id" "$tmp/actions1.txt" || fail "terminate outcome: $(grep '^t-1 ' "$tmp/actions1.txt")"
# alive PID: exists, not a zombie, not exiting (PF_EXITING 0x4 in the flags
# of /proc/PID/stat: a killed container init lingers until its pid
# namespace is reaped)
alive() {
	local f; f=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	set -- $f # state ppid pgrp session tty tpgid flags ...
	[ "$1" != Z ] && [ $(($7 & 4)) = 0 ]
}
alive "$init" && fail "the container's init survived"
[ ! -d "$RAMPART_CGROUP2$cg" ] || [ ! -s "$RAMPART_CGROUP2$cg/cgroup.procs" ] || fail "processes left in $cg"
say "ok   terminate killed every process of $cg"
[ "$(grep -c ' log done ' "$tmp/actions1.txt")" = 200 ] || fail "want 200 log outcomes"
[ -z "$(cut -d' ' -f1 "$tmp/actions1.txt" | sort | uniq -d)" ] || fail "a verdict was acted on twice"
say "ok   200 log verdicts recorded once each; 50 redelivered duplicates absorbed"
dlq_headers=$(kcat -b "$brokers" -C -t "$dlq" -e -q -f '%k %h\n')
[ "$(wc -l <<<"$dlq_headers")" = 1 ] && grep -q '^bad-1 .*rampart.error=' <<<"$dlq_headers" ||
	fail "DLQ: $dlq_headers"
say "ok   the undecodable verdict is on the DLQ: $dlq_headers"
port=$(grep '"metrics endpoint"' "$tmp/actuator.log" | tail -n 1 | sed 's/.*"port": *\([0-9]*\).*/\1/')
curl -fsS --max-time 5 "http://127.0.0.1:$port/metrics" >"$tmp/metrics1.txt" || fail "cannot scrape /metrics"
sample() { awk -v s="$1" '$1 == s {print $2}' "$tmp/metrics1.txt"; }
[ "$(sample 'rampart_actuator_api_duration_seconds_count{driver="local",action="terminate"}')" = 1 ] ||
	fail "api_duration terminate count: $(grep api_duration_seconds_count "$tmp/metrics1.txt")"
[ "$(sample 'rampart_actuator_api_duration_seconds_count{driver="local",action="isolate"}')" = 0 ] ||
	fail "api_duration isolate count should be 0"
[ "$(sample rampart_actuator_event_to_outcome_seconds_count)" = 201 ] ||
	fail "event_to_outcome count: $(sample rampart_actuator_event_to_outcome_seconds_count), want 201"
[ "$(sample 'rampart_actuator_event_to_outcome_seconds_bucket{le="+Inf"}')" = 201 ] || fail "+Inf bucket != count"
say "ok   /metrics: 1 local terminate timed, 201 outcomes in event_to_outcome"

# 2. SIGKILL in the middle of 3000 verdicts, restart
for i in $(seq 1 3000); do echo "local w-$i log $id $cg $init"; done | "$feed" produce "$brokers" "$verdicts"
before=$(actions_logged)
for _ in $(seq 1 600); do [ "$(actions_logged)" -ge $((before + 700)) ] && break; sleep 0.02; done
kill -KILL "$act_pid"; wait "$act_pid" 2>/dev/null || true
say "killed the actuator after $(($(actions_logged) - before)) of 3000 outcomes"
start_actuator
wait_actions 3201 90
sleep 1
"$feed" actions "$brokers" "$actions" >"$tmp/actions2.txt"
dups=$(cut -d' ' -f1 "$tmp/actions2.txt" | sort | uniq -d | wc -l)
[ "$dups" = 0 ] || fail "$dups verdicts have two outcomes after the restart"
[ "$(wc -l <"$tmp/actions2.txt")" = 3201 ] || fail "want 3201 outcomes, got $(wc -l <"$tmp/actions2.txt")"
seeded=$(grep '"msg":"actuator started"' "$tmp/actuator.log" | tail -n 1 | sed 's/.*"seeded_ids":\([0-9]*\).*/\1/')
say "ok   after SIGKILL + restart: 3201 outcomes, none twice (restart read $seeded ids back)"
[ "$seeded" -gt 201 ] || fail "the restarted actuator read back only $seeded ids"
kill -TERM "$act_pid"; rc=0; wait "$act_pid" || rc=$?; act_pid=
[ "$rc" = 0 ] || fail "actuator exit status $rc on SIGTERM"
say "ok   SIGTERM: exit 0"
