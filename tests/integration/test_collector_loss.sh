#!/usr/bin/env bash
# Measured loss: a deliberately small ring buffer (16 KiB) is flooded by host
# opens (container_only off). The kernel must count its reservation failures,
# and the recording's sequence gaps must equal exactly the loss the collector
# reports (ring-buffer drops + failed sends): nothing disappears uncounted.
#   test_collector_loss.sh rampart-collector events_dump capture_actions
set -euo pipefail
collector=${1:?}; dump=${2:?}; actions=${3:?}
[ "$(id -u)" = 0 ] && command -v jq >/dev/null || { echo "SKIP: needs root and jq"; exit 77; }
work=$(mktemp -d); cpid=
cleanup() { [ -n "$cpid" ] && kill -INT "$cpid" 2>/dev/null && wait "$cpid" || true; rm -rf "$work"; }
trap cleanup EXIT

RAMPART_COLLECTOR_CONTAINER_ONLY=false RAMPART_COLLECTOR_RINGBUF_KB=16 RAMPART_NODE=loss-node \
	RAMPART_COLLECTOR_METRICS_ADDR=127.0.0.1:0 \
	"$collector" --record "$work/events.avro" 2>"$work/collector.log" &
cpid=$!
for _ in $(seq 50); do grep -q capturing "$work/collector.log" && break; sleep 0.1; done
"$actions" openloop 200000 & "$actions" openloop 200000; wait %2 2>/dev/null || true
sleep 0.5
kill -INT "$cpid"; wait "$cpid"; cpid=
cat "$work/collector.log"
"$dump" file "$work/events.avro" >"$work/events.json"
counter() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$work/collector.log" | tail -1; }
drops=$(counter ringbuf_drops); failed=$(counter send_failed); published=$(counter published)
got=$(wc -l <"$work/events.json")
maxseq=$(jq -s 'map(.sequence) | max' "$work/events.json")
gaps=$((maxseq + 1 - got))
echo "recorded=$got published=$published max_sequence=$maxseq gaps=$gaps ringbuf_drops=$drops send_failed=$failed"
fail=0
[ "$drops" -gt 0 ] && echo "ok   ring buffer saturated: $drops drops counted" || { echo "FAIL no drops counted"; fail=1; }
[ "$got" -eq "$published" ] && echo "ok   every published event recorded" || { echo "FAIL recorded $got != published $published"; fail=1; }
# Drops seen after the last published event add to the sequence but leave
# no visible gap: compare against the reported loss up to the last event.
[ "$gaps" -le $((drops + failed)) ] && [ "$gaps" -ge $((drops + failed - 64)) ] &&
	echo "ok   sequence gaps ($gaps) match the counted loss ($((drops + failed)))" ||
	{ echo "FAIL gaps $gaps vs counted loss $((drops + failed))"; fail=1; }
dup=$(jq -s 'map(.sequence) | length - (unique | length)' "$work/events.json")
[ "$dup" -eq 0 ] && echo "ok   no duplicate sequence numbers" || { echo "FAIL $dup duplicates"; fail=1; }
exit $fail
