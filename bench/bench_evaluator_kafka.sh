#!/usr/bin/env bash
# Evaluator scale-out through the real broker: the same pre-produced events
# topic (6 partitions, every 10th event matches RP1002) is evaluated by one
# rampart-evaluator, then by two in one consumer group, each run with its own
# group and verdicts topic. Reported: wall time from start to the last
# verdict committed (read_committed), events/s, and the two-to-one ratio.
#   tests/integration/with-kafka bench/bench_evaluator_kafka.sh BUILD_DIR [EVENTS] [BATCH]
# BATCH is evaluator.batch, the events per transaction (default 20000).
# Both instances, the broker and the checker share this machine's cores, so
# the ratio is a floor for a real deployment with one core per instance.
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd); n=${2:-200000}; batch=${3:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
evaluator=$build/evaluator/rampart-evaluator
feed=$build/tests/integration/evaluator_feed
check=$build/tests/integration/evaluator_check
for b in "$evaluator" "$feed" "$check"; do
  [ -x "$b" ] || { echo "bench_evaluator_kafka: $b missing (build with RAMPART_INTEGRATION=ON)" >&2; exit 2; }
done
# shellcheck source=../tests/integration/evaluator_lib.sh
source "$root/tests/integration/evaluator_lib.sh"

events=rampart-bench-events-$suffix dlq=rampart-bench-dlq-$suffix
"$feed" create "$brokers" "$events" 6
"$feed" create "$brokers" "$dlq" 1
t=$SECONDS
"$feed" produce "$brokers" "$events" eos 0 "$n" 0 0
echo "produced $n events in $((SECONDS - t)) s"

# run INSTANCES: prints events/s
run() {
  local k=$1 i t0 t1
  verdicts=rampart-bench-verdicts-$k-$suffix group=rampart-bench-$k-$suffix
  "$feed" create "$brokers" "$verdicts" 6
  for i in $(seq "$k"); do write_config "e$k$i" "i$i" "$root/rules" "$batch" 1000; done
  t0=$(date +%s.%N)
  for i in $(seq "$k"); do start_evaluator "e$k$i"; done
  # evaluator_check returns 2 s after the last verdict arrived.
  "$check" "$brokers" "$verdicts" "$dlq" $((n / 10)) 600 >"$tmp/v$k.txt" || fail "run $k: verdicts missing"
  t1=$(date +%s.%N)
  for i in $(seq "$k"); do stop_evaluator "e$k$i"; done
  [ "$(grep -c '^V' "$tmp/v$k.txt")" -eq $((n / 10)) ] || fail "run $k: wrong verdict count"
  awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a - 2) }'
}

one=$(run 1)
echo "1 evaluator:  $one events/s (start, group join, decode, evaluate, transactions)"
two=$(run 2)
echo "2 evaluators: $two events/s"
awk -v a="$one" -v b="$two" 'BEGIN { printf "ratio 2/1: %.2f\n", b / a }'
