/* What a verdict acts on, read from the event it carries: the workload's
 * orchestrator identifiers (act_target, driver.h), a human-readable name of
 * it for audit records, and the blast-radius scope it belongs to. */
#ifndef RAMPART_ACT_TARGET_H
#define RAMPART_ACT_TARGET_H

#include <stddef.h>

#include "driver.h"
#include "event.h"

void act_target_from_event(const struct rp_event *ev, struct act_target *t);
/* "namespace/pod", the task ARN, or the container id (NUL-terminated). */
void act_target_describe(const struct act_target *t, char *out, size_t n);
/* "kubernetes:<cluster>/<namespace>", "ecs:<cluster>", "host:<node>". */
void act_target_scope(const struct rp_event *ev, const struct act_target *t, char *out, size_t n);
/* The driver serving an orchestrator: kubernetes, ecs, local. */
const char *act_driver_name(enum rp_orchestrator orch);

#endif
