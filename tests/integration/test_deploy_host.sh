#!/usr/bin/env bash
# The host and image artefacts (no API server needed):
#   - deploy/systemd/*.service pass `systemd-analyze verify` with their
#     ExecStart pointed at the built binaries (any warning fails), carry the
#     hardening they promise (the collector's capability bounding set is
#     exactly CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE CAP_SYS_PTRACE, the
#     evaluator has none and a dynamic user), and `systemd-analyze security
#     --offline` rates none of them worse than MEDIUM. Without systemd-analyze
#     that part is skipped with a message;
#   - deploy/docker/Dockerfile.*: every COPY --from names an earlier stage,
#     every COPY source exists in the repository and is not excluded by the
#     Dockerfile's .dockerignore, the final stage is debian:12-slim, the
#     evaluator and actuator run as a non-root USER, the entrypoint binary is
#     copied into the final stage, and the runtime packages provide every
#     shared library the built binaries and librdkafka need (readelf NEEDED ->
#     dpkg -S); build.sh is valid sh;
#   - deploy/config/*.yaml, and the daemon configs the Helm chart renders, use
#     only keys the daemons' --help documents.
#
#   test_deploy_host.sh COLLECTOR EVALUATOR ACTUATOR RAMPART_CLI
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# = 4 ] || { echo "usage: test_deploy_host.sh COLLECTOR EVALUATOR ACTUATOR RAMPART_CLI" >&2; exit 2; }
collector=$(realpath "$1")
evaluator=$(realpath "$2")
actuator=$(realpath "$3")
rampart=$(realpath "$4")
helm=${RAMPART_HELM:-$root/.deps/helm/bin/helm}
work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-deploy-host.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok %d - %s\n' $((passed + failed)) "$*"; }
not_ok() { failed=$((failed + 1)); printf 'not ok %d - %s\n' $((passed + failed)) "$*"; }
check() {
  local what=$1; shift
  if "$@" >"$work/out" 2>&1; then ok "$what"
  else not_ok "$what: $(tail -n 8 "$work/out")"; fi
}
unit_has() { grep -qxF -- "$2" "$root/deploy/systemd/$1"; }

# --- systemd ------------------------------------------------------------------
units=(rampart-collector.service rampart-evaluator.service rampart-actuator.service rampart-run.service)
for u in "${units[@]}"; do
  [ -f "$root/deploy/systemd/$u" ] && ok "deploy/systemd/$u exists" || not_ok "deploy/systemd/$u missing"
done
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$work/units"
  for u in "${units[@]}"; do
    sed -e "s#^ExecStart=/usr/local/bin/rampart-collector #ExecStart=$collector #" \
        -e "s#^ExecStart=/usr/local/bin/rampart-evaluator #ExecStart=$evaluator #" \
        -e "s#^ExecStart=/usr/local/bin/rampart-actuator #ExecStart=$actuator #" \
        -e "s#^ExecStart=/usr/local/bin/rampart #ExecStart=$rampart #" \
        "$root/deploy/systemd/$u" >"$work/units/$u"
  done
  (cd "$work/units" && systemd-analyze verify "${units[@]}") >"$work/verify" 2>&1 && rc=0 || rc=$?
  if [ "$rc" = 0 ] && ! grep -q . "$work/verify"; then ok "systemd-analyze verify: the four units, no warning"
  else not_ok "systemd-analyze verify (exit $rc): $(head -n 10 "$work/verify")"; fi
  printf '[Service]\nExecStart=/bin/true\nBogusKey=1\n' >"$work/units/bogus.service"
  (cd "$work/units" && systemd-analyze verify bogus.service) >"$work/verify" 2>&1 || true
  grep -q "Unknown key" "$work/verify" && ok "systemd-analyze verify reports an unknown key (the check above bites)" ||
    not_ok "systemd-analyze verify did not report an unknown key: $(cat "$work/verify")"
  for u in "${units[@]}"; do
    level=$(cd "$work/units" && systemd-analyze security --offline=true "$u" 2>/dev/null |
      sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p') || true
    case ${level#* } in
    OK | MEDIUM) ok "systemd-analyze security --offline: $u exposure $level" ;;
    *) not_ok "systemd-analyze security --offline: $u exposure '$level' (want OK or MEDIUM)" ;;
    esac
  done
else
  echo "# systemd-analyze not found: skipping systemd-analyze verify/security of deploy/systemd (static checks still run)"
fi
unit_has rampart-collector.service "CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE CAP_SYS_PTRACE" &&
  ok "collector unit: capability bounding set is exactly what eBPF and /proc need" ||
  not_ok "collector unit: CapabilityBoundingSet is not CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE CAP_SYS_PTRACE"
