/* A verdict as an OCSF 1.4.0 Detection Finding (class_uid 2004,
 * category_uid 2 Findings, activity_id 1 Create, type_uid 200401), for
 * verdicts.format: ocsf. Valid against the JSON Schema of that class with
 * the profiles it lists in metadata.profiles (host, security_control,
 * container; cloud too for ECS tasks). Detection Finding has no top-level
 * container or process attribute (the schema forbids unknown keys), so:
 *
 *   time                 when the evaluator decided, ms since the epoch
 *   severity_id          strongest match: info 1, low 2, medium 3, high 4,
 *                        critical 5 (verdict_ocsf_severity)
 *   action_id/disposition_id  the effective action (verdict_ocsf_action):
 *                        log 3 Observed / 17 Logged, isolate 2 Denied /
 *                        4 Isolated, terminate 2 Denied / 2 Blocked
 *   finding_info         uid = verdict id, title = primary rule's name, desc
 *                        = its rendered output, analytic = the primary rule
 *                        (type_id 1 Rule), related_analytics = the others,
 *                        attacks = one per match: technique / sub_technique
 *                        / tactic by ATT&CK id (tactic names known)
 *   device               the node (hostname, type_id 1 Server)
 *   actor.process        pid, name, cmd_line, file, parent_process, user,
 *                        working_directory, created_time
 *   evidences[0]         that process, the container (uid, name, image
 *                        {name, uid = digest, else the image}, runtime,
 *                        orchestrator, pod_uuid) and what the event touched
 *                        (file, or dst_endpoint when an IP)
 *   resources[0]         the workload: pod (uid, name, namespace, labels
 *                        "k=v"), ECS task (ARN, family, cluster as
 *                        namespace, region) or the container
 *   cloud                ECS only: provider AWS, region, account from the ARN
 *   unmapped             rampart's own fields, named as in verdict_json:
 *                        workload_id, cluster, orchestrator, policy, action
 *                        {requested, effective, reason}, rules, event
 *
 * Primary rule: strongest severity, first among equals. NULL only when out
 * of memory. */
#ifndef RAMPART_EVAL_VERDICT_OCSF_H
#define RAMPART_EVAL_VERDICT_OCSF_H

#include <jansson.h>

#include "verdict.h"

#define VERDICT_OCSF_VERSION "1.4.0"

struct ocsf_enum {
	int id;
	const char *caption;
};

struct ocsf_enum verdict_ocsf_severity(enum rp_severity s);
void verdict_ocsf_action(enum rp_action a, struct ocsf_enum *action, struct ocsf_enum *disposition);
/* The ATT&CK enterprise tactic's name ("TA0002" -> "Execution"), NULL if unknown. */
const char *verdict_ocsf_tactic_name(const char *uid);
json_t *verdict_ocsf(const struct rp_verdict *v);

#endif
