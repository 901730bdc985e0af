#!/usr/bin/env bash
# rampart-collector publishing to a real Kafka broker (run under
# tests/integration/with-kafka): a marker action on the host (container_only
# off) must be consumed back from rampart.events keyed host/<node>, every
# published event must arrive, and the sequence must be gap-free.
#   with-kafka test_collector_kafka.sh rampart-collector events_dump capture_actions
set -euo pipefail
collector=${1:?}; dump=${2:?}; actions=${3:?}
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
[ "$(id -u)" = 0 ] && command -v jq >/dev/null && command -v kcat >/dev/null || { echo "SKIP: needs root, jq, kcat"; exit 77; }
work=$(mktemp -d); cpid=
cleanup() { [ -n "$cpid" ] && kill -INT "$cpid" 2>/dev/null && wait "$cpid" || true; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/c.yaml" <<YAML
node: kafka-node
collector:
  container_only: false
  syscalls: connect,socket
kafka:
  bootstrap.servers: $brokers
YAML
"$collector" --config "$work/c.yaml" 2>"$work/collector.log" &
cpid=$!
for _ in $(seq 100); do grep -q capturing "$work/collector.log" && break; sleep 0.1; done
grep -q capturing "$work/collector.log" || { cat "$work/collector.log"; exit 1; }
"$actions" connect 4999 || true
sleep 1
kill -INT "$cpid"; wait "$cpid"; cpid=
cat "$work/collector.log"
published=$(sed -n 's/.* published=\([0-9]*\).*/\1/p' "$work/collector.log")
delivered=$(sed -n 's/.* delivered=\([0-9]*\).*/\1/p' "$work/collector.log")
"$dump" kafka "$brokers" rampart.events 15 >"$work/events.json"
got=$(wc -l <"$work/events.json")
fail=0
[ "$published" -gt 0 ] && [ "$delivered" = "$published" ] && echo "ok   $published published, all acknowledged" ||
	{ echo "FAIL published=$published delivered=$delivered"; fail=1; }
[ "$got" = "$published" ] && echo "ok   consumed $got = published" || { echo "FAIL consumed $got, published $published"; fail=1; }
n=$(jq -c 'select(.type=="connect" and .args.remote_addr=="127.0.0.1" and .args.remote_port==4999 and .node=="kafka-node")' "$work/events.json" | wc -l)
[ "$n" -ge 1 ] && echo "ok   marker connect consumed from Kafka" || { echo "FAIL marker connect missing"; fail=1; }
ok=$(jq -s 'map(.sequence) | sort == [range(0; length)]' "$work/events.json")
[ "$ok" = true ] && echo "ok   sequence 0..n-1 gap-free" || { echo "FAIL sequence gaps"; fail=1; }
keys=$(kcat -C -b "$brokers" -t rampart.events -e -q -f '%k\n' 2>/dev/null | sort -u)
[ "$keys" = "host/kafka-node" ] && echo "ok   key host/kafka-node" || { echo "FAIL keys: $keys"; fail=1; }
exit $fail
