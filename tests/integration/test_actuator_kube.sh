#!/usr/bin/env bash
# The actuator's Kubernetes driver against a real kube-apiserver (run under
# tests/integration/with-kube). Sets up what a cluster operator would: the
# least-privilege RBAC of deploy/kubernetes/actuator-rbac.yaml, a token for
# rampart/rampart-actuator, a second service account with no rights, and
# one kubeconfig per way of authenticating; then test_kube_driver acts
# through the driver and checks the API's state after each action.
#   test_actuator_kube.sh PATH/TO/test_kube_driver
set -euo pipefail

driver=${1:?usage: test_actuator_kube.sh test_kube_driver}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/kube_stub_lib.sh"
: "${RAMPART_TEST_KUBE_SERVER:?run under tests/integration/with-kube}"

work=$RAMPART_TEST_KUBE_DIR/actuator-kube
mkdir -p "$work"
k() { "$RAMPART_TEST_KUBECTL" --kubeconfig "$RAMPART_TEST_KUBE_ADMIN_KUBECONFIG" "$@"; }
b64() { base64 -w0 <"$1"; }

k apply -f "$root/deploy/kubernetes/actuator-rbac.yaml" >/dev/null
k create serviceaccount nobody -n rampart >/dev/null
k create namespace shop >/dev/null
sa_token=$(k create token rampart-actuator -n rampart --duration=1h)
nobody_token=$(k create token nobody -n rampart --duration=1h)

# kubeconfig NAME CLUSTER-BODY USER-BODY (bodies indented for "cluster:"/"user:")
kubeconfig() {
  cat >"$work/$1.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
$2
users:
- name: $1
  user:
$3
contexts:
- name: test
  context:
    cluster: test
    user: $1
current-context: test
KC
  chmod 600 "$work/$1.kubeconfig"
}

ca_file="    server: $RAMPART_TEST_KUBE_SERVER
    certificate-authority: $RAMPART_TEST_KUBE_CA"
ca_data="    server: $RAMPART_TEST_KUBE_SERVER
    certificate-authority-data: $(b64 "$RAMPART_TEST_KUBE_CA")"

# A CA that has nothing to do with the API server's certificate.
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 1 \
  -subj /CN=unrelated-ca -keyout "$work/other-ca.key" -out "$work/other-ca.crt" 2>/dev/null

# An exec credential plugin, as EKS/AKS/GKE kubeconfigs use, printing the
# service account's token (written next to it) as an ExecCredential.
printf '%s' "$sa_token" >"$work/plugin-token"
cat >"$work/token-plugin.sh" <<'SH'
#!/bin/sh
case "$KUBERNETES_EXEC_INFO" in *'"kind":"ExecCredential"'*) ;; *) echo "no KUBERNETES_EXEC_INFO" >&2; exit 2;; esac
printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"%s"}}\n' \
  "$(cat "$(dirname "$0")/$1")"
SH
chmod 700 "$work/token-plugin.sh"

kubeconfig sa "$ca_file" "    token: $sa_token"
kubeconfig nobody "$ca_file" "    token: $nobody_token"
kubeconfig wrong-ca "    server: $RAMPART_TEST_KUBE_SERVER
    certificate-authority-data: $(b64 "$work/other-ca.crt")" "    token: $sa_token"
kubeconfig client-cert "$ca_data" "    client-certificate-data: $(b64 "$RAMPART_TEST_KUBE_CLIENT_CERT")
    client-key-data: $(b64 "$RAMPART_TEST_KUBE_CLIENT_KEY")"
kubeconfig exec "$ca_file" "    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./token-plugin.sh
      args: [plugin-token]
      interactiveMode: Never"
# The same, but its credential is always expired, so it runs before every
# request: run number $(cat race-at) first runs race-hook.sh, which the test
# writes to change the pod between the driver's GET and its write.
cat >"$work/race-plugin.sh" <<'SH'
#!/bin/sh
d=$(dirname "$0")
n=$(( $(cat "$d/race-count" 2>/dev/null || echo 0) + 1 ))
echo "$n" >"$d/race-count"
if [ "$n" = "$(cat "$d/race-at" 2>/dev/null)" ]; then "$d/race-hook.sh" >&2 || exit 1; fi
printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"%s","expirationTimestamp":"2000-01-01T00:00:00Z"}}\n' \
  "$(cat "$d/plugin-token")"
SH
chmod 700 "$work/race-plugin.sh"
kubeconfig race "$ca_file" "    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./race-plugin.sh
      interactiveMode: Never"
kubeconfig token-file "$ca_file" "    tokenFile: token-file"
printf 'not-a-valid-token' >"$work/token-file"
kubeconfig down "    server: https://127.0.0.1:1
    certificate-authority: $RAMPART_TEST_KUBE_CA" "    token: $sa_token"
printf '%s' "$sa_token" >"$work/sa-token"

# A stand-in API server for the answers a healthy kube-apiserver will not
# give on demand: GET .../pods/status-NNN answers NNN with a Status body.
# It serves the real API server's certificate (valid for 127.0.0.1), so TLS
# verification against the fixture's CA passes; every request is logged.
run_kube_stub "$work" <<'PY'
import http.server, json, kube_stub, os, re, sys
pki, work = sys.argv[1:3]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join(work, "stub.log"), "a") as log:
            log.write("%s %s %s\n" % (self.command, self.path, self.headers.get("Authorization", "")))
        m = re.search(r"/pods/status-(\d+)$", self.path)
        code = int(m.group(1)) if m else 404
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                           "message": "stub says %d" % code, "code": code}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
kube_stub.serve_tls(H, pki, work)
PY
kubeconfig stub "    server: https://127.0.0.1:$(cat "$work/stub.port")
    certificate-authority: $RAMPART_TEST_KUBE_CA" "    tokenFile: sa-token"

export RAMPART_TEST_KUBE_WORK=$work
"$driver"
