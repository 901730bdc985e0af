/* A verdict as a Falco alert: the JSON Falco's http_output posts and
 * falcosidekick accepts, one object per verdict:
 *
 *   {"uuid": verdict id, "rule": primary rule's name, "priority",
 *    "output": "HH:MM:SS.nnnnnnnnn: <Priority> <rule's rendered output>"
 *              (Falco's layout, event time, UTC),
 *    "time": event time, RFC 3339 UTC with nanoseconds, "source": "syscall",
 *    "hostname": node, "tags": [MITRE technique and tactic ids of every
 *    match, then the rules' own tags (verdict_falco_add_rule_tags)],
 *    "output_fields": {"evt.time" (ns), "evt.type", "container.id" ("host"
 *    outside containers), "container.name", "container.image",
 *    "container.image.digest", "k8s.ns.name", "k8s.pod.name", "k8s.pod.uid"
 *    (null outside pods), "proc.name", "proc.exepath", "proc.cmdline"
 *    (name + arguments), "proc.pid", "proc.ppid", "proc.pname", "proc.cwd",
 *    "user.uid", "user.loginuid", "fd.name" (what the event touched, null if
 *    nothing), "rampart.rule.id", "rampart.rules" (every matched rule id,
 *    comma-separated), "rampart.ruleset", "rampart.policy",
 *    "rampart.action" (effective), "rampart.requested_action"}}
 *
 * Priority from the strongest severity (verdict_falco_priority): critical
 * Critical, high Error, medium Warning, low Notice, info Informational.
 * Primary rule: strongest severity, first among equals. NULL only when out
 * of memory. */
#ifndef RAMPART_EVAL_VERDICT_FALCO_H
#define RAMPART_EVAL_VERDICT_FALCO_H

#include <jansson.h>

#include "doc.h"
#include "verdict.h"

const char *verdict_falco_priority(enum rp_severity s);
json_t *verdict_falco(const struct rp_verdict *v);
/* Appends to alert's "tags" the tags the rule documents give each rule
 * named in output_fields."rampart.rules", skipping tags already there.
 * 0, or -1 when out of memory. */
int verdict_falco_add_rule_tags(json_t *alert, const struct rules_doc *doc);

#endif
