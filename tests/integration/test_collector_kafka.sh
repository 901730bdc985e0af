#!/usr/bin/env bash
# rampart-collector publishing to a real Kafka broker (run under
# tests/integration/with-kafka): a marker action on the host (container_only
# off) must be consumed back from rampart.events keyed host/<node>, every
# published event must arrive, and the sequence must be gap-free. /metrics
# is scraped while it runs: events_published_total must equal the events
# consumed up to the scraped last_sequence, and ring-buffer drops must equal
# the sequence gaps up to it.
#   with-kafka test_collector_kafka.sh rampart-collector events_dump capture_actions
set -euo pipefail
collector=${1:?}; dump=${2:?}; actions=${3:?}
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
[ "$(id -u)" = 0 ] && command -v jq >/dev/null && command -v kcat >/dev/null && command -v curl >/dev/null ||
	{ echo "SKIP: needs root, jq, kcat, curl"; exit 77; }
work=$(mktemp -d); cpid=
cleanup() { [ -n "$cpid" ] && kill -INT "$cpid" 2>/dev/null && wait "$cpid" || true; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/c.yaml" <<YAML
node: kafka-node
collector:
  container_only: false
  syscalls: connect,socket
  metrics_addr: 127.0.0.1:0
kafka:
  bootstrap.servers: $brokers
YAML
"$collector" --config "$work/c.yaml" 2>"$work/collector.log" &
cpid=$!
for _ in $(seq 100); do grep -q capturing "$work/collector.log" && break; sleep 0.1; done
grep -q capturing "$work/collector.log" || { cat "$work/collector.log"; exit 1; }
"$actions" connect 4999 || true
sleep 1
port=$(sed -n 's/.*metrics on .* (port \([0-9]*\)).*/\1/p' "$work/collector.log")
url=http://127.0.0.1:$port
health=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz"); ready=$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")
# Two identical scrapes in a row: a quiescent snapshot (host processes may connect at any time).
prev=
for _ in $(seq 20); do
	curl -sf "$url/metrics" >"$work/metrics.txt"
	cur=$(grep -v '^#' "$work/metrics.txt" | grep -v producer_ | sort | md5sum)
	[ "$cur" = "$prev" ] && break
	prev=$cur; sleep 0.3
done
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
metric() { awk -v n="$1" '$1 == n {print $2}' "$work/metrics.txt"; }
m_pub=$(metric rampart_collector_events_published_total); m_last=$(metric rampart_collector_last_sequence)
m_drops=$(metric rampart_collector_ringbuf_drops_total)
m_cpu=$(awk 'index($1, "rampart_collector_ringbuf_drops_per_cpu_total{cpu=\"") == 1 {s += $2; n++} END {print (n > 0 ? s : "none")}' "$work/metrics.txt")
upto=$(jq -c --argjson l "$m_last" 'select(.sequence <= $l)' "$work/events.json" | wc -l)
[ "$health" = 200 ] && [ "$ready" = 200 ] && echo "ok   /healthz and /readyz 200 while capturing" ||
	{ echo "FAIL healthz=$health readyz=$ready"; fail=1; }
grep -q '^# TYPE rampart_collector_events_published_total counter$' "$work/metrics.txt" &&
	echo "ok   exposition format (HELP/TYPE lines)" || { echo "FAIL exposition format"; cat "$work/metrics.txt"; fail=1; }
[ -n "$m_pub" ] && [ "$m_pub" -gt 0 ] && [ "$m_pub" = "$upto" ] &&
	echo "ok   events_published_total $m_pub = consumed up to sequence $m_last" ||
	{ echo "FAIL events_published_total=$m_pub, consumed up to sequence $m_last: $upto"; fail=1; }
[ "$m_drops" = $((m_last + 1 - m_pub)) ] && [ "$m_cpu" = "$m_drops" ] &&
	echo "ok   ringbuf drops $m_drops = sequence gaps = sum of per-CPU drops" ||
	{ echo "FAIL drops=$m_drops per-cpu=$m_cpu gaps=$((m_last + 1 - m_pub))"; fail=1; }
exit $fail
