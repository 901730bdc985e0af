#!/usr/bin/env bash
# The Kubernetes deployment artefacts against a real kube-apiserver (run
# under tests/integration/with-kube):
#   - the Helm chart deploy/helm/rampart lints and renders (`helm template`)
#     with its defaults, with ci/full-values.yaml (TLS and SASL Secrets,
#     cluster labels, OpenShift, autoscaling, monitoring), under another
#     release name and namespace, and with the documented privileged case;
#   - deploy/kubernetes/ holds exactly what deploy/kubernetes/generate makes
#     from the chart (plus the hand-written RBAC files);
#   - every manifest of deploy/kubernetes/ and every rendering is applied with
#     `kubectl apply --dry-run=server --validate=strict`: the API server
#     itself decodes (unknown fields are errors), defaults, validates and
#     admits each object. OpenShift's SecurityContextConstraints and the
#     Prometheus Operator's PrometheusRule/PodMonitor are not APIs of a plain
#     kube-apiserver: minimal CRDs for them (tests/data/crds/) are installed
#     first, so the server still checks their apiVersion, kind, metadata and
#     the schema parts those CRDs declare;
#   - the chart's ClusterRoles have exactly the rules of
#     deploy/kubernetes/actuator-rbac.yaml (the role the actuator's own
#     integration tests run with) and collector-rbac.yaml, and, applied for
#     real, the API server grants the ServiceAccounts those verbs and refuses
#     others (`kubectl auth can-i`);
#   - pod security: no container is privileged except the collector with
#     collector.privileged=true (documented: kernels < 5.8); the collector has
#     hostPID, drops ALL and adds exactly BPF, PERFMON, SYS_RESOURCE,
#     SYS_PTRACE, mounts host paths read-only (BTF, cgroups, runtime state),
#     gets its node name from the downward API and tolerates every taint; the
#     other pods are non-root, read-only, capability-free, RuntimeDefault;
#   - the rule ConfigMaps the chart renders validate with `rampart rules
#     validate` together with the shipped catalog and rulesets;
#   - the topics Job's script, run against stand-ins of kafka-topics.sh and
#     kafka-configs.sh, creates the six topics of ARCHITECTURE §3 with their
#     partitions, cleanup policies and retention, idempotently, and builds the
#     Java client's TLS/SASL properties;
#   - the alert rules (deploy/monitoring/prometheus-alerts.yaml, the chart's
#     copy is identical) have the Prometheus rule-file structure, cover drops,
#     DLQs, reload failures, failed actions and the blast-radius limit, and
#     name only metrics the daemons register (the C sources); so does the
#     Grafana dashboard.
#
#   test_deploy_kube.sh RAMPART_CLI
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rampart=${1:?usage: test_deploy_kube.sh RAMPART_CLI}
: "${RAMPART_TEST_KUBE_SERVER:?run under tests/integration/with-kube}"
kubectl=("$RAMPART_TEST_KUBECTL" --kubeconfig "$RAMPART_TEST_KUBE_ADMIN_KUBECONFIG")
helm=${RAMPART_HELM:-$root/.deps/helm/bin/helm}
chart=$root/deploy/helm/rampart
work=$(mktemp -d "${TMPDIR:-/tmp}/rampart-deploy-kube.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok %d - %s\n' $((passed + failed)) "$*"; }
not_ok() { failed=$((failed + 1)); printf 'not ok %d - %s\n' $((passed + failed)) "$*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >"$work/out" 2>&1; then ok "$what"
  else not_ok "$what: $(tail -n 8 "$work/out")"; fi
}

[ -x "$helm" ] || { echo "no helm at $helm: run scripts/bootstrap (scripts/bootstrap-helm)" >&2; exit 1; }
start=$SECONDS

# Python checks on the API server's answers (JSON); prints ok/not ok lines
# and the counts as "PASSED FAILED" on its last line.
cat >"$work/checks.py" <<'PYEOF'
import glob, json, os, re, sys

passed = failed = 0


def ok(what):
    global passed
    passed += 1
    print(f"ok - {what}")


def not_ok(what):
    global failed
    failed += 1
    print(f"not ok - {what}")


def check(cond, what, detail=None):
    if cond:
        ok(what)
    else:
        not_ok(what if detail is None else f"{what}: {detail}")
    return cond


def objects(path):
    with open(path) as f:
        doc = json.load(f)
    return doc["items"] if doc.get("kind") == "List" else [doc]


def find(objs, kind, name=None):
    return [o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def one(objs, kind, name):
    got = find(objs, kind, name)
    return got[0] if len(got) == 1 else None


def norm_rules(rules):
    return sorted(json.dumps({k: sorted(r.get(k, [])) for k in ("apiGroups", "resources", "verbs", "resourceNames",
                                                               "nonResourceURLs")}, sort_keys=True) for r in rules)


def workloads(objs):
    """(kind/name, pod spec) of every pod template."""
    out = []
    for o in objs:
        if o["kind"] in ("DaemonSet", "Deployment", "StatefulSet", "Job"):
            out.append((f'{o["kind"]}/{o["metadata"]["name"]}', o["spec"]["template"]["spec"]))
        elif o["kind"] == "CronJob":
            out.append((f'CronJob/{o["metadata"]["name"]}', o["spec"]["jobTemplate"]["spec"]["template"]["spec"]))
        elif o["kind"] == "Pod":
            out.append((f'Pod/{o["metadata"]["name"]}', o["spec"]))
    return out


COLLECTOR_CAPS = {"BPF", "PERFMON", "SYS_RESOURCE", "SYS_PTRACE"}


def pod_security(label, objs, privileged_collector=False, openshift=False):
    pods = workloads(objs)
    check(len(pods) >= 4, f"{label}: collector, evaluator, actuator and topics Job pod templates", [n for n, _ in pods])
    for name, spec in pods:
        containers = spec.get("containers", []) + spec.get("initContainers", [])
        is_collector = name.startswith("DaemonSet/") and name.endswith("collector")
        psc = spec.get("securityContext", {})
        for c in containers:
            sc = c.get("securityContext", {})
            if is_collector and privileged_collector:
                check(sc.get("privileged") is True, f"{label}: {name}/{c['name']} privileged (documented: collector.privileged)")
                continue
            check(not sc.get("privileged"), f"{label}: {name}/{c['name']} not privileged")
            check(sc.get("allowPrivilegeEscalation") is False, f"{label}: {name}/{c['name']} allowPrivilegeEscalation false")
            check(sc.get("readOnlyRootFilesystem") is True, f"{label}: {name}/{c['name']} read-only root filesystem")
            caps = sc.get("capabilities", {})
            check(caps.get("drop") == ["ALL"], f"{label}: {name}/{c['name']} drops ALL capabilities", caps)
            if is_collector:
                check(set(caps.get("add", [])) == COLLECTOR_CAPS and len(caps.get("add", [])) == 4,
                      f"{label}: {name} adds exactly BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE", caps.get("add"))
            else:
                check(not caps.get("add"), f"{label}: {name}/{c['name']} adds no capability", caps.get("add"))
        hostpaths = {v["name"]: v["hostPath"]["path"] for v in spec.get("volumes", []) if "hostPath" in v}
        check(not spec.get("hostNetwork") and not spec.get("hostIPC"), f"{label}: {name} no host network or IPC")
        if is_collector:
            c = spec["containers"][0]
            check(spec.get("hostPID") is True, f"{label}: {name} hostPID")
            check(psc.get("runAsUser") == 0, f"{label}: {name} runs as root (eBPF loading needs uid 0)")
            mounts = {m["name"]: m for m in c.get("volumeMounts", [])}
            for n, p in hostpaths.items():
                m = mounts.get(n)
                check(m is not None and m.get("readOnly") is True and m["mountPath"] == p,
                      f"{label}: {name} mounts host {p} read-only at the same path", m)
            for p in ("/sys/kernel/btf", "/sys/fs/cgroup", "/run/containerd", "/run/containers"):
                check(p in hostpaths.values(), f"{label}: {name} mounts {p}", sorted(hostpaths.values()))
            env = {e["name"]: e for e in c.get("env", [])}
            node = env.get("RAMPART_NODE", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
            check(node == "spec.nodeName", f"{label}: {name} node name from the downward API (RAMPART_NODE)", node)
            tol = spec.get("tolerations", [])
            check(any(t.get("operator") == "Exists" and not t.get("key") and not t.get("effect") for t in tol),
                  f"{label}: {name} tolerates every taint", tol)
            check(spec.get("serviceAccountName", "").endswith("collector"), f"{label}: {name} runs as the collector ServiceAccount")
            if openshift:
                check(psc.get("seLinuxOptions", {}).get("type") == "spc_t", f"{label}: {name} SELinux type spc_t (OpenShift)")
        else:
            check(not spec.get("hostPID"), f"{label}: {name} no host PID namespace")
            check(not hostpaths, f"{label}: {name} no hostPath volumes", hostpaths)
            check(psc.get("runAsNonRoot") is True, f"{label}: {name} runAsNonRoot")
            check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{label}: {name} RuntimeDefault seccomp")
            for c in spec.get("containers", []):
                r = c.get("resources", {})
                check(r.get("requests") and r.get("limits", {}).get("memory"),
                      f"{label}: {name}/{c['name']} has requests and a memory limit", r)


def cmd_rbac(static_actuator, static_collector, *renders):
    sa = {"actuator": one(objects(static_actuator), "ClusterRole", "rampart-actuator"),
          "collector": one(objects(static_collector), "ClusterRole", "rampart-collector")}
    for comp, role in sa.items():
        check(role is not None, f"deploy/kubernetes/{comp}-rbac.yaml: ClusterRole rampart-{comp}")
    for path in renders:
        objs = objects(path)
        label = os.path.basename(path)
        for comp, want in sa.items():
            roles = [r for r in find(objs, "ClusterRole") if r["metadata"]["name"].endswith(f"rampart-{comp}")]
            if not check(len(roles) == 1 and want, f"{label}: one {comp} ClusterRole"):
                continue
            role = roles[0]
            check(norm_rules(role["rules"]) == norm_rules(want["rules"]),
                  f"{label}: the chart's {role['metadata']['name']} rules equal deploy/kubernetes/{comp}-rbac.yaml's",
                  f'{role["rules"]} != {want["rules"]}')
            binds = [b for b in find(objs, "ClusterRoleBinding") if b["roleRef"]["name"] == role["metadata"]["name"]]
            subj = binds[0]["subjects"] if len(binds) == 1 else []
            users = [(p["metadata"]["name"], s) for p in find(objs, "DaemonSet") + find(objs, "Deployment")
                     for s in [p["spec"]["template"]["spec"].get("serviceAccountName")] if s and s.endswith(comp)]
            check(len(subj) == 1 and subj[0]["kind"] == "ServiceAccount" and users and
                  all(s == subj[0]["name"] for _, s in users) and subj[0]["namespace"] == role_ns(objs),
                  f"{label}: the {comp} binding names exactly the ServiceAccount its pods run as", (subj, users))
        for r in find(objs, "ClusterRole") + find(objs, "Role"):
            flat = json.dumps(r.get("rules", []))
            check('"*"' not in flat, f"{label}: {r['kind']} {r['metadata']['name']} has no wildcard")
            check("secrets" not in flat and "pods/exec" not in flat, f"{label}: {r['metadata']['name']} grants no secrets or exec")


def role_ns(objs):
    ns = {o["metadata"].get("namespace") for o in objs if o["metadata"].get("namespace")}
    return ns.pop() if len(ns) == 1 else None


def cmd_security(path, mode):
    objs = objects(path)
    label = os.path.basename(path)
    pod_security(label, objs, privileged_collector=(mode == "privileged"), openshift=(mode in ("full", "privileged")))
    ev = [o for o in find(objs, "Deployment") if o["metadata"]["name"].endswith("evaluator")]
    if check(len(ev) == 1, f"{label}: evaluator Deployment"):
        spec = ev[0]["spec"]["template"]["spec"]
        env = {e["name"]: e for e in spec["containers"][0].get("env", [])}
        check(env.get("RAMPART_EVALUATOR_INSTANCE_ID", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.name",
              f"{label}: evaluator instance id = pod name")
        check(spec.get("automountServiceAccountToken") is False, f"{label}: evaluator mounts no API token")
        pdbs = find(objs, "PodDisruptionBudget")
        sel = ev[0]["spec"]["selector"]["matchLabels"]
        check(any(p["spec"]["selector"].get("matchLabels") == sel for p in pdbs), f"{label}: PodDisruptionBudget for the evaluator")
    ac = [o for o in find(objs, "Deployment") if o["metadata"]["name"].endswith("actuator")]
    if check(len(ac) == 1, f"{label}: actuator Deployment"):
        check(ac[0]["spec"]["template"]["spec"].get("serviceAccountName", "").endswith("rampart-actuator"),
              f"{label}: actuator runs as its ServiceAccount")
    check(len(find(objs, "Job")) == 1, f"{label}: the topics Job")
    cms = {o["metadata"]["name"]: o for o in find(objs, "ConfigMap")}
    cfg = [c for n, c in cms.items() if n.endswith("-config")]
    if check(len(cfg) == 1, f"{label}: the daemons' config ConfigMap"):
        data = cfg[0]["data"]
        check(set(data) == {"collector.yaml", "evaluator.yaml", "actuator.yaml"}, f"{label}: three daemon configs")
        check("orchestrator: kubernetes" in data["collector.yaml"], f"{label}: collector orchestrator kubernetes")
        check("exclude_namespaces" in data["actuator.yaml"] and "kube-system" in data["actuator.yaml"],
              f"{label}: the actuator excludes kube-system and its own namespace")
        check('local:\n    enabled: "false"' in data["actuator.yaml"], f"{label}: no local driver in the cluster actuator")
    if mode == "full":
        for name, spec in workloads(objs):
            env = {e["name"]: e for c in spec["containers"] for e in c.get("env", [])}
            user = [k for k in env if k.endswith("SASL_USERNAME")]
            pw = [k for k in env if k.endswith("SASL_PASSWORD")]
            check(user and pw and all(env[k].get("valueFrom", {}).get("secretKeyRef", {}).get("name") == "rampart-kafka-sasl"
                                      for k in user + pw), f"{label}: {name} SASL credentials from the Secret")
            secrets = {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
            check({"kafka-ca", "rampart-kafka-client"} <= secrets, f"{label}: {name} mounts the TLS CA and client Secrets", secrets)
            check(spec.get("imagePullSecrets") == [{"name": "registry-credentials"}], f"{label}: {name} image pull Secret")
        data = cfg[0]["data"] if cfg else {}
        for f in data:
            check("security.protocol: \"SASL_SSL\"" in data[f] and "ssl.ca.location: /etc/rampart/kafka-ca/ca.crt" in data[f]
                  and "ssl.certificate.location" in data[f] and "sasl.mechanism: \"SCRAM-SHA-512\"" in data[f]
                  and "sasl.password" not in data[f], f"{label}: {f} uses TLS + SASL, no password in the ConfigMap")
        clusters = [c for n, c in cms.items() if n.endswith("-clusters")]
        check(clusters and '"env":"prod"' in clusters[0]["data"]["clusters.yaml"] and '"team":"payments"' in clusters[0]["data"]["clusters.yaml"],
              f"{label}: the cluster entry carries the cluster labels")
        hpa = find(objs, "HorizontalPodAutoscaler")
        if check(len(hpa) == 1, f"{label}: evaluator HorizontalPodAutoscaler"):
            m = hpa[0]["spec"]["metrics"][0]
            check(m["type"] == "External" and m["external"]["metric"]["selector"]["matchLabels"].get("consumergroup") == "rampart-evaluator",
                  f"{label}: HPA scales on the evaluator group's consumer lag (External metric)")
        check(len(find(objs, "PrometheusRule")) == 1 and len(find(objs, "PodMonitor")) == 1, f"{label}: PrometheusRule and PodMonitor")
    if mode in ("full", "privileged"):
        scc = find(objs, "SecurityContextConstraints")
        if check(len(scc) == 1, f"{label}: OpenShift SecurityContextConstraints"):
            s = scc[0]
            check(set(s.get("allowedCapabilities", [])) == COLLECTOR_CAPS, f"{label}: SCC allows exactly the collector's capabilities")
            check(s.get("allowHostPID") is True and s.get("allowHostNetwork") is False and s.get("allowHostIPC") is False,
                  f"{label}: SCC allows host PID only")
            check(s.get("allowPrivilegedContainer") is (mode == "privileged"),
                  f"{label}: SCC allows privileged containers only with collector.privileged")
            check(s.get("users") == [] and s.get("groups") == [], f"{label}: SCC granted through RBAC only, to no user or group")
        use = [r for r in find(objs, "ClusterRole") if r["metadata"]["name"].endswith("-scc")]
        check(len(use) == 1 and norm_rules(use[0]["rules"]) == norm_rules([{"apiGroups": ["security.openshift.io"],
              "resources": ["securitycontextconstraints"], "verbs": ["use"], "resourceNames": [scc[0]["metadata"]["name"]]}]),
              f"{label}: the collector may use exactly that SCC")


def cmd_rules_out(path, outdir):
    """Writes the rule ConfigMaps as directories for `rampart rules validate`."""
    for o in find(objects(path), "ConfigMap"):
        m = re.search(r"-(catalog|rulesets|policies|clusters)$", o["metadata"]["name"])
        if not m:
            continue
        d = os.path.join(outdir, m.group(1))
        os.makedirs(d, exist_ok=True)
        for k, v in (o.get("data") or {}).items():
            with open(os.path.join(d, k), "w") as f:
                f.write(v)
    for k in ("catalog", "rulesets", "policies", "clusters"):
        os.makedirs(os.path.join(outdir, k), exist_ok=True)


def cmd_topics_out(path, outdir):
    cm = [o for o in find(objects(path), "ConfigMap") if o["metadata"]["name"].endswith("-topics")][0]
    for k, v in cm["data"].items():
        with open(os.path.join(outdir, k), "w") as f:
            f.write(v)


def metric_names(src_root):
    names = set()
    for d in ("collector", "evaluator", "actuator", "lib", "cli"):
        for p in glob.glob(os.path.join(src_root, d, "*.c")):
            with open(p, errors="replace") as f:
                names |= set(re.findall(r'"(rampart_[a-z0-9_]+)"', f.read()))
    return names


def used_metrics(expr):
    return {m for m in re.findall(r"rampart_[a-z0-9_]*", expr) if not m.endswith("_")}


def cmd_alerts(path, src_root, dashboard):
    known = metric_names(src_root)
    check(len(known) > 20, "metric names found in the daemons' C sources", len(known))
    with open(os.path.join(src_root, "schemas", "action_codec.c")) as f:
        outcomes = set(re.findall(r'"([a-z_]+)"', re.search(r"rp_outcome_names\[[^]]*\]\s*=\s*\{([^}]*)\}", f.read()).group(1)))
    rule = [o for o in objects(path) if o["kind"] == "PrometheusRule"]
    if not check(len(rule) == 1, "the chart's PrometheusRule as the API server returned it"):
        return
    groups = rule[0]["spec"]["groups"]
    check(isinstance(groups, list) and len(groups) >= 3, "rule file: groups (collector, evaluator, actuator)")
    exprs = {}
    for g in groups:
        check(isinstance(g.get("name"), str) and g["name"] and isinstance(g.get("rules"), list) and g["rules"],
              f"group {g.get('name')}: a name and rules")
        for r in g.get("rules", []):
            a = r.get("alert")
            check(isinstance(a, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", a or "") and isinstance(r.get("expr"), str)
                  and re.fullmatch(r"\d+[smhdwy]", r.get("for", "")) and r.get("labels", {}).get("severity") in ("warning", "critical")
                  and r.get("annotations", {}).get("summary") and r.get("annotations", {}).get("description")
                  and set(r) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"},
                  f"alert {a}: name, expr, for, severity, summary, description and nothing else", r)
            exprs[a] = r.get("expr", "")
            used = used_metrics(r.get("expr", ""))
            check(used and used <= known, f"alert {a}: its metrics are exported ({', '.join(sorted(used))})", sorted(used - known))
            check(r.get("expr", "").count("(") == r.get("expr", "").count(")"), f"alert {a}: balanced parentheses")
            for o in re.findall(r'outcome="([a-z_]+)"', r.get("expr", "")):
                check(o in outcomes, f"alert {a}: outcome {o} is one the actuator reports", sorted(outcomes))
    check(len(exprs) == sum(len(g.get("rules", [])) for g in groups), "alert names are unique")
    every = " ".join(exprs.values())
    for what, metric in (("kernel drops", "rampart_collector_ringbuf_drops_total"),
                         ("events DLQ growing", "rampart_evaluator_dlq_total"),
                         ("verdicts DLQ growing", "rampart_actuator_dlq_total"),
                         ("rule reload failed", "rampart_evaluator_config_reload_failures_total"),
                         ("blast-radius limit", "rampart_actuator_limited_total")):
        check(metric in every, f"alerts cover {what} ({metric})")
    check(any("rampart_actuator_actions_total" in e and 'outcome="failed"' in e for e in exprs.values()),
          "alerts cover failed actions (rampart_actuator_actions_total{outcome=\"failed\"})")
    with open(dashboard) as f:
        dash = json.load(f)
    panels = [p for p in dash.get("panels", []) if p.get("type") != "row"]
    targets = [t for p in panels for t in p.get("targets", [])]
    used = set().union(*(used_metrics(t.get("expr", "")) for t in targets))
    check(dash.get("uid") and dash.get("title") and len(panels) >= 10, "Grafana dashboard: uid, title, panels")
    check(used <= known, f"Grafana dashboard: its {len(used)} metrics are exported", sorted(used - known))
    check(all(p.get("datasource", {}).get("uid") == "${datasource}" for p in panels),
          "Grafana dashboard: every panel uses the data source variable")
    ids = [p["id"] for p in dash.get("panels", [])]
    check(len(ids) == len(set(ids)), "Grafana dashboard: unique panel ids")


def cmd_topics_check(calls, props):
    with open(calls) as f:
        lines = [l.split() for l in f.read().splitlines() if l.strip()]
    creates, alters = {}, {}
    for l in lines:
        tool, args = l[0], l[1:]
        def opt(name):
            return [args[i + 1] for i, a in enumerate(args) if a == name]
        if tool == "kafka-topics.sh":
            t = opt("--topic")[0]
            creates[t] = {"partitions": int(opt("--partitions")[0]), "rf": opt("--replication-factor")[0],
                          "config": dict(c.split("=", 1) for c in opt("--config")),
                          "if_not_exists": "--if-not-exists" in args and "--create" in args,
                          "bootstrap": opt("--bootstrap-server")[0], "cc": opt("--command-config")}
        elif tool == "kafka-configs.sh":
            alters[opt("--entity-name")[0]] = dict(c.split("=", 1) for c in opt("--add-config")[0].split(","))
    want = {"rampart.events", "rampart.verdicts", "rampart.actions", "rampart.rulesets", "rampart.events.dlq",
            "rampart.verdicts.dlq"}
    check(set(creates) == want, "topics Job: creates the six topics of ARCHITECTURE §3", sorted(creates))
    check(all(c["if_not_exists"] for c in creates.values()), "topics Job: --create --if-not-exists (idempotent)")
    check(all(c["bootstrap"] == "kafka:9092" and c["rf"] == "3" and c["cc"] for c in creates.values()),
          "topics Job: the chart's brokers, replication factor 3, a client properties file")
    check(all(alters.get(t) == c["config"] for t, c in creates.items()), "topics Job: configs re-applied to existing topics")
    ev = creates.get("rampart.events", {})
    check(ev.get("config", {}).get("cleanup.policy") == "delete" and ev["config"].get("retention.ms") == str(7 * 86400 * 1000),
          "topics Job: rampart.events delete retention 7 d, never compacted", ev.get("config"))
    check(ev.get("partitions", 0) >= 24, "topics Job: rampart.events has many partitions", ev.get("partitions"))
    rs = creates.get("rampart.rulesets", {})
    check(rs.get("config", {}).get("cleanup.policy") == "compact" and rs.get("partitions") == 1,
          "topics Job: rampart.rulesets compacted, one partition", rs)
    check(all(c["config"].get("cleanup.policy") == "delete" for t, c in creates.items() if t != "rampart.rulesets"),
          "topics Job: every other topic is delete-retention")
    check(all(c["config"].get("min.insync.replicas") == "2" for c in creates.values()), "topics Job: min.insync.replicas 2")
    with open(props) as f:
        p = f.read()
    check("security.protocol=SASL_SSL" in p and "ssl.truststore.type=PEM" in p and "ssl.keystore.type=PEM" in p
          and 'ScramLoginModule required username="rampart" password="p\\"w";' in p and "sasl.mechanism=SCRAM-SHA-512" in p,
          "topics Job: Java client properties for TLS (PEM), mutual TLS and SASL/SCRAM, password quoted", p)


cmd = sys.argv[1]
{"rbac": cmd_rbac, "security": cmd_security, "rules-out": cmd_rules_out, "topics-out": cmd_topics_out,
 "alerts": cmd_alerts, "topics-check": cmd_topics_check}[cmd](*sys.argv[2:])
print(f"{passed} {failed}")
PYEOF

# pycheck ARGS...: runs a checks.py command, folding its results into ours.
pycheck() {
  local line last
  python3 "$work/checks.py" "$@" >"$work/py.out" 2>&1 || { not_ok "checks.py $1 crashed: $(tail -n 5 "$work/py.out")"; return; }
  last=$(tail -n 1 "$work/py.out")
  while IFS= read -r line; do
    case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) not_ok "${line#not ok - }" ;;
    esac
  done < <(sed '$d' "$work/py.out")
  [[ $last =~ ^[0-9]+\ [0-9]+$ ]] || not_ok "checks.py $1: no summary: $last"
}

# --- render -------------------------------------------------------------------
check "helm lint --strict (defaults)" "$helm" lint --strict "$chart"
check "helm lint --strict (ci/full-values.yaml)" "$helm" lint --strict "$chart" -f "$chart/ci/full-values.yaml"
render() { # NAME HELM-TEMPLATE-ARGS...
  local name=$1; shift
  check "helm template: $name" bash -c '"$@" >"'"$work/$name.yaml"'"' _ "$helm" template "$@"
}
render default rampart "$chart" --namespace rampart
render full rampart "$chart" --namespace rampart -f "$chart/ci/full-values.yaml"
render edge edge "$chart" --namespace rampart-edge
render privileged rampart "$chart" --namespace rampart --set collector.privileged=true --set openshift.enabled=true

# --- deploy/kubernetes is what the chart makes ------------------------------------
if HELM=$helm "$root/deploy/kubernetes/generate" "$work/generated" >"$work/out" 2>&1; then
  for f in "$work"/generated/*.yaml; do
    n=${f##*/}
    check "deploy/kubernetes/$n is up to date with the chart (deploy/kubernetes/generate)" cmp "$f" "$root/deploy/kubernetes/$n"
  done
  for f in "$root"/deploy/kubernetes/*.yaml; do
    n=${f##*/}
    case $n in actuator-rbac.yaml | collector-rbac.yaml) continue ;; esac
    [ -f "$work/generated/$n" ] || not_ok "deploy/kubernetes/$n is neither hand-written RBAC nor generated"
  done
else
  not_ok "deploy/kubernetes/generate: $(tail -n 5 "$work/out")"
fi

# --- the API server validates everything ------------------------------------------
check "CRD stand-ins installed (SecurityContextConstraints, PrometheusRule, PodMonitor)" \
  "${kubectl[@]}" apply -f "$root/tests/data/crds/"
check "CRDs established" "${kubectl[@]}" wait --for=condition=Established --timeout=60s \
  crd/securitycontextconstraints.security.openshift.io crd/prometheusrules.monitoring.coreos.com \
  crd/podmonitors.monitoring.coreos.com
# Namespaced objects need their namespace to exist (a dry-run Namespace is not stored).
check "namespaces rampart and rampart-edge" "${kubectl[@]}" create namespace rampart
"${kubectl[@]}" create namespace rampart-edge >/dev/null

dry_run() { # LABEL FILE OUT.json
  if "${kubectl[@]}" apply --dry-run=server --validate=strict -o json -f "$2" >"$3" 2>"$work/err"; then
    ok "kubectl apply --dry-run=server: $1 ($(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["items"]) if d.get("kind")=="List" else 1)' "$3") objects)"
  else
    not_ok "kubectl apply --dry-run=server: $1: $(tail -n 8 "$work/err")"
  fi
}
for f in "$root"/deploy/kubernetes/*.yaml; do
  n=${f##*/}
  dry_run "deploy/kubernetes/$n" "$f" "$work/static-${n%.yaml}.json"
done
for r in default full edge privileged; do
  dry_run "chart ($r)" "$work/$r.yaml" "$work/$r.json"
done
# The validation bites: a misspelt field and a forbidden value are refused.
sed 's/hostPID: true/hostPid: true/' "$work/default.yaml" >"$work/typo.yaml"
if "${kubectl[@]}" apply --dry-run=server --validate=strict -f "$work/typo.yaml" >"$work/out" 2>&1; then
  not_ok "the API server refuses a misspelt field (hostPid): it accepted it"
else
  grep -q 'unknown field "spec.template.spec.hostPid"' "$work/out" &&
    ok "the API server refuses a misspelt field (hostPid)" || not_ok "misspelt field: $(tail -n 3 "$work/out")"
fi

# --- Pod Security admission on the pods the workloads would create -------------------
# Each pod template becomes a Pod (dry run) in a namespace that enforces a Pod
# Security Standard: the evaluator, actuator and topics Job pods must pass
# "restricted"; the collector needs "privileged" (host PID, hostPath), which
# "baseline" must refuse, as NOTES.txt and the README say.
"${kubectl[@]}" create namespace ps-restricted >/dev/null
"${kubectl[@]}" label namespace ps-restricted pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/enforce-version=latest >/dev/null
"${kubectl[@]}" create namespace ps-baseline >/dev/null
"${kubectl[@]}" label namespace ps-baseline pod-security.kubernetes.io/enforce=baseline >/dev/null
"${kubectl[@]}" create namespace ps-privileged >/dev/null
"${kubectl[@]}" label namespace ps-privileged pod-security.kubernetes.io/enforce=privileged >/dev/null
for r in default full static-rampart; do
  python3 - "$work/$r.json" "$work/pods-$r" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
items = d["items"] if d.get("kind") == "List" else [d]
out = {"restricted": [], "collector": []}
for o in items:
    if o["kind"] not in ("DaemonSet", "Deployment", "Job"):
        continue
    spec = o["spec"]["template"]["spec"]
    collector = o["kind"] == "DaemonSet"
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": o["metadata"]["name"] + "-pod", "labels": o["spec"]["template"]["metadata"].get("labels", {})},
           "spec": spec}
    out["collector" if collector else "restricted"].append(pod)
