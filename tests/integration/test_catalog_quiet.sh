#!/usr/bin/env bash
# The default catalog stays quiet on a healthy workload: a runc container
# (pod metadata as on a kubelet node) runs an ordinary app while
# rampart-collector records it, and replaying the recording through the
# evaluator with the recommended ruleset (recommended.v1) must give zero
# verdicts for that container.
#   test_catalog_quiet.sh rampart-collector catalog_replay capture_actions RULES_DIR
# The app: a shell script that reads its config, writes and reads temp files,
# serves HTTP with busybox httpd on loopback, fetches it from other processes
# (busybox wget on a localhost URL, which the download-tool rule excepts by
# design, and an nc client speaking HTTP the way an app's own client would),
# spawns worker processes that hash files, and sleeps. Its files are put in
# place before the collector starts, as an image's content would be; it is
# run as `sh /app/run.sh` (an image binary), so nothing is drift.
set -euo pipefail

collector=${1:?collector}; replay=${2:?catalog_replay}; rules=${4:?rules dir}
. "$(dirname "$0")/collector_test_lib.sh"
collector_test_init quiet

cat >"$work/clusters.yaml" <<'YAML'
clusters:
  - name: catalog-recommended
    orchestrator: kubernetes
    policy: recommended
YAML
cat >"$work/collector.yaml" <<YAML
node: quiet-node
cluster: catalog-recommended
collector:
  state_dirs: $RAMPART_STATE_DIR
  metrics_addr: 127.0.0.1:0
YAML

pod=catalog-web-85d4b-q7x2m ns=shop
id=$("$harness" start web --pod-name $pod --namespace $ns \
	--pod-uid 0a0b0c0d-1e1f-4a2b-8c3d-4e5f60718293 --container-name web)
echo "container $id ($ns/$pod)"
c() { "$harness" exec web "$@"; }

# --- the image's content (before capture)
c -- mkdir -p /app /srv/www
c -- sh -c 'cat > /app/app.conf' <<'EOF'
PORT=8080
WORKERS=3
GREETING="hello from the catalog quiet suite"
EOF
c -- sh -c 'cat > /app/worker.sh' <<'EOF'
# worker N: hash a scratch file, write the result, read it back
n=$1
f=$(mktemp /tmp/work.XXXXXX)
seq 1 2000 > "$f"
sha256sum "$f" | cut -d' ' -f1 > "/tmp/result.$n"
wc -l < "$f" >> "/tmp/result.$n"
cat "/tmp/result.$n" > /dev/null
rm -f "$f"
sleep 0.2
EOF
c -- sh -c 'cat > /app/run.sh' <<'EOF'
# an ordinary app: config, temp files, an HTTP server and clients, workers
. /app/app.conf
tmp=$(mktemp -d /tmp/app.XXXXXX)
echo "$GREETING" > "$tmp/state"
cat "$tmp/state" > /dev/null
echo "<html><body>$GREETING</body></html>" > /srv/www/index.html
httpd -f -p 127.0.0.1:$PORT -h /srv/www &
srv=$!
sleep 0.5
wget -q -O "$tmp/page.html" "http://127.0.0.1:$PORT/index.html"
grep -q quiet "$tmp/page.html"
printf 'GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n' | nc 127.0.0.1 $PORT > "$tmp/raw.txt"
grep -q quiet "$tmp/raw.txt"
i=1 workers=
while [ $i -le $WORKERS ]; do
	sh /app/worker.sh $i &
	workers="$workers $!"
	i=$((i + 1))
done
for w in $workers; do wait $w; done
cat /tmp/result.* > "$tmp/summary"
sleep 1
kill $srv
wait $srv 2>/dev/null || true
rm -rf "$tmp" /tmp/result.*
echo done
EOF

# --- capture
start_collector "$collector"

out=$(timeout 120 "$harness" exec web --cwd /app -- sh /app/run.sh </dev/null) || true
[ "$out" = done ] || { echo "FAIL the app did not complete: $out"; exit 1; }
c -- sleep 1

sleep 1
stop_collector
tail -n 1 "$work/collector.log"

"$replay" "$work/events.avro" --container "$id" "$rules" "$work/clusters.yaml" >"$work/verdicts.txt"
summary=$(tail -n 1 "$work/verdicts.txt")
events=$(awk '{print $3}' <<<"$summary")
verdicts=$(awk '{print $5}' <<<"$summary")
echo "recommended.v1 on the benign workload: $events events of the container, $verdicts verdicts"
[ "$events" -gt 100 ] || { echo "FAIL too few events recorded for the container ($events)"; exit 1; }
if [ "$verdicts" != 0 ]; then
	grep '^MATCH' "$work/verdicts.txt" | cut -c1-400
	echo "FAIL benign workload produced $verdicts verdicts"
	exit 1
fi
echo PASS
