#!/usr/bin/env bash
# `rampart replay` and `rampart events inspect` on real data.
#
#   test_replay.sh file RAMPART REPLAY_AMPLIFY
#     root, eBPF, runc: `rampart run --record --json --dry-run` captures real
#     runc containers (tests/integration/container/rampart-container) reading
#     /etc/shadow and executing a binary copied into /tmp (drift, whose
#     recommended action is terminate). Then, on that recording:
#      - replay --json gives the same (event sequence, rule ids) pairs as
#        `rampart run` printed, with no outcome (nothing acted on);
#      - --rule, --namespace, --container, --from/--to select what they say;
#      - --cluster makes the events follow that cluster's policy;
#      - events inspect prints as many events as run recorded, in full;
#      - the drift container, whose recording holds a terminate verdict, is
#        still running after every replay;
#      - a 200k-event recording (the real one repeated) replays completely;
#        events/s is printed;
#      - usage errors exit 2, unreadable input 1, invalid rules 3.
#   test_replay.sh kafka RAMPART EVALUATOR_FEED EVALUATOR_CHECK
#     under tests/integration/with-kafka: three batches of framed events with
#     known timestamps; replay --from/--to over the middle batch gets exactly
#     that batch's verdicts (undecodable messages counted); --output-topic
#     rampart.verdicts is refused (exit 2, nothing created); --output-topic
#     T writes decodable framed verdicts, one per matching event.
set -euo pipefail

mode=${1:?usage: test_replay.sh file|kafka RAMPART ...}
rampart=${2:?rampart}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-replay-test.XXXXXX")
run_pid=
fail=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi; }
# expect_rc WHAT WANT CMD...: CMD exits with WANT
expect_rc() {
	local what=$1 want=$2 rc=0; shift 2
	"$@" >"$work/out" 2>"$work/err" || rc=$?
	if [ "$rc" = "$want" ]; then ok "$what: exit $rc"; else bad "$what: exit $rc, want $want"; cat "$work/err"; fi
}
# pairs FILE: "sequence RULE,RULE" per verdict line, sorted
pairs() { jq -r 'select(.verdict_id) | "\(.event.sequence) \([.rules[].id] | sort | join(","))"' "$1" | sort; }

