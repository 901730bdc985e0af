#!/usr/bin/env bash
# rampart-actuator end to end: verdicts on a real broker, the Kubernetes
# driver against a real kube-apiserver (least-privilege service-account
# token), outcomes on the actions topic. Verdict-to-outcome latency is
# ActionResult.time_ns minus the verdict's time_ns (stamped by actuator_feed
# as it produces it), joined by bench_actions_read.
#   tests/integration/with-kafka tests/integration/with-kube \
#     bench/bench_actuator_kafka.sh BUILD_DIR [PACED] [BURST_LOG] [BURST_KUBE] [RATE]
# Two kinds of phase, each with log verdicts (no API call) as the baseline:
#   paced  PACED verdicts at RATE/s (default 200 at 20/s), well under
#          capacity: the latency of one verdict through producer, broker,
#          the daemon, the API server and back, without queueing;
#   burst  BURST_LOG log verdicts (default 2000), then BURST_KUBE isolate
#          and terminate verdicts (default 500 each, on other pods),
#          produced at once: actions/s is the daemon's own pace between its
#          first and last outcome (start-up excluded); latency there is
#          mostly time spent waiting in the topic.
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
paced=${2:-200} blog=${3:-2000} bkube=${4:-500} rate=${5:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
actuator=$build/actuator/rampart-actuator
feed=$build/tests/integration/actuator_feed
topics=$build/tests/integration/evaluator_feed
reader=$build/bench/bench_actions_read
for b in "$actuator" "$feed" "$topics" "$reader"; do
  [ -x "$b" ] || { echo "bench_actuator_kafka: $b missing (build with RAMPART_INTEGRATION=ON)" >&2; exit 2; }
done
# shellcheck source=bench_actuator.sh
source "$root/bench/bench_actuator.sh" # kube_setup, kube_pods

work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-bench-actk.XXXXXX")
act_pid=
cleanup() {
  [ -z "$act_pid" ] || { kill -TERM "$act_pid" 2>/dev/null || true; wait "$act_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "bench_actuator_kafka: $*" >&2; tail -n 20 "$work/actuator.log" >&2 2>/dev/null || true; exit 1; }

kube_setup "$work"
kube_pods "$work" bench pod $((paced + bkube)) >"$work/pods.txt"
head -n "$paced" "$work/pods.txt" >"$work/paced-pods.txt"
tail -n +"$((paced + 1))" "$work/pods.txt" >"$work/burst-pods.txt"

suffix=$$-$(date +%s%N)
verdicts=bench-verdicts-$suffix actions=bench-actions-$suffix dlq=bench-dlq-$suffix
for t in "$verdicts:3" "$actions:3" "$dlq:1"; do "$topics" create "$brokers" "${t%:*}" "${t#*:}"; done
cat >"$work/actuator.yaml" <<EOC
node: bench-node
kafka:
  bootstrap.servers: $brokers
  log_level: 3
actuator:
  verdicts_topic: $verdicts
  actions_topic: $actions
  dlq_topic: $dlq
  group: bench-actuator-$suffix
  max_actions_per_minute: 0
  kubernetes:
    enabled: true
    kubeconfig: $work/sa.kubeconfig
  ecs:
    enabled: false
  local:
    enabled: false
  metrics_addr: 127.0.0.1:0
EOC

# spec GROUP ACTION PODS_FILE: one actuator_feed line per pod.
spec() { awk -v g="$1" -v a="$2" '{ printf "pod %s-%d %s bench bench %s %s\n", g, NR, a, $1, $2 }' "$3"; }
# paced: stdin's lines at RATE/s into the topic (each stamped as produced).
delay=$(awk -v r="$rate" 'BEGIN { print 1 / r }')
# The first second lets the new idempotent producer get its id from the
# broker, which would otherwise delay the first verdict.
paced() { { sleep 1; while IFS= read -r l; do echo "$l"; sleep "$delay"; done; } |
  "$feed" produce "$brokers" "$verdicts"; }
# result GROUP COUNT: waits for the outcomes, prints bench_actions_read's line.
result() { "$reader" "$brokers" "$verdicts" "$actions" "$1" "$2" 600 || fail "$1: outcomes missing"; }

"$actuator" --config "$work/actuator.yaml" 2>"$work/actuator.log" & act_pid=$!
# Warm-up: the group is joined and the API connection open before timing.
spec warm log <(head -n 10 "$work/paced-pods.txt") | "$feed" produce "$brokers" "$verdicts"
result warm 10 >/dev/null
echo "rampart-actuator consuming; $paced paced verdicts at $rate/s, then bursts of $blog log and $bkube isolate+terminate"

spec plog log "$work/paced-pods.txt" | paced; plog=$(result plog "$paced")
spec piso isolate "$work/paced-pods.txt" | paced; piso=$(result piso "$paced")
spec pterm terminate "$work/paced-pods.txt" | paced; pterm=$(result pterm "$paced")
spec blog log <(for _ in $(seq $((blog / bkube + 1))); do cat "$work/burst-pods.txt"; done | head -n "$blog") |
  "$feed" produce "$brokers" "$verdicts"
blogr=$(result blog "$blog")
spec biso isolate "$work/burst-pods.txt" | "$feed" produce "$brokers" "$verdicts"; biso=$(result biso "$bkube")
spec bterm terminate "$work/burst-pods.txt" | "$feed" produce "$brokers" "$verdicts"; bterm=$(result bterm "$bkube")
printf '%s\n' "$plog" "$piso" "$pterm" "$blogr" "$biso" "$bterm"

field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for r in "$piso" "$pterm"; do
  echo "${r%% *} / plog: p50 $(ratio "$(field "$r" p50)" "$(field "$plog" p50)")x" \
    "p99 $(ratio "$(field "$r" p99)" "$(field "$plog" p99)")x"
done
for r in "$biso" "$bterm"; do
  echo "${r%% *} / blog: rate $(ratio "$(field "$r" rate)" "$(field "$blogr" rate)")"
done
grep -q '"outcome":"failed"' "$work/actuator.log" && fail "some actions failed"
exit 0
