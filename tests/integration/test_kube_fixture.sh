#!/usr/bin/env bash
# Run under tests/integration/with-kube. Checks that the bare kube-apiserver
# (no kubelet, scheduler or controller-manager) does what the actuator tests
# need, and that deploy/kubernetes/actuator-rbac.yaml grants the actuator
# exactly its verbs:
#   - admin by static token (kubeconfig) and by client certificate;
#   - a namespace and a pod without nodeName can be created (no ServiceAccount
#     admission blocking it, although no "default" ServiceAccount exists);
#   - `kubectl create token` (TokenRequest API) mints a token for
#     rampart/rampart-actuator that the API accepts;
#   - that token can get/list/patch/delete pods and get/create NetworkPolicies,
#     and is refused (403) everything else tried; a token of a ServiceAccount
#     with no binding is refused; a bad token is 401;
#   - a client trusting another CA refuses the server's certificate.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RAMPART_TEST_KUBE_SERVER:?run under tests/integration/with-kube}"
server=$RAMPART_TEST_KUBE_SERVER
ca=$RAMPART_TEST_KUBE_CA
kubectl=("$RAMPART_TEST_KUBECTL" --kubeconfig "$RAMPART_TEST_KUBE_ADMIN_KUBECONFIG")
ns=rampart-fixture-test
work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-kubefix.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok %d - %s\n' $((passed + failed)) "$*"; }
not_ok() { failed=$((failed + 1)); printf 'not ok %d - %s\n' $((passed + failed)) "$*"; }

# call TOKEN METHOD PATH [BODY [CONTENT-TYPE]]: prints the HTTP status; the
# response body is in $work/body. TOKEN "-" sends no Authorization header.
call() {
  local token=$1 method=$2 path=$3 body=${4:-} ctype=${5:-application/json}
  local args=(-sS --max-time 20 --cacert "$ca" -o "$work/body" -w '%{http_code}' -X "$method")
  [ "$token" = - ] || args+=(-H "Authorization: Bearer $token")
  [ -z "$body" ] || args+=(-H "Content-Type: $ctype" --data-binary "$body")
  curl "${args[@]}" "$server$path"
}

# expect STATUS DESCRIPTION TOKEN METHOD PATH [BODY [CONTENT-TYPE]]
expect() {
  local want=$1 what=$2 got; shift 2
  got=$(call "$@") || got="curl-failed($?)"
  if [ "$got" = "$want" ]; then ok "$what ($got)"
  else not_ok "$what: want HTTP $want, got $got: $(head -c 400 "$work/body" 2>/dev/null)"; fi
}

check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >"$work/out" 2>&1; then ok "$what"
  else not_ok "$what: $(tail -n 5 "$work/out")"; fi
}

start=$SECONDS

# --- admin paths ---------------------------------------------------------------
check "kubectl (admin token kubeconfig) reaches the API server" "${kubectl[@]}" get --raw /version
code=$(curl -sS --max-time 20 --cacert "$ca" --cert "$RAMPART_TEST_KUBE_CLIENT_CERT" \
  --key "$RAMPART_TEST_KUBE_CLIENT_KEY" -o "$work/body" -w '%{http_code}' "$server/api/v1/namespaces") || code=curl-failed
[ "$code" = 200 ] && ok "admin client certificate lists namespaces ($code)" ||
  not_ok "admin client certificate: HTTP $code $(head -c 300 "$work/body")"
check "kubectl applies deploy/kubernetes/actuator-rbac.yaml" \
  "${kubectl[@]}" apply -f "$root/deploy/kubernetes/actuator-rbac.yaml"
check "kubectl creates namespace $ns" "${kubectl[@]}" create namespace "$ns"

# No controller-manager: the namespace gets no "default" ServiceAccount, and
# a pod is still admitted (ServiceAccount admission is off in with-kube).
if "${kubectl[@]}" -n "$ns" get serviceaccount default >/dev/null 2>&1; then
  not_ok "namespace $ns unexpectedly has a default ServiceAccount (is a controller-manager running?)"
else
  ok "namespace $ns has no default ServiceAccount (no controller-manager)"
fi
pod_json='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"victim","labels":{"app":"victim"}},
  "spec":{"containers":[{"name":"main","image":"busybox:1.36","command":["sleep","3600"]}]}}'
