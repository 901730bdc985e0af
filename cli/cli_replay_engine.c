#include "cli_replay_engine.h"

#include <stdio.h>
#include <string.h>

int replay_engine_init(struct replay_engine *e, const struct eval_config *cfg, const struct replay_filter *f,
		       const char *cluster, struct replay_output *out, char *err, size_t errlen)
{
	memset(e, 0, sizeof(*e));
	e->cfg = cfg, e->filter = f, e->cluster = cluster, e->out = out;
	e->eval = evaluator_new();
	if (!e->eval)
		return snprintf(err, errlen, "evaluator: out of memory"), -1;
	return 0;
}

int replay_engine_event(void *ctx, struct rp_event *ev, char *err, size_t errlen)
{
	struct replay_engine *e = ctx;
	struct rp_verdict v;
	int n;

	if (e->cluster)
		ev->cluster = (struct rp_str){e->cluster, (uint32_t)strlen(e->cluster)};
	n = evaluator_eval(e->eval, e->cfg, ev, &v);
	if (n < 0)
		return snprintf(err, errlen, "evaluation: out of memory"), -1;
	if (n == 0 || !replay_filter_verdict(e->filter, &v))
		return 0;
	if (replay_output_write(e->out, &v, err, errlen))
		return -1;
	replay_counts_verdict(&e->counts, &v);
	return 0;
}

void replay_engine_free(struct replay_engine *e)
{
	evaluator_free(e->eval);
	replay_counts_free(&e->counts);
	e->eval = NULL;
}
