#!/usr/bin/env bash
# End-to-end capture rate into Kafka: rampart-collector (container_only off,
# openat only) publishes the events of an open loop to a real broker.
# Reports events/s published, ring-buffer drops, failed sends and the
# collector's peak RSS, for growing offered rates (parallel generators).
# On two shared cores the generators, not the collector, bound that rate, so
# the collector's capacity is then measured by replay (bench_collector
# replay): recorded kernel records through the same pipeline on one thread,
# into a null sink, the file transport, and the broker flat out and paced.
#   tests/integration/with-kafka bench/bench_collector_kafka.sh BUILD_DIR [N] [REPLAY_N]
set -euo pipefail
build=${1:?build dir}; n=${2:-500000}; rn=${3:-3000000}
collector=$build/collector/rampart-collector; gen=$build/bench/bench_collector
brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for par in 1 2; do
	RAMPART_COLLECTOR_CONTAINER_ONLY=false RAMPART_COLLECTOR_SYSCALLS=openat RAMPART_NODE=bench \
		RAMPART_KAFKA_BOOTSTRAP_SERVERS=$brokers RAMPART_COLLECTOR_METRICS_ADDR=127.0.0.1:0 \
		"$collector" 2>"$work/log" &
	cpid=$!
	for _ in $(seq 100); do grep -q capturing "$work/log" && break; sleep 0.1; done
	t0=$(date +%s.%N)
	for _ in $(seq "$par"); do "$gen" openloop "$n" & done
	wait $(jobs -p | grep -v "^$cpid$") 2>/dev/null || true
	t1=$(date +%s.%N)
	hwm=$(awk '/VmHWM/ {print $2}' /proc/$cpid/status)
	sleep 1
	kill -INT $cpid; wait $cpid || true
	line=$(tail -1 "$work/log")
	pub=$(sed -n 's/.* published=\([0-9]*\).*/\1/p' <<<"$line")
	drops=$(sed -n 's/.* ringbuf_drops=\([0-9]*\).*/\1/p' <<<"$line")
	failed=$(sed -n 's/.* send_failed=\([0-9]*\).*/\1/p' <<<"$line")
	deliv=$(sed -n 's/.* delivered=\([0-9]*\).*/\1/p' <<<"$line")
	awk -v p="$par" -v pub="$pub" -v d="$drops" -v f="$failed" -v dl="$deliv" -v t0="$t0" -v t1="$t1" -v h="$hwm" \
		'BEGIN { printf "generators=%d offered=%.0f ev/s published=%d (%.0f ev/s) delivered=%d ringbuf_drops=%d send_failed=%d collector_peak_rss=%d KiB\n",
		         p, (pub + d + f) / (t1 - t0), pub, pub / (t1 - t0), dl, d, f, h }'
done
export RAMPART_NODE=bench RAMPART_KAFKA_BOOTSTRAP_SERVERS=$brokers
replay() { "$gen" replay "$@" | sed -n 's/^replay\( sink=\|: published\)/&/p'; }
echo "replay, null sink:"; RAMPART_TRANSPORT=null replay "$rn"
echo "replay, file transport:"; RAMPART_TRANSPORT=file RAMPART_COLLECTOR_RECORD=$work/replay.avro replay "$rn"; rm -f "$work/replay.avro"
echo "replay, kafka flat out:"; replay "$rn"
echo "replay, kafka paced to 500000 events/s:"; replay "$rn" 500000
