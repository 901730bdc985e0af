#!/usr/bin/env bash
# The local driver (actuator/local_*.c) against real runc containers
# (tests/integration/container/rampart-container):
#  1. isolate: a container serving HTTP on its loopback can reach itself
#     before, cannot after (its processes still alive), isolate again is
#     already_done, release restores it;
#  2. a --host-network container is skipped and the host's network (its
#     loopback, its nftables) is untouched;
#  3. terminate: the init and exec'd processes (one in a sub-cgroup) are
#     killed, the cgroup is empty, terminate again is already_done;
#  4. the cgroup holding the actuator itself is refused (and it survives).
#   test_actuator_local.sh PATH/TO/test_local_driver_run
set -euo pipefail

run=${1:?usage: test_actuator_local.sh test_local_driver_run}
here=$(cd "$(dirname "$0")" && pwd)
harness=${RAMPART_CONTAINER:-$here/container/rampart-container}

if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || ! command -v jq >/dev/null ||
	! command -v busybox >/dev/null; then
	echo "SKIP: needs root, runc, jq and busybox"; exit 77
fi

export RAMPART_CONTAINER_ROOT
RAMPART_CONTAINER_ROOT=$(mktemp -d /run/rampart-actuator-local-test.XXXXXX)
work=$(mktemp -d)
state=$work/isolated
httpd_pid=
self_cg=
inner_cg=
cleanup() {
	[ -n "$httpd_pid" ] && kill "$httpd_pid" 2>/dev/null || true
	[ -n "$self_cg" ] && { rmdir "$self_cg/child" "$self_cg" 2>/dev/null || true; }
	# before the harness removes the container's cgroup, which it cannot
	# while this sub-cgroup exists
	if [ -n "$inner_cg" ] && [ -d "$inner_cg" ]; then
		[ -n "$(cat "$inner_cg/cgroup.procs")" ] && echo 1 >"$inner_cg/cgroup.kill" 2>/dev/null
		for _ in $(seq 50); do rmdir "$inner_cg" 2>/dev/null && break; sleep 0.1; done
	fi
	"$harness" stop-all || true
	rm -rf "$RAMPART_CONTAINER_ROOT" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$("$harness" paths)"   # RAMPART_CGROUP2

fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
drv() { "$run" --state-dir "$state" "$@"; }
# expect DESCRIPTION OUTCOME ARGS...: the driver's outcome for ARGS is OUTCOME
expect() {
	local what=$1 want=$2 out; shift 2
	out=$(drv "$@") || { bad "$what: driver error"; return; }
	if [ "${out%%:*}" = "$want" ]; then ok "$what: $out"; else bad "$what: got '$out', want $want"; fi
}
cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }
# alive PID: exists, is not a zombie and is not exiting (PF_EXITING, 0x4
# in the flags of /proc/PID/stat: a killed container init lingers, out of
# its cgroup, until the rest of its pid namespace is reaped)
alive() {
	local f; f=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	set -- $f   # state ppid pgrp session tty tpgid flags ...
	[ "$1" != Z ] && [ $(($7 & 4)) = 0 ]
}
procs_of() { cat "$RAMPART_CGROUP2$1/cgroup.procs" 2>/dev/null || true; }
# reaches NAME: the container fetches its own page over its loopback
# (timeout, not wget -T: busybox 1.35's wget -T crashes). A quarantined
# connect() hangs: TCP retransmits the SYN the output hook dropped.
reaches() {
	local out; out=$("$harness" exec "$1" -- timeout 3 wget -q -O - http://127.0.0.1:8080/ 2>/dev/null) || true
	[ "$out" = rampart-ok ]
}
# udp_eperm NAME: a UDP send fails with EPERM there (dropped in the output
# hook), where it normally gets "Connection refused" from the closed port
udp_eperm() {
	local out; out=$("$harness" exec "$1" -- timeout 3 nslookup x.test 127.0.0.1 2>&1) || true
	grep -q "Operation not permitted" <<<"$out"
}
host_fetch() { [ "$(timeout 5 busybox wget -q -O - "http://127.0.0.1:$1/" 2>/dev/null)" = rampart-host-ok ]; }
# gone PID: not alive within a second (a killed process may still be
# finishing its exit after it left the cgroup)
gone() {
	for _ in $(seq 100); do alive "$1" || return 0; sleep 0.01; done
	return 1
}

# --- 1. isolate, release -------------------------------------------------
"$harness" start web -- sh -c 'mkdir -p /tmp/www && echo rampart-ok >/tmp/www/index.html &&
	httpd -p 127.0.0.1:8080 -h /tmp/www && exec sleep 1000000' >/dev/null
id=$("$harness" id web)
pid=$("$harness" pid web)
cg=$(cgroup_of "$pid")
echo "web: container $id init $pid cgroup $cg"
for _ in $(seq 50); do reaches web && break; sleep 0.1; done
if reaches web; then ok "before isolation the container reaches 127.0.0.1:8080"
else bad "before isolation the container cannot reach 127.0.0.1:8080"; fi
udp_eperm web && bad "UDP fails with EPERM before isolation" || ok "UDP not blocked before isolation"
# the init (sleep) and the server, not the exec'd probes
web_procs=$(for p in $(procs_of "$cg"); do if grep -qxE 'sleep|httpd' "/proc/$p/comm" 2>/dev/null; then echo "$p"; fi; done)
[ "$(echo $web_procs | wc -w)" = 2 ] || bad "web: want sleep and httpd, have $web_procs"

expect "isolate" "done" isolate "$id" "$cg" "$pid"
reaches web && bad "isolated container still reaches 127.0.0.1:8080" || ok "isolated: TCP connect fails"
udp_eperm web && ok "isolated: UDP send fails with EPERM" || bad "isolated, but UDP sends do not get EPERM"
for p in $web_procs; do
	if alive "$p"; then ok "process $p ($(cat "/proc/$p/comm")) still running"; else bad "process $p died"; fi
done
if [ -f "$state/$id" ] && grep -qx "cgroup $cg" "$state/$id"; then ok "isolation recorded"
else bad "no record $state/$id"; fi
# a pid outside the container (ours) is not used: its namespace is the host's
expect "isolate again (pid not in the container)" already_done isolate "$id" "$cg" "$$"
if reaches web; then bad "still isolated after isolate again"; else ok "still isolated"; fi

out=$(drv release "$id")
if [ "${out%%:*}" = released ]; then ok "release: $out"; else bad "release: $out"; fi
if reaches web; then ok "after release the container reaches 127.0.0.1:8080 again"
else bad "after release the container still cannot reach 127.0.0.1:8080"; fi
udp_eperm web && bad "UDP still fails with EPERM after release" || ok "UDP not blocked after release"
[ ! -e "$state/$id" ] && ok "record removed" || bad "record $state/$id left behind"
out=$(drv release "$id")
[ "${out%%:*}" = not_isolated ] && ok "release again: $out" || bad "release again: $out"

# --- 2. host network -------------------------------------------------------
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/www" && echo rampart-host-ok >"$work/www/index.html"
busybox httpd -f -p "127.0.0.1:$port" -h "$work/www" &
httpd_pid=$!
"$harness" start hostnet --host-network >/dev/null
hid=$("$harness" id hostnet)
hpid=$("$harness" pid hostnet)
hcg=$(cgroup_of "$hpid")
expect "host-network container" skipped isolate "$hid" "$hcg" "$hpid"
[ ! -e "$state/$hid" ] && ok "nothing recorded" || bad "record $state/$hid written"
[ "$("$run" table-present)" = absent ] && ok "no quarantine table on the host" || bad "quarantine table on the host"
for _ in $(seq 50); do host_fetch "$port" && break; sleep 0.1; done
if host_fetch "$port"; then ok "host loopback works"
else bad "host loopback broken"; fi
alive "$hpid" && ok "host-network container still running" || bad "host-network container died"

# --- 3. terminate ------------------------------------------------------------
"$harness" start victim >/dev/null
vid=$("$harness" id victim)
vpid=$("$harness" pid victim)
vcg=$(cgroup_of "$vpid")
"$harness" exec victim --detach -- sleep 999999
"$harness" exec victim --detach -- sleep 999998
for _ in $(seq 50); do [ "$(procs_of "$vcg" | wc -l)" -ge 3 ] && break; sleep 0.1; done
# one of them in a sub-cgroup of the container's (as a container's own
# systemd or a nested runtime would make)
inner_cg=$RAMPART_CGROUP2$vcg/inner
mkdir "$inner_cg"
for p in $(procs_of "$vcg"); do
	if grep -q 999998 "/proc/$p/cmdline" 2>/dev/null; then echo "$p" >"$inner_cg/cgroup.procs"; fi
done
victims="$(procs_of "$vcg") $(procs_of "$vcg/inner")"
n=$(echo $victims | wc -w)
echo "victim: container $vid init $vpid cgroup $vcg processes" $victims "(last in $vcg/inner)"
[ "$n" = 3 ] && [ -n "$(procs_of "$vcg/inner")" ] || bad "want 3 processes, one in $vcg/inner"
out=$(drv terminate "$vid" "$vcg" "$vpid")
case $out in
"done: killed $n processes"*) ok "terminate: $out" ;;
*) bad "terminate: got '$out', want done, killed $n" ;;
esac
for p in $victims; do gone "$p" && ok "process $p gone" || bad "process $p survived"; done
[ -z "$(procs_of "$vcg")$(procs_of "$vcg/inner")" ] && ok "cgroup and sub-cgroup empty" ||
	bad "cgroup still has $(procs_of "$vcg") $(procs_of "$vcg/inner")"
expect "terminate again" already_done terminate "$vid" "$vcg" "$vpid"
alive "$hpid" && ok "other containers untouched" || bad "host-network container died"

# --- 4. the actuator's own cgroup ----------------------------------------------
self_rel=/rampart-local-self.$$
self_cg=$RAMPART_CGROUP2$self_rel
mkdir -p "$self_cg/child"
# The driver runs from inside $self_rel/child and is told to kill $self_rel.
out=$(sh -c 'echo $$ >"$1/child/cgroup.procs" && exec "$2" --state-dir "$3" terminate self "$4" 0' \
	_ "$self_cg" "$run" "$state" "$self_rel") || true
case $out in
"failed: refusing to kill the root/host cgroup"*"the actuator"*) ok "own cgroup refused: $out" ;;
*) bad "own cgroup: got '$out'" ;;
esac

exit $fail
