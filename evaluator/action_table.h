/* ARCHITECTURE §5: what an orchestrator allows for a requested action.
 *   kubernetes: as requested (isolate pod, delete pod)
 *   ecs:        isolate -> log (no network isolation of a task); terminate
 *               needs protection_version >= 2.2.3 (compared as versions:
 *               2.10.0 > 2.2.3), else log
 *   none:       as requested (isolate / kill the container)
 * reason is filled (NUL-terminated, empty when effective == requested). */
#ifndef RAMPART_EVAL_ACTION_TABLE_H
#define RAMPART_EVAL_ACTION_TABLE_H

#include <stddef.h>

#include "action.h"
#include "event.h"

extern const unsigned action_min_terminate_version[4];

enum rp_action action_effective(enum rp_orchestrator orch, const unsigned version[4], enum rp_action requested,
				char *reason, size_t n);
/* terminate > isolate > log */
static inline enum rp_action action_stronger(enum rp_action a, enum rp_action b) { return a > b ? a : b; }

#endif
