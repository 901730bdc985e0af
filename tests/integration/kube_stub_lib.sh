# Sourced by tests that also need a stand-in API server (kube_stub.py):
# run_kube_stub starts the Python program on stdin (which imports kube_stub
# and calls serve_tls(handler, pki, work) with argv[1:3]) in the background,
# stops it when the test exits, and returns once it listens on
# $(cat "$work/stub.port").
run_kube_stub() { # WORK, program on stdin
	local program
	program=$(cat) # a background job's stdin would be /dev/null
	PYTHONPATH="$(dirname "${BASH_SOURCE[0]}")${PYTHONPATH:+:$PYTHONPATH}" \
		python3 -c "$program" "$RAMPART_TEST_KUBE_DIR/pki" "$1" &
	stub_pid=$!
	trap 'kill "$stub_pid" 2>/dev/null || true; wait "$stub_pid" 2>/dev/null || true' EXIT
	for _ in $(seq 1 100); do [ -s "$1/stub.port" ] && return 0; sleep 0.1; done
	echo "stub API server did not start" >&2
	exit 1
}