unit_has rampart-evaluator.service "CapabilityBoundingSet=" && unit_has rampart-evaluator.service "DynamicUser=yes" &&
  ok "evaluator unit: no capabilities, dynamic non-root user" || not_ok "evaluator unit: capabilities or user"
for u in "${units[@]}"; do
  for line in "Restart=on-failure" "NoNewPrivileges=yes" "ProtectSystem=strict" "EnvironmentFile=-/etc/rampart/rampart.env"; do
    unit_has "$u" "$line" && ok "$u: $line" || not_ok "$u: lacks $line"
  done
  grep -q '^ExecStart=/usr/local/bin/rampart[a-z-]* .*--config /etc/rampart/' "$root/deploy/systemd/$u" &&
    ok "$u: starts the installed binary with its /etc/rampart config" || not_ok "$u: ExecStart"
done

# --- Dockerfiles and configs ---------------------------------------------------------
for b in "$collector" "$evaluator" "$actuator" "$rampart" "$root/.deps/librdkafka/lib/librdkafka.so.1"; do
  printf '%s' "${b##*/}:"
  readelf -d "$b" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r lib; do
    # The dynamic loader is listed by path, not name; it is libc6's.
    case $lib in ld-linux*) printf ' %s=libc6' "$lib"; continue ;; esac
    path=$(ldd "$b" | awk -v l="$lib" '$1 == l { print $3 }')
    pkg=$( [ -n "$path" ] && dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1 ||
           dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    printf ' %s=%s' "$lib" "${pkg:-?}"
  done
  echo
done >"$work/needed"
check "build.sh is valid sh" sh -n "$root/deploy/docker/build.sh"
"$collector" --help >"$work/help-collector.txt" 2>&1 || true
"$evaluator" --help >"$work/help-evaluator.txt" 2>&1 || true
"$actuator" --help >"$work/help-actuator.txt" 2>&1 || true
"$rampart" run --help >"$work/help-run.txt" 2>&1 || true
chart_cfg=""
if [ -x "$helm" ]; then
  "$helm" template rampart "$root/deploy/helm/rampart" --namespace rampart --show-only templates/configmap-config.yaml \
    -f "$root/deploy/helm/rampart/ci/full-values.yaml" >"$work/chart-config.yaml" && chart_cfg=$work/chart-config.yaml
else
  echo "# no helm ($helm): the chart's rendered configs are checked by test_deploy_kube.sh only when it has one"
fi

python3 - "$root" "$work" "$chart_cfg" <<'PYEOF' >"$work/py.out" 2>&1 || true
import fnmatch, os, re, sys

root, work, chart_cfg = sys.argv[1:4]
passed = failed = 0


def check(cond, what, detail=None):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok - {what}")
    else:
        failed += 1
        print(f"not ok - {what}" + ("" if detail is None else f": {detail}"))
    return cond


# --- Dockerfiles
needed = {}
for line in open(os.path.join(work, "needed")):
    name, _, rest = line.partition(":")
    needed[name] = dict(x.split("=", 1) for x in rest.split())
base = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "liblzma5", "libzstd1"}
bins = {"collector": ["rampart-collector"], "evaluator": ["rampart-evaluator", "rampart"], "actuator": ["rampart-actuator"]}
for comp, binaries in bins.items():
    path = os.path.join(root, "deploy", "docker", f"Dockerfile.{comp}")
    if not check(os.path.exists(path), f"Dockerfile.{comp} exists"):
        continue
    text = open(path).read().replace("\\\n", " ")
    lines = [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]
    ignore_path = path + ".dockerignore"
    ignores = [l.strip() for l in open(ignore_path) if l.strip() and not l.startswith("#")] if os.path.exists(ignore_path) else []
    check({".deps", ".git"} <= set(ignores) and any(i.startswith("build") for i in ignores),
          f"Dockerfile.{comp}: its .dockerignore keeps .git, .deps and build trees out of the context", ignores)
    stages, final, users, copies_final, apt_final = [], None, [], [], set()
    for l in lines:
        ins, _, args = l.partition(" ")
        ins = ins.upper()
        if ins == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", args, re.I)
            stages.append(m.group(2))
            final = {"image": m.group(1), "name": m.group(2)}
            users, copies_final, apt_final = [], [], set()
        elif ins == "COPY":
            parts = args.split()
            frm = [p.split("=", 1)[1] for p in parts if p.startswith("--from=")]
            srcs = [p for p in parts if not p.startswith("--")][:-1]
            if frm:
                check(frm[0] in stages[:-1], f"Dockerfile.{comp}: COPY --from={frm[0]} names an earlier stage", stages)
            else:
                for s in srcs:
                    p = os.path.join(root, s.rstrip("/"))
                    check(s == "." or os.path.exists(p), f"Dockerfile.{comp}: COPY source {s} exists")
                    check(not any(fnmatch.fnmatch(s.rstrip("/"), i) for i in ignores),
                          f"Dockerfile.{comp}: COPY source {s} is not excluded by .dockerignore")
            copies_final.append(args)
        elif ins == "USER":
            users.append(args.strip())
        elif ins == "RUN" and "apt-get install" in args:
            apt_final |= {w for w in args.split() if re.fullmatch(r"lib[a-z0-9.+-]+|ca-certificates", w)}
        elif ins == "ENTRYPOINT":
            entry = args
    check(final and final["image"] == "debian:12-slim", f"Dockerfile.{comp}: final stage debian:12-slim", final)
    check(len(stages) >= 2, f"Dockerfile.{comp}: multi-stage (builder + runtime)")
    user = users[-1] if users else ""
    uid = user.split(":")[0]
    if comp == "collector":
        check(uid in ("0", "root"), f"Dockerfile.collector: runs as root, documented (eBPF needs uid 0)", user)
    else:
        check(uid not in ("", "0", "root"), f"Dockerfile.{comp}: non-root USER", user)
    check(any(binaries[0] in c for c in copies_final) and binaries[0] in entry,
          f"Dockerfile.{comp}: {binaries[0]} copied into the runtime stage and its ENTRYPOINT")
    check(any("/out/lib/" in c for c in copies_final), f"Dockerfile.{comp}: librdkafka 2.8.0 copied into the runtime stage")
    for b in binaries + ["librdkafka.so.1"]:
        for lib, pkg in needed.get(b, {}).items():
            if lib == "librdkafka.so.1":
                continue
            check(pkg in apt_final or pkg in base, f"Dockerfile.{comp}: {b} needs {lib}, from {pkg}: installed",
                  sorted(apt_final))

