/* The compiled configuration, shared by ruleset_compile.c (builds it),
 * evaluator.c and explain.c (read it). Not part of the public API. */
#ifndef RAMPART_EVAL_CONFIG_INTERNAL_H
#define RAMPART_EVAL_CONFIG_INTERNAL_H

#include <stdatomic.h>

#include "arena.h"
#include "evaluator.h"
#include "fields.h"
#include "program.h"
#include "template.h"

struct crule {
	const char *id, *name, *technique, *tactic;
	enum rp_severity severity;
	uint64_t events;
	uint32_t code, ncode; /* into program.code */
	struct tmpl output;
	bool enabled;
};

/* One (ruleset, action) under which a rule is active in a cluster. */
struct cact {
	uint32_t ruleset;
	enum rp_action requested, effective;
	const char *reason; /* "" when equal */
};

struct centry {
	uint32_t rule, act, nact; /* acts[act .. act+nact) */
};

/* Per cluster: for event type t, entries[by_type[t] .. by_type[t+1]). */
struct ctable {
	const char *name, *policy;
	enum rp_orchestrator orch;
	uint32_t by_type[RP_EV__COUNT + 1];
	struct centry *entries;
	struct cact *acts;
};

struct eval_config {
	atomic_uint refs;
	struct arena arena;
	struct program prog;
	struct crule *rules;
	uint32_t nrules;
	const char **rulesets;
	uint32_t nrulesets;
	struct ctable *clusters;
	uint32_t nclusters;
	struct ctable catalog; /* every enabled-by-default rule, action log */
	const struct ctable *fallback; /* the "default" cluster, or NULL */
};

const struct ctable *config_table_for(const struct eval_config *cfg, struct rp_str cluster);
/* Runs rule r's code; *first_false (optional) gets the first predicate
 * that evaluated false. memo may be NULL. */
bool config_rule_run(const struct eval_config *cfg, const struct crule *r, const struct rp_event *ev,
		     struct field_scratch *sc, uint32_t *memo_stamp, uint8_t *memo_val, uint32_t stamp,
		     const struct cpred **first_false);

#endif
