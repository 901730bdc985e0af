#!/usr/bin/env bash
# Replay throughput: events/s `rampart replay` re-evaluates from a recording
# with the default catalog. The recording is real: `rampart run --record`
# while a runc container runs a mixed workload (shell, file reads, a drift
# binary), then repeated to COUNT events by replay_amplify (sequence numbers
# renumbered). Baseline in the same run: `rampart events inspect` of the
# same file with a window that selects nothing, i.e. reading and decoding
# every event without evaluating it.
#   bench/bench_replay.sh BUILD_DIR [COUNT]
set -euo pipefail
build=${1:?usage: bench_replay.sh BUILD_DIR [COUNT]}; count=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
harness=$root/tests/integration/container/rampart-container
[ "$(id -u)" = 0 ] || { echo "bench_replay: needs root (eBPF, runc) to record" >&2; exit 2; }
work=$(mktemp -d)
export RAMPART_CONTAINER_ROOT=$work/containers
run_pid=
cleanup() {
	[ -n "$run_pid" ] && kill -INT "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null || true
	"$harness" stop-all >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

"$build/cli/rampart" run --dry-run --record "$work/seed.avro" >/dev/null 2>"$work/run.log" & run_pid=$!
for _ in $(seq 100); do grep -q capturing "$work/run.log" && break; sleep 0.1; done
"$harness" start app -- sleep 600 >/dev/null
for _ in 1 2 3; do
	"$harness" exec app -- sh -c 'ls -la /etc; cat /etc/passwd /etc/shadow; find / -xdev -name "*.conf" | head;
		cp /bin/busybox /tmp/tool && /tmp/tool true; wc -l /proc/self/status' >/dev/null 2>&1 || true
done
sleep 1
kill -INT "$run_pid"; wait "$run_pid" || true; run_pid=
"$build/tests/integration/replay_amplify" "$work/seed.avro" "$work/big.avro" "$count"

# best of three, seconds
best_of() { local best= t TIMEFORMAT=%R; for _ in 1 2 3; do
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }'); done; echo "$best"; }
read_s=$(best_of "$build/cli/rampart" events inspect "$work/big.avro" --from 2262-01-01T00:00:00Z)
eval_s=$(best_of "$build/cli/rampart" replay "$work/big.avro" --json --output /dev/null)
verdicts=$("$build/cli/rampart" replay "$work/big.avro" --json 2>/dev/null | wc -l)
awk -v n="$count" -v r="$read_s" -v e="$eval_s" -v v="$verdicts" -v sz="$(stat -c %s "$work/big.avro")" 'BEGIN {
	printf "replay of %d recorded events (%.0f MB, %d verdicts), best of 3\n", n, sz / 1e6, v
	printf "  read + decode only (events inspect, empty window): %6.2f s  %6.2f M events/s\n", r, n / r / 1e6
	printf "  replay (decode + evaluate 93 rules + JSON verdicts): %4.2f s  %6.2f M events/s  (%.2f of read-only)\n",
		e, n / e / 1e6, r / e }'