for k, v in out.items():
    json.dump({"apiVersion": "v1", "kind": "List", "items": v}, open(f"{sys.argv[2]}-{k}.json", "w"))
PYEOF
  check "Pod Security: $r evaluator, actuator and topics Job pods pass \"restricted\"" \
    "${kubectl[@]}" create --dry-run=server -n ps-restricted -f "$work/pods-$r-restricted.json"
  check "Pod Security: $r collector pod admitted where \"privileged\" is enforced" \
    "${kubectl[@]}" create --dry-run=server -n ps-privileged -f "$work/pods-$r-collector.json"
  if "${kubectl[@]}" create --dry-run=server -n ps-baseline -f "$work/pods-$r-collector.json" >"$work/out" 2>&1; then
    not_ok "Pod Security: $r collector pod refused under \"baseline\" (it was admitted)"
  else
    grep -q "violates PodSecurity" "$work/out" && ok "Pod Security: $r collector pod refused under \"baseline\" (host PID, hostPath)" ||
      not_ok "Pod Security: $r collector under baseline: $(tail -n 3 "$work/out")"
  fi
done

# --- RBAC: the same rules as the hand-written files, enforced -----------------------
pycheck rbac "$work/static-actuator-rbac.json" "$work/static-collector-rbac.json" \
  "$work/default.json" "$work/full.json" "$work/edge.json"
