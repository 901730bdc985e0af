/* The evaluator's public API: compile a configuration once, evaluate
 * events into verdicts many times.
 *
 *   struct diag d = {0};
 *   struct eval_config *cfg = eval_config_load(paths, n, &d); // NULL: see d
 *   struct evaluator *e = evaluator_new();
 *   if (evaluator_eval(e, cfg, &event, &verdict) > 0) verdict_encode(...);
 *
 * A configuration (catalog + rulesets + policies + clusters) is immutable
 * once compiled and reference counted, so a service can build a new one
 * off the hot path, publish it with an atomic pointer swap, and release the
 * old one when the last evaluation holding it has finished
 * (eval_config_ref / eval_config_unref are atomic).
 *
 * Which rules apply: the event's `cluster` names a configured cluster; its
 * policy's rulesets apply, each only if all of its labels are among the
 * cluster's labels (kubernetes and none; on ecs ruleset labels are
 * ignored). An event from a cluster that is not configured is evaluated
 * against the cluster named "default" if there is one, else against
 * nothing (counted in stats.unknown_cluster). Effective actions follow
 * action_table.h per cluster; the verdict's effective action is the
 * strongest over its matches.
 *
 * An evaluator holds one thread's scratch; evaluator_eval never allocates
 * except the first time it meets a configuration with more predicates than
 * any before (a per-predicate memo grows). The verdict's strings point into
 * the evaluator, the configuration and the event: valid until the next
 * call, while cfg and the event's buffer live. */
#ifndef RAMPART_EVALUATOR_H
#define RAMPART_EVALUATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "doc.h"
#include "verdict.h"

struct eval_config;
struct evaluator;

struct eval_config *eval_config_compile(const struct rules_doc *doc, struct diag *d);
struct eval_config *eval_config_load(const char *const *paths, size_t n, struct diag *d);
struct eval_config *eval_config_ref(struct eval_config *cfg);
void eval_config_unref(struct eval_config *cfg);

struct eval_config_info {
	size_t rules, predicates, instructions, clusters, bytes;
};
void eval_config_info(const struct eval_config *cfg, struct eval_config_info *out);
/* How many rules the event-type index hands an event of this type in this
 * cluster (its unknown-cluster fallback if it is not configured). */
size_t eval_config_rules_for_type(const struct eval_config *cfg, const char *cluster, enum rp_event_type type);

struct eval_stats {
	uint64_t events, verdicts, unknown_cluster, matches_dropped;
};

struct evaluator *evaluator_new(void);
void evaluator_free(struct evaluator *e);
/* Number of matches (0: no verdict; *v untouched), or -1 when out of memory. */
int evaluator_eval(struct evaluator *e, const struct eval_config *cfg, const struct rp_event *ev,
		   struct rp_verdict *v);
const struct eval_stats *evaluator_stats(const struct evaluator *e);

/* Prints, for every rule that could apply to ev (those of its event type in
 * cluster's tables, or every enabled catalog rule when cluster is NULL),
 * whether it matches and otherwise the first predicate that failed. */
int eval_explain(struct evaluator *e, const struct eval_config *cfg, const char *cluster, const struct rp_event *ev,
		 FILE *out);

#define EVAL_OUTPUT_MAX 1024

#endif
