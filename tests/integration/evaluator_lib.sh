# Shared by test_evaluator_*.sh (sourced): temporary directory, unique names,
# evaluator processes that are always stopped, and small assertions.
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rampart-evaltest.XXXXXX")
suffix=$$-$(date +%s%N)
declare -A ev_pid=()

say() { printf 'test: %s\n' "$*"; }
fail() { printf 'test: FAIL: %s\n' "$*" >&2; for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }; done; exit 1; }

ev_cleanup() {
  local name
  for name in "${!ev_pid[@]}"; do kill -KILL "${ev_pid[$name]}" 2>/dev/null || true; done
  [ "${RAMPART_TEST_KEEP:-0}" = 1 ] && say "kept $tmp" || rm -rf "$tmp"
}
trap ev_cleanup EXIT

# write_config NAME INSTANCE RULES BATCH BATCH_MS
write_config() {
  cat >"$tmp/$1.yaml" <<EOC
node: test-node
kafka:
  bootstrap.servers: $brokers
  # fail over within seconds, not the defaults' minute
  session.timeout.ms: 6000
  heartbeat.interval.ms: 1000
  transaction.timeout.ms: 10000
  log_level: 3
evaluator:
  rules: [$3]
  events_topic: $events
  verdicts_topic: $verdicts
  dlq_topic: $dlq
  group: $group
  instance_id: $2
  batch: $4
  batch_ms: $5
  metrics_addr: 127.0.0.1:0
EOC
}

# start_evaluator NAME (config $tmp/NAME.yaml, log appended to $tmp/NAME.log)
start_evaluator() {
  "$evaluator" --config "$tmp/$1.yaml" 2>>"$tmp/$1.log" &
  ev_pid[$1]=$!
}

# stop_evaluator NAME: SIGTERM, expect exit status 0
stop_evaluator() {
  local rc=0
  kill -TERM "${ev_pid[$1]}"
  wait "${ev_pid[$1]}" || rc=$?
  unset "ev_pid[$1]"
  [ $rc -eq 0 ] || fail "evaluator $1 exited with $rc after SIGTERM"
}

# wait_log NAME REGEX TIMEOUT_S
wait_log() {
  local deadline=$((SECONDS + $3))
  until grep -Eq "$2" "$tmp/$1.log" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "evaluator $1 did not log /$2/ within $3 s"
    sleep 0.2
  done
}

# scrape NAME PATH: the evaluator's metrics endpoint (port from its log)
scrape() {
  local port
  port=$(grep '"metrics endpoint"' "$tmp/$1.log" | grep -o '"port": *[0-9]*' | grep -o '[0-9]*$' | tail -n 1)
  [ -n "$port" ] || fail "evaluator $1 logged no metrics port"
  curl -fsS --max-time 5 "http://127.0.0.1:$port$2"
}

create_topics() {
  "$feed" create "$brokers" "$events" 6
  "$feed" create "$brokers" "$verdicts" 6
  "$feed" create "$brokers" "$dlq" 1
}

# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; say "ok: $1 = $3"; }