python3 - "$work/default.json" "$work/rbac.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
items = [o for o in d["items"] if o["kind"] in ("ServiceAccount", "ClusterRole", "ClusterRoleBinding")]
for o in items:
    for k in ("resourceVersion", "uid", "creationTimestamp", "managedFields", "annotations"):
        o["metadata"].pop(k, None)
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(sys.argv[2], "w"))
PYEOF
check "the chart's ServiceAccounts, ClusterRoles and bindings applied for real" "${kubectl[@]}" apply -f "$work/rbac.json"
can() { # EXPECT(yes|no) SA VERB RESOURCE [NAMESPACE]
  local want=$1 sa=$2 verb=$3 res=$4 ns=${5:-workloads} got
  got=$("${kubectl[@]}" auth can-i "$verb" "$res" -n "$ns" --as="system:serviceaccount:rampart:$sa" 2>/dev/null) || true
  [ "$got" = "$want" ] && ok "RBAC: $sa $verb $res in $ns: $got" || not_ok "RBAC: $sa $verb $res in $ns: want $want, got '$got'"
}
for v in get list patch delete; do can yes rampart-actuator "$v" pods; done
for v in get create; do can yes rampart-actuator "$v" networkpolicies.networking.k8s.io; done
can yes rampart-actuator delete pods kube-public
for v in create update watch; do can no rampart-actuator "$v" pods; done
for v in update patch delete list; do can no rampart-actuator "$v" networkpolicies.networking.k8s.io; done
can no rampart-actuator create pods/exec
can no rampart-actuator get secrets
can no rampart-actuator delete deployments.apps
can no rampart-actuator patch nodes ""
for v in get list watch; do can yes rampart-collector "$v" pods; done
for v in delete patch create; do can no rampart-collector "$v" pods; done
can no rampart-collector get secrets
can no rampart-collector list nodes ""
can no rampart-collector get configmaps

