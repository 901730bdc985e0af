#!/usr/bin/env bash
# The console's web UI in headless chromium (tests/integration/console_browser.mjs):
# a rampart-console on a loopback port with the dir store over a copy of the
# shipped rules; the browser creates a ruleset through the form. The
# screenshots stay in OUT_DIR.
#
#   test_console_browser.sh RAMPART_CONSOLE RULES_DIR SCRIPT OUT_DIR
set -euo pipefail
console=$1 rules=$2 script=$3 out=$4
root=$(cd "$(dirname "$0")/../.." && pwd)
modules=${RAMPART_CONSOLE_NODE_MODULES:-$root/.deps/console/node_modules}

[ -x /usr/bin/chromium ] || { echo "test: SKIP: /usr/bin/chromium missing (scripts/bootstrap-console)"; exit 77; }
[ -d "$modules/playwright-core" ] || { echo "test: SKIP: no playwright-core in $modules (scripts/bootstrap-console)"; exit 77; }
command -v node >/dev/null || { echo "test: SKIP: node missing"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rampart-console-browser.XXXXXX")
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$out"
rm -f "$out"/console-*.png

cp -r "$rules" "$tmp/rules"
token=admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s admin browser-test\n' "$token" >"$tmp/tokens"
chmod 600 "$tmp/tokens"
cat >"$tmp/console.yaml" <<EOC
console:
  listen: 127.0.0.1:0
  tokens_file: $tmp/tokens
  rules: [$tmp/rules/catalog, $tmp/rules/policies, $tmp/rules/clusters]
  rulesets_dir: $tmp/rules/rulesets
EOC
"$console" --config "$tmp/console.yaml" 2>"$tmp/console.log" &
pid=$!
for _ in $(seq 100); do grep -q '"console started"' "$tmp/console.log" && break; sleep 0.1; done
port=$(grep '"console started"' "$tmp/console.log" | grep -o '"port": *[0-9]*' | grep -o '[0-9]*$') ||
  { cat "$tmp/console.log"; echo "test: FAIL: the console did not start"; exit 1; }

rc=0
node "$script" "http://127.0.0.1:$port" "$token" "$out" "$modules" || rc=$?
if [ $rc -ne 0 ]; then
  echo "--- console log"; tail -n 30 "$tmp/console.log"
  exit $rc
fi
grep -q '"msg":"ruleset created".*"who":"browser-test"' "$tmp/console.log" ||
  { echo "test: FAIL: no audit line for the creation"; exit 1; }
test -f "$tmp/rules/rulesets/web.strict.yaml" || { echo "test: FAIL: web.strict.yaml not written"; exit 1; }
echo "test: screenshots in $out: $(cd "$out" && ls console-*.png | tr '\n' ' ')"
echo "test: PASS"
