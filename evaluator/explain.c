/* `rampart rules explain`: why each candidate rule did or did not match. */
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

int eval_explain(struct evaluator *e, const struct eval_config *cfg, const char *cluster, const struct rp_event *ev,
		 FILE *out)
{
	const struct ctable *t = &cfg->catalog;
	struct field_scratch *sc = calloc(1, sizeof(*sc)); /* explain is not the hot path */
	unsigned matched = 0, total = 0;

	(void)e;
	if (!sc)
		return -1;
	if (cluster && !(t = config_table_for(cfg, (struct rp_str){cluster, (uint32_t)strlen(cluster)}))) {
		fprintf(out, "unknown cluster '%s'\n", cluster);
		free(sc);
		return -1;
	}
	if ((unsigned)ev->type >= RP_EV__COUNT) {
		free(sc);
		return -1;
	}
	fprintf(out, "event type %s; %s: %u candidate rule(s)\n", rp_event_type_names[ev->type],
		cluster ? cluster : "catalog (enabled rules)", t->by_type[ev->type + 1] - t->by_type[ev->type]);
	for (uint32_t i = t->by_type[ev->type]; i < t->by_type[ev->type + 1]; i++) {
		const struct centry *en = &t->entries[i];
		const struct crule *r = &cfg->rules[en->rule];
		const struct cpred *failed = NULL;
		total++;
		if (config_rule_run(cfg, r, ev, sc, NULL, NULL, 0, &failed)) {
			char buf[EVAL_OUTPUT_MAX];
			matched++;
			tmpl_render(&r->output, ev, sc, buf, sizeof(buf));
			fprintf(out, "MATCH    %s %s [%s %s %s]\n         %s\n", r->id, r->name, rp_severity_names[r->severity],
				r->technique, r->tactic, buf);
			for (uint32_t k = 0; k < en->nact; k++) {
				const struct cact *a = &t->acts[en->act + k];
				if (a->ruleset >= cfg->nrulesets)
					continue;
				fprintf(out, "         ruleset %s: %s -> %s%s%s\n", cfg->rulesets[a->ruleset],
					rp_action_names[a->requested], rp_action_names[a->effective],
					a->reason[0] ? " : " : "", a->reason);
			}
		} else if (failed)
			fprintf(out, "no match %s %s: false at `%s` (%s)\n", r->id, r->name, failed->src, failed->where);
		else
			fprintf(out, "no match %s %s: the condition is false\n", r->id, r->name);
	}
	fprintf(out, "%u of %u matched\n", matched, total);
	free(sc);
	return (int)matched;
}
