#!/usr/bin/env bash
# Syscall-to-action latency, end to end: from the kernel's timestamp of the
# attacking exec in a runc container (a binary dropped into the writable
# layer, RP1003, action terminate) to the moment the container's cgroup is
# killed, as the actuator records it (event_to_outcome_ms). Repeated ROUNDS
# times, p50/p90/p99/max, for:
#   embedded  `rampart run` (three threads, in-memory buses)
#   kafka     rampart-collector -> broker -> rampart-evaluator (transactions,
#             batch_ms as given) -> broker -> rampart-actuator (read_committed)
# Baseline in the same run: the log verdicts of the same rounds (the
# binary's chmod, RP1008), which travel the same path but call nothing, so
# terminate minus log is what the kill itself costs.
#   bench/bench_e2e.sh BUILD_DIR embedded|kafka [ROUNDS] [BATCH_MS]
# kafka runs under tests/integration/with-kafka (RAMPART_TEST_BROKERS).
set -euo pipefail
build=${1:?usage: bench_e2e.sh BUILD_DIR embedded|kafka [ROUNDS] [BATCH_MS]}
mode=${2:?}; rounds=${3:-30}; batch_ms=${4:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
harness=$root/tests/integration/container/rampart-container
[ "$(id -u)" = 0 ] || { echo "bench_e2e: needs root (eBPF, runc)" >&2; exit 2; }
work=$(mktemp -d)
export RAMPART_CONTAINER_ROOT=$work/containers
eval "$("$harness" paths)"
declare -a pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	"$harness" stop-all >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

start_embedded() {
	RAMPART_ACTUATOR_MAX_ACTIONS_PER_MINUTE=0 RAMPART_COLLECTOR_STATE_DIRS=$RAMPART_STATE_DIR "$build/cli/rampart" run --output "$work/out.jsonl" \
		>/dev/null 2>"$work/run.log" & pids+=($!)
	for _ in $(seq 100); do grep -q capturing "$work/run.log" && return; sleep 0.1; done
	cat "$work/run.log" >&2; exit 1
}

start_kafka() {
	local brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka} s=$$
	for t in events verdicts actions; do "$build/tests/integration/evaluator_feed" create "$brokers" "$t-$s" 3; done
	local k="kafka: {bootstrap.servers: \"$brokers\", log_level: 3, fetch.wait.max.ms: 10}"
	printf '%s\nnode: bench\ncluster: local\ncollector: {topic: events-%s, state_dirs: "%s"}\n' \
		"$k" "$s" "$RAMPART_STATE_DIR" >"$work/c.yaml"
	printf '%s\nevaluator: {rules: ["%s/rules"], events_topic: events-%s, verdicts_topic: verdicts-%s, instance_id: a, group: e-%s, batch_ms: %s, metrics_addr: "off"}\n' \
		"$k" "$root" "$s" "$s" "$s" "$batch_ms" >"$work/e.yaml"
	printf '%s\nactuator: {rules: ["%s/rules"], verdicts_topic: verdicts-%s, actions_topic: actions-%s, group: a-%s, metrics_addr: "off", kubernetes.enabled: false, ecs.enabled: false, max_actions_per_minute: 0, local: {state_dir: "%s/iso"}}\n' \
		"$k" "$root" "$s" "$s" "$s" "$work" >"$work/a.yaml"
	"$build/evaluator/rampart-evaluator" --config "$work/e.yaml" 2>"$work/e.log" & pids+=($!)
	"$build/actuator/rampart-actuator" --config "$work/a.yaml" 2>"$work/a.log" & pids+=($!)
	"$build/collector/rampart-collector" --config "$work/c.yaml" 2>"$work/c.log" & pids+=($!)
	for _ in $(seq 200); do grep -q capturing "$work/c.log" && grep -q '"actuator started"' "$work/a.log" && return; sleep 0.1; done
	tail "$work"/*.log >&2; exit 1
}

# One round: a fresh container runs a dropped binary and must die.
round() {
	local i=$1 init
	"$harness" start "r$i" -- sleep 600 >/dev/null
	init=$("$harness" pid "r$i")
	"$harness" exec "r$i" -- sh -c 'cp /bin/busybox /tmp/kworkerd && chmod +x /tmp/kworkerd && /tmp/kworkerd sleep 60' \
		>/dev/null 2>&1 || true
	for _ in $(seq 100); do [ -d "/proc/$init" ] && ! grep -q '^State:.*Z' "/proc/$init/status" 2>/dev/null || break; sleep 0.05; done
	"$harness" stop "r$i" >/dev/null 2>&1 || true
}

# What the pipeline wrote: rampart run's JSON lines or the actuator's log.
outputs() { cat "$work/out.jsonl" "$work/a.log" 2>/dev/null || true; }

# Latencies (ms) of one action kind, from rampart run's JSON lines or the actuator's log.
latencies() { # ACTION
	if [ "$mode" = embedded ]; then
		jq -rR --arg a "$1" 'fromjson? | select(.outcome.action == $a and .outcome.outcome == "done") | .outcome.event_to_outcome_ms' \
			<(outputs | tail -n +$((skip + 1)))
	else
		jq -rR --arg a "$1" 'fromjson? | select(.msg == "action" and .action == $a and .outcome == "done") | .event_to_outcome_ms' \
			<(outputs | tail -n +$((skip + 1)))
	fi
}

stats() { # NAME: p50 p90 p99 max of stdin (ms), nearest rank
	sort -n | awk -v name="$1" '
		function rank(q,  r) { r = int(NR * q + 0.999999); return r < 1 ? 1 : r }
		{ v[NR] = $1 }
		END {
			if (NR == 0) { printf "%-24s no samples\n", name; exit }
			p50 = v[rank(0.50)]; p90 = v[rank(0.90)]; p99 = v[rank(0.99)]
			printf "%-24s n=%-4d p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", name, NR, p50, p90, p99, v[NR]
		}'
}

case $mode in
embedded) start_embedded ;;
kafka) start_kafka ;;
*) echo "bench_e2e: mode embedded or kafka" >&2; exit 2 ;;
esac
# A first round warms up what a long-running pipeline has already done
# (consumer group joins, transactional producer set-up): not measured.
round 0
sleep 2
skip=$(outputs | wc -l)
for i in $(seq 1 "$rounds"); do round "$i"; done
sleep 2
for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
label=$mode; [ "$mode" = kafka ] && label="kafka batch_ms=$batch_ms"
echo "e2e syscall-to-action ($label, $rounds rounds)"
latencies terminate | stats "  terminate (RP1003)"
latencies log | stats "  baseline: log verdicts"
