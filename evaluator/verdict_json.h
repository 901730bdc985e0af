/* Verdicts and events as JSON objects with stable field names, for
 * JSON-lines outputs (`rampart run --json`, `rampart replay`,
 * `rampart events inspect`, verdicts.format: json).
 *
 * verdict_json:
 *   {"verdict_id", "time", "severity", "rules": [{"id", "name", "technique",
 *    "tactic", "severity", "ruleset", "action", "output"}], "policy",
 *    "action": {"requested", "effective", "reason"},
 *    "node", "cluster", "orchestrator",
 *    "container": {"id", "name", "image", "image_digest", "privileged"},
 *    "workload": {"kind": "pod", "namespace", "name", "uid", "owner_kind",
 *                 "owner_name"} | {"kind": "ecs_task", "cluster", "task_arn",
 *                 "family", "service"} | null,
 *    "process": {"pid", "ppid", "uid", "comm", "exe", "args", "cwd",
 *                "parent_comm", "exe_upper_layer", "exe_from_memfd"},
 *    "event": {"type", "syscall", "result", "sequence", "time", "touched"}}
 *
 * event_to_json: the whole event, laid out like a verdict's parts so the
 * same paths (.container.id, .process.comm, .event.sequence) work on both:
 *   {"node", "cluster", "orchestrator", "boot_id",
 *    "container": {... as above, "runtime", "cgroup"},
 *    "workload": pod {... as above, "service_account", "labels": {k: v}}
 *                | ecs_task {... as above, "revision"} | null,
 *    "process": {... as above, "tid", "gid", "euid", "egid", "loginuid",
 *                "args_truncated", "env", "tty", "start_time", "cap_effective",
 *                "exe_writable", "parent_exe", "gparent_comm", "gparent_exe"},
 *    "event": {... as above, "args": {"kind": "file"|"net"|"proc"|"ns"|
 *              "kernel", and that kind's fields as named in event.h} | null}}
 *
 * Times ("time" of a verdict: when it was decided; of an event: the
 * kernel's timestamp; "start_time") are RFC 3339 UTC with nanoseconds;
 * "severity" the strongest of the matches; "touched" what the event acted
 * on (file path, remote address, target pid, module name), "" when
 * nothing. Event strings are whatever the kernel saw, so bytes that are not
 * UTF-8 are written as the text \xNN (a hostile file name can neither break
 * nor hide a line). NULL only when out of memory. */
#ifndef RAMPART_EVAL_VERDICT_JSON_H
#define RAMPART_EVAL_VERDICT_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "verdict.h"

json_t *verdict_json(const struct rp_verdict *v);
json_t *event_to_json(const struct rp_event *ev);
/* The strongest severity among v's matches. */
enum rp_severity verdict_severity(const struct rp_verdict *v);
/* What the event touched, as verdict_json's "touched" (NUL-terminated). */
void verdict_touched(const struct rp_event *ev, char *out, size_t n);
/* RFC 3339 UTC with nanoseconds, e.g. 2026-11-29T04:25:53.123456789Z. */
void verdict_time_rfc3339(int64_t time_ns, char *out, size_t n);

#endif
