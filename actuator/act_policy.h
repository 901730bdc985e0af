/* The actuator's own check of the action table (ARCHITECTURE §5): whatever
 * a verdict asks for, the actuator never does more than the workload's
 * cluster allows.
 *
 * Clusters come from the same rule documents the evaluators load (name,
 * orchestrator, ECS protection version), looked up by the event's cluster
 * with the "default" entry as fallback, as the evaluator does. The allowed
 * action is the weaker of what the cluster entry's orchestrator and the
 * event's own orchestrator allow (they differ only when the configuration
 * is wrong, and then the cautious answer wins). Without any entry, the
 * event's orchestrator decides and the ECS protection version is unknown,
 * so terminate on ECS is not allowed. */
#ifndef RAMPART_ACT_POLICY_H
#define RAMPART_ACT_POLICY_H

#include <stddef.h>

#include "action.h"
#include "diag.h"
#include "event.h"

struct act_policy;

/* n == 0: no documents (every lookup falls back to the event). NULL with
 * the errors in d when a document is invalid. */
struct act_policy *act_policy_load(const char *const *paths, size_t n, struct diag *d);
void act_policy_free(struct act_policy *p);
/* The strongest action allowed for requested on ev's workload (p may be
 * NULL: no documents); reason says
 * why when that is weaker (NUL-terminated, "" otherwise). */
enum rp_action act_policy_allowed(const struct act_policy *p, const struct rp_event *ev, enum rp_action requested,
				  char *reason, size_t n);

#endif