check "kubectl creates a pod without nodeName" \
  bash -c 'printf "%s" "$1" | "${@:2}" -n "$0" create -f -' "$ns" "$pod_json" "${kubectl[@]}"
phase=$("${kubectl[@]}" -n "$ns" get pod victim -o 'jsonpath={.status.phase}/{.spec.nodeName}' 2>&1 || true)
[ "$phase" = Pending/ ] && ok "pod stays Pending and unscheduled" || not_ok "pod phase/node: $phase"

# --- the actuator's token ----------------------------------------------------------
if token=$("${kubectl[@]}" -n rampart create token rampart-actuator --duration=10m 2>"$work/err") &&
   [ -n "$token" ]; then
  ok "kubectl create token rampart/rampart-actuator (TokenRequest API)"
else
  not_ok "kubectl create token: $(cat "$work/err")"; token=invalid
fi

p=/api/v1/namespaces/$ns/pods
np=/apis/networking.k8s.io/v1/namespaces/$ns/networkpolicies
expect 200 "actuator token: get pod" "$token" GET "$p/victim"
expect 200 "actuator token: list pods in $ns" "$token" GET "$p"
expect 200 "actuator token: list pods in all namespaces" "$token" GET /api/v1/pods
expect 200 "actuator token: patch pod labels" "$token" PATCH "$p/victim" \
  '{"metadata":{"labels":{"rampart.io/isolated":"true"}}}' application/merge-patch+json
policy='{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",
  "metadata":{"name":"rampart-isolate"},
  "spec":{"podSelector":{"matchLabels":{"rampart.io/isolated":"true"}},"policyTypes":["Ingress","Egress"]}}'
expect 201 "actuator token: create NetworkPolicy" "$token" POST "$np" "$policy"
expect 409 "actuator token: create the same NetworkPolicy again is AlreadyExists" "$token" POST "$np" "$policy"
expect 200 "actuator token: get NetworkPolicy" "$token" GET "$np/rampart-isolate"

expect 403 "actuator token: list secrets is forbidden" "$token" GET "/api/v1/namespaces/$ns/secrets"
expect 403 "actuator token: list secrets cluster-wide is forbidden" "$token" GET /api/v1/secrets
expect 403 "actuator token: create pod is forbidden" "$token" POST "$p" "$pod_json"
expect 403 "actuator token: update pod (PUT) is forbidden" "$token" PUT "$p/victim" "$pod_json"
expect 403 "actuator token: exec into pod is forbidden" "$token" POST "$p/victim/exec?command=true&stdout=true"
expect 403 "actuator token: delete NetworkPolicy is forbidden" "$token" DELETE "$np/rampart-isolate"
expect 403 "actuator token: list NetworkPolicies is forbidden" "$token" GET "$np"
expect 403 "actuator token: list namespaces is forbidden" "$token" GET /api/v1/namespaces
expect 403 "actuator token: read its own ClusterRole is forbidden" "$token" GET \
  /apis/rbac.authorization.k8s.io/v1/clusterroles/rampart-actuator
expect 200 "actuator token: delete pod" "$token" DELETE "$p/victim"

# --- tokens without grants, bad tokens, a client trusting another CA ---------
check "kubectl creates ServiceAccount $ns/nobody" "${kubectl[@]}" -n "$ns" create serviceaccount nobody
nobody=$("${kubectl[@]}" -n "$ns" create token nobody 2>/dev/null || echo invalid)
expect 403 "token of a ServiceAccount with no binding: get pods is forbidden" "$nobody" GET "$p"
expect 401 "a made-up bearer token is unauthorized" "not-a-token" GET "$p"
expect 403 "no credentials (anonymous): list pods is forbidden" - GET "$p"

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -keyout "$work/other-ca.key" -out "$work/other-ca.crt" -days 1 -subj /CN=not-the-cluster-ca 2>/dev/null
rc=0
curl -sS --max-time 20 --cacert "$work/other-ca.crt" -H "Authorization: Bearer $token" \
  -o /dev/null "$server$p" 2>"$work/err" || rc=$?
# 60: peer certificate cannot be authenticated with the given CA certificates.
[ "$rc" = 60 ] && ok "a client trusting another CA refuses the server (curl exit $rc)" ||
  not_ok "wrong CA: want curl exit 60, got $rc: $(cat "$work/err")"

printf '# kube fixture checks took %d s\n' $((SECONDS - start))
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