cleanup() {
	[ -n "$run_pid" ] && kill -INT "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null || true
	if [ "$mode" = file ]; then
		"$harness" stop-all || true
		rm -rf "$RAMPART_CONTAINER_ROOT"
	fi
	[ "${RAMPART_TEST_KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}

# ---------------------------------------------------------------------------
# file: a real recording
# ---------------------------------------------------------------------------

record_containers() {
	cat >"$work/run.yaml" <<EOF
collector:
  state_dirs: $RAMPART_STATE_DIR
EOF
	"$harness" start web --pod-name web-0 --namespace shop --pod-uid 11111111-2222-4333-8444-555555555555 \
		--container-name web >/dev/null
	"$harness" start other --pod-name ops-0 --namespace ops --pod-uid 66666666-7777-4888-9999-aaaaaaaaaaaa \
		--container-name tool >/dev/null
	"$rampart" run --config "$work/run.yaml" --record "$work/rec.avro" --json --dry-run \
		>"$work/run.jsonl" 2>"$work/run.err" &
	run_pid=$!
	for _ in $(seq 100); do grep -q capturing "$work/run.err" && break; sleep 0.1; done
	grep -q capturing "$work/run.err" || { cat "$work/run.err"; echo "FAIL rampart run did not start"; exit 1; }
	"$harness" exec web -- sh -c 'cat /etc/shadow >/dev/null; cp /bin/busybox /tmp/true && /tmp/true;
		cp /bin/busybox "/tmp/$(printf "bad\377name")"' </dev/null
	"$harness" exec other -- sh -c 'cat /etc/shadow >/dev/null' </dev/null
	sleep 2
	kill -INT "$run_pid"
	wait "$run_pid" || { cat "$work/run.err"; echo "FAIL rampart run exit"; exit 1; }
	run_pid=
}

check_same_verdicts() {
	pairs "$work/run.jsonl" >"$work/run.pairs"
	"$rampart" replay "$work/rec.avro" --json >"$work/replay.jsonl" 2>"$work/replay.err"
	pairs "$work/replay.jsonl" >"$work/replay.pairs"
	echo "rampart run verdicts (sequence rules):"; sed 's/^/  /' "$work/run.pairs"
	[ -s "$work/run.pairs" ] || bad "rampart run printed no verdicts"
	if cmp -s "$work/run.pairs" "$work/replay.pairs"; then ok "replay: the same (sequence, rules) as rampart run"
	else bad "replay differs from rampart run"; diff "$work/run.pairs" "$work/replay.pairs" || true; fi
	for r in RP1002 RP1003; do
		grep -q "$r" "$work/replay.pairs" && ok "replay has $r" || bad "replay lacks $r"
	done
	expect_eq "verdicts with an outcome (acted on)" "$(jq -s 'map(select(.outcome)) | length' "$work/replay.jsonl")" 0
	expect_eq "RP1003 would terminate" \
		"$(jq -r 'select(.rules[].id == "RP1003") | .action.effective' "$work/replay.jsonl" | sort -u)" terminate
	expect_eq "every line is JSON (a non-UTF-8 file name included)" \
		"$(jq -c . "$work/replay.jsonl" | wc -l)" "$(wc -l <"$work/replay.jsonl")"
	grep -q 'bad\\\\xffname' "$work/replay.jsonl" && ok "non-UTF-8 bytes written as \\xNN" ||
		bad "no verdict shows the non-UTF-8 name"
	grep -q "by tactic" "$work/replay.err" && grep -q "Credential Access" "$work/replay.err" &&
		ok "summary by rule and by tactic" || { bad "summary"; cat "$work/replay.err"; }
}

check_filters() {
	local web_id n_1002 start
	web_id=$("$harness" id web)
	n_1002=$(grep -c RP1002 "$work/replay.pairs")
	[ "$n_1002" -ge 2 ] && ok "RP1002 in both containers ($n_1002)" || bad "RP1002 verdicts: $n_1002, want >= 2"
	"$rampart" replay "$work/rec.avro" --rule rp1002 --json >"$work/f.jsonl" 2>/dev/null
	expect_eq "--rule RP1002: verdicts" "$(wc -l <"$work/f.jsonl")" "$n_1002"
	expect_eq "--rule RP1002: all match it" "$(jq -r '[.rules[].id] | index("RP1002") != null' "$work/f.jsonl" | sort -u)" true
	"$rampart" replay "$work/rec.avro" --namespace shop --json >"$work/f.jsonl" 2>/dev/null
	expect_eq "--namespace shop: containers" "$(jq -r .container.id "$work/f.jsonl" | sort -u)" "$web_id"
	"$rampart" replay "$work/rec.avro" --container "${web_id:0:12}" --json >"$work/f.jsonl" 2>/dev/null
	expect_eq "--container prefix: containers" "$(jq -r .container.id "$work/f.jsonl" | sort -u)" "$web_id"
	expect_eq "--container prefix: RP1003 kept" "$(grep -c RP1003 "$work/f.jsonl")" 1
	"$rampart" replay "$work/rec.avro" --from "$(date -u -d '+1 sec' +%Y-%m-%dT%H:%M:%SZ)" --json \
		>"$work/f.jsonl" 2>"$work/f.err"
	expect_eq "--from after the recording: verdicts" "$(wc -l <"$work/f.jsonl")" 0
	grep -q " 0 selected" "$work/f.err" && ok "--from after the recording: 0 selected" || bad "$(cat "$work/f.err")"
	start=$(jq -r 'select(.verdict_id) | .event.time' "$work/run.jsonl" | sort | head -1)
	"$rampart" replay "$work/rec.avro" --to "$start" --from -1h --json >"$work/f.jsonl" 2>/dev/null
	expect_eq "--to the first verdict's event time (inclusive): verdicts" "$(wc -l <"$work/f.jsonl")" 1
	"$rampart" replay "$work/rec.avro" --from -1h --to now --json >"$work/f.jsonl" 2>/dev/null
	expect_eq "--from -1h --to now: verdicts" "$(wc -l <"$work/f.jsonl")" "$(wc -l <"$work/replay.jsonl")"
	"$rampart" replay "$work/rec.avro" --cluster ecs-legacy --rule RP1003 --json >"$work/f.jsonl" 2>/dev/null
	expect_eq "--cluster ecs-legacy: cluster" "$(jq -r .cluster "$work/f.jsonl" | sort -u)" ecs-legacy
	expect_eq "--cluster ecs-legacy: RP1003 requested/effective" \
		"$(jq -r '"\(.action.requested)/\(.action.effective)"' "$work/f.jsonl" | sort -u)" terminate/log
}

check_inspect() {
	local recorded
	recorded=$(jq -r 'select(.summary) | .summary.recorded' "$work/run.jsonl")
	"$rampart" events inspect "$work/rec.avro" >"$work/events.jsonl" 2>"$work/inspect.err"
	expect_eq "events inspect: lines = recorded events" "$(wc -l <"$work/events.jsonl")" "$recorded"
	expect_eq "events inspect: the shadow read, in full" "$(jq -r 'select(.event.args.path == "/etc/shadow"
		and .workload.namespace == "shop") | "\(.process.comm) \(.event.type) \(.process.args | join(" "))"' \
		"$work/events.jsonl" | sort -u)" "cat open cat /etc/shadow"
	expect_eq "events inspect: sequences unique" "$(jq .event.sequence "$work/events.jsonl" | sort -u | wc -l)" "$recorded"
	"$rampart" events inspect "$work/rec.avro" --namespace ops >"$work/f.jsonl" 2>/dev/null
	expect_eq "events inspect --namespace ops" "$(jq -r .workload.namespace "$work/f.jsonl" | sort -u)" ops
}

check_exit_codes() {
	expect_rc "replay: no input" 2 "$rampart" replay
	expect_rc "replay: bad --from" 2 "$rampart" replay "$work/rec.avro" --from yesterday
	grep -q "'yesterday' is not a time" "$work/err" && ok "bad --from explained" || bad "$(cat "$work/err")"
	expect_rc "replay: --output-topic rampart.verdicts" 2 "$rampart" replay "$work/rec.avro" --brokers 127.0.0.1:1 \
		--output-topic rampart.verdicts
	expect_rc "replay: missing file" 1 "$rampart" replay "$work/missing.avro"
	head -c 5000 "$work/rec.avro" >"$work/cut.avro"
	expect_rc "replay: a recording cut short" 1 "$rampart" replay "$work/cut.avro"
	expect_rc "replay: invalid rules" 3 "$rampart" replay "$work/rec.avro" --rules "$work/missing-rules"
	expect_rc "events inspect: no file" 2 "$rampart" events inspect
}

# The drift container's events carry a terminate verdict; nothing may act on it.
check_never_acts() {
	local pid
	pid=$("$harness" pid web)
	kill -0 "$pid" || { bad "web died before the replays"; return; }
	"$rampart" replay "$work/rec.avro" >/dev/null 2>&1
	script -qec "$rampart replay $work/rec.avro" /dev/null >"$work/tty.out" 2>&1 </dev/null || true
	grep -q "would terminate" "$work/tty.out" && ok "terminal lines say: would terminate" || bad "$(cat "$work/tty.out")"
	sleep 0.5
	kill -0 "$pid" && ok "the container with a terminate verdict is still running" || bad "web was killed"
}

rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%d", n / (b - a) }'; }

check_throughput() {
	local n=200000 reps per start end
	"$amplify" "$work/rec.avro" "$work/big.avro" $n
	start=$(date +%s.%N)
	"$rampart" replay "$work/big.avro" --json >"$work/big.jsonl" 2>"$work/big.err"
	end=$(date +%s.%N)
	grep -q " $n read, $n selected, 0 undecodable" "$work/big.err" && ok "$n events replayed" ||
		bad "$(cat "$work/big.err")"
	reps=$((n / $(wc -l <"$work/events.jsonl")))
	per=$(wc -l <"$work/replay.jsonl")
	[ "$(wc -l <"$work/big.jsonl")" -ge $((reps * per)) ] && ok "verdicts: $(wc -l <"$work/big.jsonl")" ||
		bad "verdicts $(wc -l <"$work/big.jsonl"), want >= $((reps * per))"
	echo "throughput: $(rate $n "$start" "$end") events/s ($(ls -l "$work/big.avro" | awk '{print $5}') bytes," \
		"$(wc -l <"$work/big.jsonl") JSON verdicts written)"
	"$rampart" replay "$work/big.avro" --rule RP9999 >/dev/null 2>&1
	start=$(date +%s.%N)
	"$rampart" replay "$work/big.avro" --rule RP9999 >/dev/null 2>&1
	end=$(date +%s.%N)
	echo "throughput (no verdict written): $(rate $n "$start" "$end") events/s"
}

test_file() {
	amplify=${1:?replay_amplify}
	harness=${RAMPART_CONTAINER:-$here/container/rampart-container}
	local tool
	for tool in runc jq script; do
		command -v "$tool" >/dev/null || { echo "SKIP: needs $tool"; exit 77; }
	done
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	export RAMPART_CONTAINER_ROOT
	RAMPART_CONTAINER_ROOT=$(mktemp -d /run/rampart-replay-test.XXXXXX)
	eval "$("$harness" paths)"
	record_containers
	check_same_verdicts
	check_filters
	check_inspect
	check_never_acts
	check_exit_codes
	check_throughput
}

# ---------------------------------------------------------------------------
# kafka: the events topic by time
# ---------------------------------------------------------------------------

now_rfc3339() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

test_kafka() {
	local feed=${1:?evaluator_feed} check=${2:?evaluator_check}
	local brokers=${RAMPART_TEST_BROKERS:?run under tests/integration/with-kafka}
	local s=$$-$(date +%s%N) events out dlq t1 t2
	events=replay-events-$s out=replay-out-$s dlq=replay-none-$s
	"$feed" create "$brokers" "$events" 3
	"$feed" create "$brokers" "$out" 2
	"$feed" create "$brokers" "$dlq" 1
	# eos events: sequence % 10 == 0 reads /etc/shadow (RP1002)
	"$feed" produce "$brokers" "$events" eos 0 100 0 0
	sleep 1.2
	t1=$(now_rfc3339)
	"$feed" produce "$brokers" "$events" eos 1000 100 2 0
	t2=$(now_rfc3339)
	sleep 1.2
	"$feed" produce "$brokers" "$events" eos 2000 100 0 0
	echo "window $t1 .. $t2"

	"$rampart" replay --brokers "$brokers" --topic "$events" --from "$t1" --to "$t2" --json \
		>"$work/k.jsonl" 2>"$work/k.err" || { bad "replay from Kafka failed"; cat "$work/k.err"; }
	expect_eq "window: verdict sequences" "$(jq -r .event.sequence "$work/k.jsonl" | sort -n | tr '\n' ' ')" \
		"1000 1010 1020 1030 1040 1050 1060 1070 1080 1090 "
	grep -q "102 read, 100 selected, 2 undecodable" "$work/k.err" && ok "window: 102 read, 2 undecodable" ||
		{ bad "window summary"; cat "$work/k.err"; }
	"$rampart" replay --brokers "$brokers" --topic "$events" --from -1h --json >"$work/k.jsonl" 2>/dev/null
	expect_eq "--from -1h: verdicts" "$(wc -l <"$work/k.jsonl")" 30
	"$rampart" replay --brokers "$brokers" --topic "$events" --from "$t2" --to "$t2" --json >"$work/k.jsonl" 2>/dev/null
	expect_eq "an instant after the batch: verdicts" "$(wc -l <"$work/k.jsonl")" 0

	expect_rc "--output-topic rampart.verdicts" 2 "$rampart" replay --brokers "$brokers" --topic "$events" \
		--from "$t1" --to "$t2" --output-topic rampart.verdicts
	grep -q "actuator" "$work/err" && ok "refusal explained: $(head -1 "$work/err")" || bad "$(cat "$work/err")"
	# (listing every topic: asking for one by name could create it)
	kcat -L -b "$brokers" 2>/dev/null | grep -q 'topic "rampart.verdicts" with' &&
		bad "rampart.verdicts was created" || ok "rampart.verdicts untouched"
	expect_rc "--output-topic $out" 0 "$rampart" replay --brokers "$brokers" --topic "$events" \
		--from "$t1" --to "$t2" --output-topic "$out"
	expect_eq "output topic: messages" "$(kcat -C -b "$brokers" -t "$out" -e -q -f '%k\n' | grep -c .)" 10
	"$check" "$brokers" "$out" "$dlq" 10 30 >"$work/check.txt" || bad "evaluator_check on $out"
	expect_eq "output topic: decodable verdicts" "$(awk '$1 == "V" {print $2}' "$work/check.txt" | sort -n | tr '\n' ' ')" \
		"1000 1010 1020 1030 1040 1050 1060 1070 1080 1090 "
}

trap cleanup EXIT
trap 'exit 130' INT TERM
case $mode in
file) test_file "${@:3}" ;;
kafka) test_kafka "${@:3}" ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