# --- pod security and content of each rendering --------------------------------
pycheck security "$work/default.json" default
pycheck security "$work/full.json" full
pycheck security "$work/edge.json" edge
pycheck security "$work/privileged.json" privileged
pycheck security "$work/static-rampart.json" static

# --- the rules the chart ships validate ---------------------------------------------
for r in default full; do
  mkdir -p "$work/rules-$r"
  pycheck rules-out "$work/$r.json" "$work/rules-$r"
  check "rampart rules validate: the image's catalog and rulesets + the chart's ConfigMaps ($r)" \
    "$rampart" rules validate "$root/rules/catalog" "$root/rules/rulesets" "$work/rules-$r/catalog" \
    "$work/rules-$r/rulesets" "$work/rules-$r/policies" "$work/rules-$r/clusters"
done
grep -q "payments.strict" "$work/rules-full/rulesets/payments.yaml" 2>/dev/null &&
  ok "full values: the custom ruleset is in its ConfigMap" || not_ok "full values: custom ruleset missing"

# --- the topics Job's script ---------------------------------------------------------
mkdir -p "$work/topics/bin"
pycheck topics-out "$work/default.json" "$work/topics"
for t in kafka-topics.sh kafka-configs.sh; do
  cat >"$work/topics/bin/$t" <<SH
