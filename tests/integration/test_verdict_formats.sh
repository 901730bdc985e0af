#!/usr/bin/env bash
# Every verdicts.format, decoded by an independent consumer (run under
# with-kafka): one events topic (10 plain-host RP1002 matches from the feed,
# 6 pod and ECS task matches written by fastavro), then one
# rampart-evaluator per format, each into its own verdicts topic, read back
# by tests/integration/verdict_formats_check.py with confluent-kafka
# (read_committed): avro with fastavro, avro-confluent with confluent-kafka's
# AvroDeserializer against tests/unit/registry_server.py, json by field
# names, ocsf against the OCSF 1.4.0 Detection Finding JSON Schema. The ocsf
# run also posts Falco alerts to a receiver that answers 503 twice first:
# every verdict must arrive exactly once. All four runs must name the same
# verdict ids.
#
#   test_verdict_formats.sh EVALUATOR FEED RULES_DIR
set -euo pipefail
evaluator=$1 feed=$2 rules=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/evaluator_lib.sh"
py=${RAMPART_FORMATS_PYTHON:-$root/.deps/formats/bin/python}
check=$here/verdict_formats_check.py
[ -x "$py" ] || fail "no $py: run scripts/bootstrap (its part scripts/bootstrap-formats)"

declare -a helper_pids=()
stop_helpers() {
  local p
  for p in "${helper_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ev_cleanup
}
trap stop_helpers EXIT

# start_helper NAME CMD...: a server that prints its port on stdout first;
# the port is then in $tmp/NAME.port (not a subshell: its pid is kept).
start_helper() {
  local name=$1 i
  shift
  "$@" >"$tmp/$name.port" 2>>"$tmp/$name.log" &
  helper_pids+=($!)
  for i in $(seq 1 100); do
    [ -s "$tmp/$name.port" ] && return
    sleep 0.1
  done
  fail "$name did not start"
}

events=rampart-test-events-$suffix dlq=rampart-test-dlq-$suffix
"$feed" create "$brokers" "$events" 3
"$feed" create "$brokers" "$dlq" 1
"$feed" produce "$brokers" "$events" eos 0 100 0 0
n=$("$py" "$check" produce "$brokers" "$events" "$root/schemas") || fail "producing pod and ECS events"
expected=$((10 + n))
start_helper registry python3 "$root/tests/unit/registry_server.py"
start_helper falco "$py" "$check" serve-falco "$tmp/falco.posts" 2
registry=http://127.0.0.1:$(head -n 1 "$tmp/registry.port")
falco_port=$(head -n 1 "$tmp/falco.port")

# run_format FORMAT [YAML LINE under verdicts:]...
run_format() {
  local fmt=$1 line
  shift
  verdicts=rampart-test-verdicts-$fmt-$suffix group=rampart-test-formats-$fmt-$suffix
  "$feed" create "$brokers" "$verdicts" 3
  write_config "$fmt" "$fmt" "$rules" 50 200
  printf 'verdicts:\n  format: %s\n' "$fmt" >>"$tmp/$fmt.yaml"
  for line in "$@"; do printf '  %s\n' "$line" >>"$tmp/$fmt.yaml"; done
  start_evaluator "$fmt"
  wait_log "$fmt" '"evaluator started"' 60
  "$py" "$check" consume "$fmt" "$brokers" "$verdicts" "$expected" 120 "$root/schemas" "$tmp/$fmt.ids" \
    ${registry_arg:-} || fail "$fmt: the consumer's checks failed"
  stop_evaluator "$fmt"
}

say "avro: single-object, decoded by fastavro"
run_format avro
say "avro-confluent: Confluent wire format, decoded by confluent-kafka's AvroDeserializer"
registry_arg=$registry run_format avro-confluent "schema_registry: $registry"
grep -q '"format": *"avro-confluent", *"schema_id": *[1-9]' "$tmp/avro-confluent.log" ||
  fail "avro-confluent: no registry id logged"
say "json: stable field names"
run_format json
say "ocsf: OCSF 1.4.0 Detection Finding, validated by jsonschema; Falco alerts to a webhook"
run_format ocsf "falco_webhook: http://127.0.0.1:$falco_port/falco" "falco_webhook_timeout_ms: 2000"

say "assertions"
for fmt in avro-confluent json ocsf; do
  cmp -s "$tmp/avro.ids" "$tmp/$fmt.ids" || fail "$fmt names other verdict ids than avro"
done
say "ok: the four formats carry the same $expected verdict ids"
expect_eq "DLQ records (the fastavro-written events decoded)" \
  "$(kcat -C -b "$brokers" -t "$dlq" -o beginning -e -q -f 'x\n' | wc -l)" 0
"$py" "$check" falco "$tmp/falco.posts" "$tmp/ocsf.ids" || fail "Falco alerts"
stats=$(grep '"falco webhook stopped"' "$tmp/ocsf.log") || fail "no webhook counters logged"
field() { grep -o "\"$1\": *[0-9]*" <<<"$stats" | grep -o '[0-9]*$'; }
expect_eq "webhook posted" "$(field posted)" "$expected"
expect_eq "webhook retries (two 503s)" "$(field retries)" 2
expect_eq "webhook failed" "$(field failed)" 0
expect_eq "webhook dropped" "$(field dropped)" 0
say "PASS"
