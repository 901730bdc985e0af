#!/usr/bin/env bash
# The collector's pod watcher (collector/pod_watch*.c) against a real
# kube-apiserver (run under tests/integration/with-kube). Sets up what a
# cluster operator would: deploy/kubernetes/collector-rbac.yaml, whose grants
# are checked here (pods get/list/watch and nothing else), a token minted for
# rampart/rampart-collector, a ServiceAccount with no rights, and a stand-in
# API server for what a healthy kube-apiserver will not do on demand (503,
# a 410 in the middle of a watch). Then test_pod_watch runs the watcher and
# an identity cache on it, changing pods with kubectl as it goes.
#   test_pod_watch.sh PATH/TO/test_pod_watch
set -euo pipefail

prog=${1:?usage: test_pod_watch.sh test_pod_watch}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/kube_stub_lib.sh"
: "${RAMPART_TEST_KUBE_SERVER:?run under tests/integration/with-kube}"

work=$RAMPART_TEST_KUBE_DIR/pod-watch
mkdir -p "$work"
k() { "$RAMPART_TEST_KUBECTL" --kubeconfig "$RAMPART_TEST_KUBE_ADMIN_KUBECONFIG" "$@"; }

k apply -f "$root/deploy/kubernetes/collector-rbac.yaml" >/dev/null
k create serviceaccount nobody -n rampart >/dev/null
k create namespace shop >/dev/null

# --- least privilege: exactly pods get/list/watch -----------------------------
sa=system:serviceaccount:rampart:rampart-collector
can() { k auth can-i "$@" --as="$sa" 2>/dev/null || true; }
for verb in get list watch; do
  [ "$(can "$verb" pods -A)" = yes ] || { echo "rampart-collector may not $verb pods" >&2; exit 1; }
done
for denied in "create pods -n shop" "patch pods -n shop" "delete pods -n shop" "create pods --subresource=exec -n shop" \
              "get secrets -n shop" "list nodes" "list configmaps -A" "watch events -A" "get pods --subresource=log -n shop"; do
  # shellcheck disable=SC2086
  [ "$(can $denied)" = no ] || { echo "rampart-collector may $denied" >&2; exit 1; }
done
echo "ok - collector-rbac.yaml grants pods get/list/watch and nothing else tried"

token=$(k create token rampart-collector -n rampart --duration=1h)
printf '%s' "$token" >"$work/collector-token"
printf '%s' "$(k create token nobody -n rampart --duration=1h)" >"$work/nobody-token"
printf 'not-a-valid-token' >"$work/rotating-token"

# kubeconfig NAME SERVER TOKEN-FILE
kubeconfig() {
  cat >"$work/$1.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: $2
    certificate-authority: $RAMPART_TEST_KUBE_CA
users:
- name: $1
  user:
    tokenFile: $3
contexts:
- name: test
  context:
    cluster: test
    user: $1
current-context: test
KC
  chmod 600 "$work/$1.kubeconfig"
}
kubeconfig rotating "$RAMPART_TEST_KUBE_SERVER" rotating-token
kubeconfig nobody "$RAMPART_TEST_KUBE_SERVER" nobody-token

# --- a stand-in API server ----------------------------------------------------
# It serves the real API server's certificate (valid for 127.0.0.1), so TLS
# verification against the fixture's CA passes. Script, in request order:
#   1st request          503 (the watcher backs off and lists again)
#   LIST 1               rv 10: stub-a (v=1)
#   WATCH 1 (rv 10)      ADDED stub-c at rv 11, then ERROR 410 -> relist
#   LIST 2               rv 20: stub-a (v=2), stub-b (stub-c is gone)
#   WATCH 2 (rv 20)      BOOKMARK rv 25, then held to timeoutSeconds
#   WATCH 3.. (rv 25)    held to timeoutSeconds
# Every request line and Authorization header goes to stub.log.
run_kube_stub "$work" <<'PY'
import http.server, json, kube_stub, os, sys, threading, time, urllib.parse
pki, work = sys.argv[1:3]
state = {"requests": 0, "lists": 0, "watches": 0}
lock = threading.Lock()

def pod(uid, labels, rv):
    return {"kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": uid, "namespace": "stub", "uid": uid, "resourceVersion": rv, "labels": labels},
            "spec": {"nodeName": "node-a", "serviceAccountName": "stub-sa"}, "status": {"phase": "Running"}}

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def do_GET(self):
        with lock:
            state["requests"] += 1
            n = state["requests"]
            with open(os.path.join(work, "stub.log"), "a") as log:
                log.write("%s %s\n" % (self.path, self.headers.get("Authorization", "")))
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        if n == 1:
            return self.reply(503, {"kind": "Status", "status": "Failure", "message": "stub unavailable", "code": 503})
        if "watch" not in q:
            with lock:
                state["lists"] += 1
                first = state["lists"] == 1
            items = [pod("stub-a", {"v": "1"}, "9")] if first else [pod("stub-a", {"v": "2"}, "18"), pod("stub-b", {}, "19")]
            return self.reply(200, {"kind": "PodList", "apiVersion": "v1",
                                    "metadata": {"resourceVersion": "10" if first else "20"}, "items": items})
        with lock:
            state["watches"] += 1
            w = state["watches"]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if w == 1:
            self.line({"type": "ADDED", "object": pod("stub-c", {}, "11")})
            self.line({"type": "ERROR", "object": {"kind": "Status", "status": "Failure", "reason": "Expired",
                                                   "message": "too old resource version: 10 (15)", "code": 410}})
            return
        if w == 2:
            self.line({"type": "BOOKMARK", "object": {"kind": "Pod", "metadata": {"resourceVersion": "25"}}})
        time.sleep(float(q.get("timeoutSeconds", ["1"])[0]))
    def line(self, obj):
        self.wfile.write((json.dumps(obj) + "\n").encode())
        self.wfile.flush()
    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

kube_stub.serve_tls(H, pki, work)
PY
printf '%s' "$token" >"$work/stub-token"
kubeconfig stub "https://127.0.0.1:$(cat "$work/stub.port")" stub-token

export RAMPART_TEST_POD_WATCH_WORK=$work
"$prog"