#!/bin/sh
# Stand-in: records its arguments and keeps the client properties it was given.
echo "$t \$*" >>"$work/topics/calls"
while [ \$# -gt 0 ]; do [ "\$1" = --command-config ] && cp "\$2" "$work/topics/client.properties"; shift; done
exit 0
SH
  chmod +x "$work/topics/bin/$t"
done
printf 'ca\n' >"$work/topics/ca.crt"
mkdir -p "$work/topics/client" && printf 'cert\n' >"$work/topics/client/tls.crt" && printf 'key\n' >"$work/topics/client/tls.key"
check "topics Job script runs (as in the Job: sh create-topics.sh topics)" \
  env KAFKA_BIN="$work/topics/bin" KAFKA_BOOTSTRAP=kafka:9092 REPLICATION_FACTOR=3 TMPDIR="$work/topics" \
  KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_CA_FILE="$work/topics/ca.crt" KAFKA_CLIENT_DIR="$work/topics/client" \
  KAFKA_SASL_MECHANISM=SCRAM-SHA-512 KAFKA_SASL_USERNAME=rampart 'KAFKA_SASL_PASSWORD=p"w' \
  sh "$work/topics/create-topics.sh" "$work/topics/topics"
pycheck topics-check "$work/topics/calls" "$work/topics/client.properties"
rm -f "$work/topics/calls"
if env KAFKA_BIN="$work/topics/bin" KAFKA_BOOTSTRAP=kafka:9092 KAFKA_SASL_MECHANISM=GSSAPI \
   sh "$work/topics/create-topics.sh" "$work/topics/topics" >"$work/out" 2>&1; then
  not_ok "topics Job script refuses an unsupported SASL mechanism"
else
  ok "topics Job script refuses an unsupported SASL mechanism"
fi

# --- alerts and dashboard ----------------------------------------------------------------
check "the chart's alert rules are deploy/monitoring/prometheus-alerts.yaml" \
  cmp "$root/deploy/monitoring/prometheus-alerts.yaml" "$chart/files/prometheus-alerts.yaml"
pycheck alerts "$work/full.json" "$root" "$root/deploy/monitoring/grafana-dashboard.json"

printf '# deploy kube checks took %d s\n' $((SECONDS - start))
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
