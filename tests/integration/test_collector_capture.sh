#!/usr/bin/env bash
# rampart-collector on the real kernel, against a real runc container laid
# out like containerd on a kubelet node: each capture class is triggered in
# the container and the exact event must be in the collector's recording,
# with container id, pod name/namespace/uid, process fields and drift flags.
# A host action must be absent (container-only mode is the default).
#   test_collector_capture.sh rampart-collector events_dump capture_actions
set -euo pipefail

collector=${1:?collector}; dump=${2:?events_dump}; actions=${3:?capture_actions}
. "$(dirname "$0")/collector_test_lib.sh"
collector_test_init capture

uid=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
id=$("$harness" start web --pod-name web-7c9d-xk2p --namespace shop --pod-uid "$uid" --container-name app)
echo "container $id"

cat >"$work/collector.yaml" <<YAML
node: test-node
cluster: test-cluster
collector:
  state_dirs: $RAMPART_STATE_DIR
  metrics_addr: 127.0.0.1:0
YAML
start_collector "$collector"

# Host activity: must be dropped in the kernel.
cat /etc/shadow >/dev/null
c() { "$harness" exec web "$@"; }
c -- sh -c 'cat > /tmp/capture_actions && chmod +x /tmp/capture_actions' <"$actions"
c --cwd /tmp -- busybox echo rampart-marker one two >/dev/null
c -- cat /etc/shadow >/dev/null
c -- /tmp/capture_actions connect 4444 || true
c -- /tmp/capture_actions dupsock 4445 || true
c -- /tmp/capture_actions ptrace >/dev/null
c -- /tmp/capture_actions unshare || true
c -- /tmp/capture_actions module || true
c -- /tmp/capture_actions memfd || true
c -- /tmp/capture_actions procmem || true
# runc exec --tty: the shell's controlling terminal is the pty runc made in the
# container's devpts (pts, major 136); script(1) gives runc a terminal.
# A plain exec has no controlling terminal.
if command -v script >/dev/null; then
	script -qec "$harness exec web --tty -- sh -c 'echo rampart-tty-marker'" /dev/null </dev/null >/dev/null 2>&1 || true
fi
c --env GLIBC_TUNABLES=glibc.tunables=glibc.malloc.mxfast=x --env HTTP_PROXY=http://p:3128 --env SECRET=x \
	-- busybox echo rampart-env-marker >/dev/null
sleep 1
stop_collector
cat "$work/collector.log"
"$dump" file "$work/events.avro" >"$work/events.json"
echo "$(wc -l <"$work/events.json") events recorded"

fail=0
# expect DESCRIPTION JQ-SELECT: at least one event of the container matches.
expect() {
	local n; n=$(jq -c --arg id "$id" "select(.container_id == \$id) | select($2)" "$work/events.json" | wc -l)
	if [ "$n" -gt 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
expect "exec: args, cwd, pod identity, image binary not drift" \
	'.type=="exec" and .process.args==["busybox","echo","rampart-marker","one","two"] and .process.cwd=="/tmp"
	 and .process.exe=="/bin/busybox" and .process.exe_upper_layer==false and .process.exe_from_memfd==false
	 and .pod.name=="web-7c9d-xk2p" and .pod.namespace=="shop" and .pod.uid=="'$uid'" and .container_name=="app"
	 and .node=="test-node"'
expect "open /etc/shadow read-only" \
	'.type=="open" and .args.path=="/etc/shadow" and .result>=0 and .args.flags%4==0 and .process.comm=="cat"'
# Syscall events carry the process's argv (as /proc/PID/cmdline shows it).
expect "open event: proc.args of the opener" \
	'.type=="open" and .args.path=="/etc/shadow" and .process.args==["cat","/etc/shadow"] and (.process.args_truncated // false)==false'
expect "connect event: proc.args of the connecting process" \
	'.type=="connect" and .args.remote_port==4444 and .process.args==["/tmp/capture_actions","connect","4444"]'
expect "chmod +x of the dropped binary" \
	'.type=="chmod" and .args.path=="/tmp/capture_actions" and (.args.mode%512/64|floor)%2==1'
expect "exec from the upper layer: drift flag" \
	'.type=="exec" and .process.exe=="/tmp/capture_actions" and .process.exe_upper_layer==true'
expect "connect to 127.0.0.1:4444" \
	'.type=="connect" and .args.remote_addr=="127.0.0.1" and .args.remote_port==4444 and .args.family==2'
expect "dup2 of a socket onto stdin" '.type=="dup" and .args.newfd==0 and .args.family==2'
expect "ptrace attach of a child" '.type=="ptrace" and .args.request==16 and .args.target_pid>0'
expect "unshare CLONE_NEWUTS" '.type=="unshare" and .args.ns_flags==67108864'
# finit_module: the module name is derived from the fd's path (/bin/busybox -> "busybox").
expect "finit_module attempt" '.type=="module_load" and .syscall=="finit_module" and .args.name=="busybox" and .result<0'
expect "init_module attempt" '.type=="module_load" and .syscall=="init_module" and .result<0'
expect "memfd_create" '.type=="memfd_create" and .args.name=="rampart-fileless"'
expect "fileless exec from memfd: drift flag" \
	'.type=="exec" and .process.exe_from_memfd==true and .process.args==["fileless","noop"]'
expect "open of /proc/<pid>/mem for writing" '.type=="proc_mem_write" and (.args.path|test("^/proc/[0-9]+/mem$"))'
# Environment at exec: only allow-listed names leave the kernel (collector.env
# default), in the order of the process's environment.
env_exec='.type=="exec" and .process.args==["busybox","echo","rampart-env-marker"]'
expect "exec with --env" "$env_exec"
expect "exec env: GLIBC_TUNABLES and HTTP_PROXY kept, SECRET dropped" "$env_exec and .process.env ==
	[\"GLIBC_TUNABLES=glibc.tunables=glibc.malloc.mxfast=x\", \"HTTP_PROXY=http://p:3128\"]"
if grep -qaF 'SECRET=x' "$work/events.avro"; then echo "FAIL SECRET=x left the kernel"; fail=1
else echo "ok   SECRET=x not in the recording"; fi
if command -v script >/dev/null; then
	expect "exec --tty: proc.tty is the pts device (major 136)" \
		'.type=="exec" and .process.args==["sh","-c","echo rampart-tty-marker"] and .process.tty!=0
		 and ((.process.tty/256|floor)%4096)==136'
fi
expect "exec without --tty: proc.tty 0" \
	'.type=="exec" and .process.args==["busybox","echo","rampart-marker","one","two"] and .process.tty==0'
expect "fork in the container" '.type=="fork" and .args.target_pid>0'
expect "exit in the container" '.type=="exit"'

# Processes in the host namespaces are dropped in the kernel: the host's own
# `cat /etc/shadow` must be absent. (runc's exec helper, already in the
# container's namespaces but not yet in its cgroup, is reported without a
# container id: it is not a host process.)
host=$(jq -c 'select(.container_id == "" and (.process.comm == "cat" or .args.path? == "/etc/shadow"))' \
	"$work/events.json" | wc -l)
if [ "$host" -eq 0 ]; then echo "ok   host activity filtered in container-only mode"
else echo "FAIL $host host events in container-only mode"; fail=1; fi
seqs=$(jq -s '[.[].sequence] | (max + 1) == length' "$work/events.json")
[ "$seqs" = true ] && echo "ok   sequence gap-free (no loss)" || { echo "FAIL sequence gaps"; fail=1; }
[ $fail = 0 ] || cp "$work/events.json" /tmp/collector_capture_events.json
exit $fail
