#!/usr/bin/env bash
# Container identity against real runc containers laid out as containerd on
# a kubelet node (tests/integration/container/rampart-container): the init
# process's cgroup v2 id must resolve to the container id, pod
# name/namespace/uid, container name, image and privileged status the
# bundle says; a host process must resolve to in_container=false.
#   test_identity_runc.sh PATH/TO/identity_probe
set -euo pipefail

probe=${1:?usage: test_identity_runc.sh identity_probe}
here=$(cd "$(dirname "$0")" && pwd)
harness=${RAMPART_CONTAINER:-$here/container/rampart-container}

if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || ! command -v jq >/dev/null; then
	echo "SKIP: needs root, runc and jq"; exit 77
fi

export RAMPART_CONTAINER_ROOT
RAMPART_CONTAINER_ROOT=$(mktemp -d /run/rampart-identity-test.XXXXXX)
cleanup() {
	"$harness" stop-all || true
	rm -rf "$RAMPART_CONTAINER_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$("$harness" paths)"   # RAMPART_STATE_DIR, RAMPART_RUNC_ROOT, RAMPART_CGROUP2

fail=0
check() { # json jq-filter expected description
	local got; got=$(jq -r "$2" <<<"$1")
	if [ "$got" = "$3" ]; then echo "ok   $4"
	else echo "FAIL $4: got '$got', want '$3'"; fail=1; fi
}
probe_pid() { "$probe" --state-dir "$RAMPART_STATE_DIR" --cluster prod-eu-1 --pid "$1"; }

uid=5b0e7c1e-3d2a-4f6b-9e8d-7c6b5a493827
id=$("$harness" start web --pod-name web-6f7d9c-abcde --namespace shop --pod-uid "$uid" \
	--container-name nginx --image registry.example.com/shop/nginx:1.25.3)
pid=$("$harness" pid web)
cgpath=$("$harness" cgroup web)
echo "container $id init $pid cgroup2 $cgpath"
[ "$cgpath" = "/kubepods/besteffort/pod$uid/$id" ] || { echo "FAIL cgroup path $cgpath"; exit 1; }
cgid=$(stat -c %i "$RAMPART_CGROUP2$cgpath")

j=$(probe_pid "$pid"); echo "$j"
check "$j" .cgroup_id "$cgid" "cgroup id is the inode of the cgroup2 dir"
check "$j" .cgroup_path "$cgpath" "cgroup path"
check "$j" .in_container true "in container"
check "$j" .metadata_found true "bundle found"
check "$j" .container_id "$id" "container id"
check "$j" .event_container_id "$id" "event container id"
check "$j" .container_name nginx "container name"
check "$j" .pod_name web-6f7d9c-abcde "pod name"
check "$j" .pod_namespace shop "pod namespace"
check "$j" .pod_uid "$uid" "pod uid"
check "$j" .image registry.example.com/shop/nginx:1.25.3 "image"
check "$j" '.image_digest | test("^sha256:[0-9a-f]{64}$")' true "image digest"
check "$j" .privileged false "not privileged"
check "$j" .runtime containerd "runtime"
check "$j" .workload pod "workload kind"
check "$j" .cluster prod-eu-1 "cluster from config"

# A process exec'd into the container is the same container.
"$harness" exec web --detach --pid-file "$RAMPART_CONTAINER_ROOT/exec.pid" -- sleep 300
j=$(probe_pid "$(cat "$RAMPART_CONTAINER_ROOT/exec.pid")")
check "$j" .container_id "$id" "exec'd process: container id"
check "$j" .pod_name web-6f7d9c-abcde "exec'd process: pod name"

# Found through runc's state.json (bundle= label) as well.
j=$("$probe" --state-dir "$RAMPART_RUNC_ROOT" --pid "$pid")
check "$j" .pod_uid "$uid" "bundle via runc state.json"

# No bundle anywhere: what the cgroup path tells, never nothing.
j=$("$probe" --state-dir /nonexistent --pid "$pid")
check "$j" .metadata_found false "no bundle: metadata_found"
check "$j" .container_id "$id" "no bundle: container id from the path"
check "$j" .pod_uid "$uid" "no bundle: pod uid from the path"
check "$j" .workload pod "no bundle: still a pod"

# Privileged container, guaranteed QoS (/kubepods/pod<uid>/<id>).
pid2=$("$harness" start priv --privileged --qos guaranteed --namespace kube-system \
	--container-name agent >/dev/null && "$harness" pid priv)
id2=$("$harness" id priv)
j=$(probe_pid "$pid2"); echo "$j"
check "$j" .container_id "$id2" "privileged: container id"
check "$j" '.cgroup_path | startswith("/kubepods/pod")' true "guaranteed QoS path"
check "$j" .privileged true "privileged"
check "$j" .pod_namespace kube-system "privileged: namespace"

# Host processes.
j=$(probe_pid $$); echo "$j"
check "$j" .in_container false "host process (this shell)"
check "$j" .container_id "" "host process: no container id"
check "$j" .workload none "host process: no workload"
j=$(probe_pid 1)
check "$j" .in_container false "host process (pid 1)"

# After stop the cgroup is gone: nothing resolves to the old container.
"$harness" stop web
[ ! -d "$RAMPART_CGROUP2$cgpath" ] || { echo "FAIL cgroup dir survived stop"; fail=1; }
j=$("$probe" --state-dir "$RAMPART_STATE_DIR" --cgroup-id "$cgid" || true)
check "$j" .in_container false "stopped container's cgroup id"
check "$j" .cgroup_path "" "stopped container's cgroup path"
! grep -q "/$id/rootfs" /proc/self/mounts || { echo "FAIL mount left after stop"; fail=1; }
"$harness" stop-all
! grep -q "$RAMPART_CONTAINER_ROOT" /proc/self/mounts || { echo "FAIL mounts left after stop-all"; fail=1; }
[ -z "$(ls "$RAMPART_RUNC_ROOT")" ] || { echo "FAIL runc state left after stop-all"; fail=1; }

exit $fail