# --- configs: only documented keys
helps = {n: open(os.path.join(work, f"help-{n}.txt")).read() for n in ("collector", "evaluator", "actuator", "run")}


def flatten(text):
    """Keys of a YAML document of nested mappings (scalars, flow maps and lists as leaves)."""
    keys, stack = [], []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#") or line.lstrip().startswith("- "):
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().partition(":")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        full = ".".join([k for _, k in stack] + [key.strip('"')])
        if value.strip():
            keys.append(full)
        else:
            stack.append((indent, key.strip('"')))
            keys.append(full)
    # only leaves: drop keys that prefix another key
    return [k for k in keys if not any(o.startswith(k + ".") for o in keys)]


def documented(key, help_text):
    if key.startswith("kafka."):
        return True
    if re.search(r"(^|\s)" + re.escape(key) + r"(\s|$)", help_text, re.M):
        return True
    m = re.match(r"actuator\.(kubernetes|ecs|local)\.enabled$", key)
    return bool(m) and "actuator.<driver>.enabled" in help_text


cfgs = {"collector": "collector", "evaluator": "evaluator", "actuator": "actuator", "run": "run"}
for name, helpname in cfgs.items():
    path = os.path.join(root, "deploy", "config", f"{name}.yaml")
    text = open(path).read()
    keys = flatten(text)
    htext = helps[helpname] + (helps["collector"] + helps["actuator"] if name == "run" else "")
    bad = [k for k in keys if not documented(k, htext)]
    check(keys and not bad, f"deploy/config/{name}.yaml: its {len(keys)} keys are documented by --help", bad)
if chart_cfg:
    text = open(chart_cfg).read()
    for name in ("collector", "evaluator", "actuator"):
        m = re.search(rf"  {name}\.yaml: \|\n((?:    .*\n|\n)+)", text)
        if not check(m is not None, f"chart config {name}.yaml rendered"):
            continue
        body = "\n".join(l[4:] for l in m.group(1).splitlines())
        keys = flatten(body)
        bad = [k for k in keys if not documented(k, helps[name])]
        check(keys and not bad, f"chart (full values) {name}.yaml: its {len(keys)} keys are documented by --help", bad)
print(f"{passed} {failed}")
PYEOF
last=$(tail -n 1 "$work/py.out")
while IFS= read -r line; do
  case $line in
  "ok - "*) ok "${line#ok - }" ;;
  "not ok - "*) not_ok "${line#not ok - }" ;;
  *) printf '# %s\n' "$line" ;;
  esac
done < <(sed '$d' "$work/py.out")
[[ $last =~ ^[0-9]+\ [0-9]+$ ]] || not_ok "python checks: no summary: $last"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
