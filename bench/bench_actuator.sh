#!/usr/bin/env bash
# The actuator against real local API servers (bench_actuator.c), set up as
# an operator would: the least-privilege RBAC of
# deploy/kubernetes/actuator-rbac.yaml and a token of its service account;
# on ECS, tasks running in moto and a cluster entry allowing terminate.
#   tests/integration/with-kube bench/bench_actuator.sh kube BUILD_DIR [N]
#   tests/integration/with-moto bench/bench_actuator.sh ecs BUILD_DIR [N]
# N actions of each kind (default 500 pods, 200 tasks), plus one warm-up.
# Sourced (bench_actuator_kafka.sh), it only defines kube_setup and
# kube_pods.
set -euo pipefail
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

kctl() { "$RAMPART_TEST_KUBECTL" --kubeconfig "$RAMPART_TEST_KUBE_ADMIN_KUBECONFIG" "$@"; }

# kube_setup DIR: the actuator's RBAC and $DIR/sa.kubeconfig, which holds a
# token of rampart/rampart-actuator (the identity the driver acts as).
kube_setup() {
  local dir=$1 token
  : "${RAMPART_TEST_KUBE_SERVER:?run under tests/integration/with-kube}"
  kctl apply -f "$bench_root/deploy/kubernetes/actuator-rbac.yaml" >/dev/null
  token=$(kctl create token rampart-actuator -n rampart --duration=2h)
  (umask 077 && cat >"$dir/sa.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster:
    server: $RAMPART_TEST_KUBE_SERVER
    certificate-authority: $RAMPART_TEST_KUBE_CA
users:
- name: rampart-actuator
  user:
    token: $token
contexts:
- name: bench
  context: {cluster: bench, user: rampart-actuator}
current-context: bench
KC
  )
}

# kube_pods DIR NAMESPACE PREFIX COUNT: creates the namespace and COUNT pods
# in one kubectl call (a multi-document file; they stay Pending: no kubelet
# here); prints "name uid" of each, in creation order.
kube_pods() {
  local dir=$1 ns=$2 prefix=$3 count=$4 i
  kctl get namespace "$ns" >/dev/null 2>&1 || kctl create namespace "$ns" >/dev/null
  for i in $(seq 0 $((count - 1))); do
    printf -- '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: %s-%d\n  namespace: %s\n  labels: {app: %s}\nspec:\n  containers:\n  - {name: app, image: busybox}\n' \
      "$prefix" "$i" "$ns" "$prefix"
  done >"$dir/$prefix.yaml"
  kctl create -f "$dir/$prefix.yaml" >/dev/null
  kctl get pods -n "$ns" -l "app=$prefix" --sort-by=.metadata.creationTimestamp \
    -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.uid}{"\n"}{end}'
}

bench_kube() {
  local build=$1 n=$2 dir=$3 t
  kube_setup "$dir"
  t=$SECONDS
  kube_pods "$dir" bench pod $((n + 1)) >"$dir/pods.txt"
  echo "created $((n + 1)) pods in $((SECONDS - t)) s"
  "$build/bench/bench_actuator" kube "$dir/sa.kubeconfig" bench <"$dir/pods.txt"
}

# ECS: moto places tasks only on registered container instances with room,
# so the benchmark's task definition asks for almost nothing; every task
# stays RUNNING until stopped (moto's manual state progression).
ecs_tasks() {
  "${RAMPART_MOTO_PYTHON:?run under tests/integration/with-moto}" - "$bench_root/tests/integration" "$1" "$2" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import ecs_moto_fixture as f
cluster, n = sys.argv[2], int(sys.argv[3])
ecs, ec2 = f.client("ecs"), f.client("ec2")
f.moto_api("state-manager/set-transition", json.dumps(
    {"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1000000}}).encode())
f.ensure_capacity(ecs, ec2, cluster)
ecs.register_task_definition(family="bench", containerDefinitions=[
    {"name": "app", "image": "busybox", "memory": 1, "cpu": 1, "essential": True}])
left = n
while left:
    run = ecs.run_task(cluster=cluster, taskDefinition="bench", count=min(10, left))
    if run.get("failures") or not run["tasks"]:
        sys.exit("run_task failed: %s" % run.get("failures"))
    for t in run["tasks"]:
        print(t["taskArn"])
    left -= len(run["tasks"])
PY
}

bench_ecs() {
  local build=$1 n=$2 dir=$3 t
  : "${RAMPART_TEST_ECS_ENDPOINT:?run under tests/integration/with-moto}"
  t=$SECONDS
  # ecs-current: the shipped cluster entry with protection 2.10.0, where
  # the action table allows terminate.
  ecs_tasks ecs-current $((n + 1)) >"$dir/tasks.txt"
  echo "started $((n + 1)) tasks in $((SECONDS - t)) s"
  "$build/bench/bench_actuator" ecs "$RAMPART_TEST_ECS_ENDPOINT" "$bench_root/rules" ecs-current <"$dir/tasks.txt"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  mode=${1:?usage: bench_actuator.sh kube|ecs BUILD_DIR [N]}
  build=$(cd "${2:?build dir}" && pwd)
  work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-bench-act.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  case $mode in
    kube) bench_kube "$build" "${3:-500}" "$work" ;;
    ecs) bench_ecs "$build" "${3:-200}" "$work" ;;
    *) echo "bench_actuator.sh: unknown mode $mode (kube, ecs)" >&2; exit 2 ;;
  esac
fi
