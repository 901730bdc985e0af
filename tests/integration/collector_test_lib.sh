# Shared by the collector's real-container tests (sourced). Skips (exit 77)
# unless root with runc, jq and script; gives the test a private
# container-harness root ($RAMPART_CONTAINER_ROOT) and work directory
# ($work), both removed, with every container and the collector stopped,
# however the test ends.

# collector_test_init NAME
collector_test_init() {
	here=$(cd "$(dirname "$0")" && pwd)
	harness=${RAMPART_CONTAINER:-$here/container/rampart-container}
	local tool
	for tool in runc jq script; do
		command -v "$tool" >/dev/null || { echo "SKIP: needs $tool"; exit 77; }
	done
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	export RAMPART_CONTAINER_ROOT
	RAMPART_CONTAINER_ROOT=$(mktemp -d "/run/rampart-$1-test.XXXXXX")
	work=$(mktemp -d)
	cpid=
	trap collector_test_cleanup EXIT
	trap 'exit 130' INT TERM
	eval "$("$harness" paths)"
}

collector_test_cleanup() {
	[ -n "$cpid" ] && kill -INT "$cpid" 2>/dev/null && wait "$cpid" || true
	"$harness" stop-all || true
	rm -rf "$RAMPART_CONTAINER_ROOT" "$work"
}

# start_collector COLLECTOR: config $work/collector.yaml, recording
# $work/events.avro, log $work/collector.log; returns once it captures.
start_collector() {
	"$1" --config "$work/collector.yaml" --record "$work/events.avro" 2>"$work/collector.log" &
	cpid=$!
	for _ in $(seq 50); do grep -q capturing "$work/collector.log" && return; sleep 0.1; done
	cat "$work/collector.log"; echo "FAIL collector did not start"; exit 1
}

# stop_collector: SIGINT, which must end it cleanly (recording closed).
stop_collector() {
	kill -INT "$cpid"
	wait "$cpid" || { cat "$work/collector.log"; echo "FAIL collector exit"; exit 1; }
	cpid=
}
