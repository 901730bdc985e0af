/* One selected event through `rampart replay`: the rules (with --cluster
 * standing in for the event's own cluster), the --rule verdict filter, the
 * output, and the verdict counts of the summary. There is no actuator
 * anywhere in a replay: a verdict is only ever written. The sources
 * (cli_replay_file.c, cli_replay_kafka.c) decode, count what they read and
 * apply the window and event filters; replay_engine_event has the
 * recording_fn signature so a recording feeds it directly. */
#ifndef RAMPART_CLI_REPLAY_ENGINE_H
#define RAMPART_CLI_REPLAY_ENGINE_H

#include <stddef.h>

#include "cli_replay_filter.h"
#include "cli_replay_output.h"
#include "cli_replay_summary.h"
#include "evaluator.h"

struct replay_engine {
	const struct eval_config *cfg;
	struct evaluator *eval;
	const struct replay_filter *filter;
	const char *cluster;          /* NULL: the events' own */
	struct replay_output *out;
	struct replay_counts counts;
};

/* 0, or -1 with err (out of memory). */
int replay_engine_init(struct replay_engine *e, const struct eval_config *cfg, const struct replay_filter *f,
		       const char *cluster, struct replay_output *out, char *err, size_t errlen);
/* ctx: the engine. 0, or -1 with err when the verdict cannot be written. */
int replay_engine_event(void *ctx, struct rp_event *ev, char *err, size_t errlen);
void replay_engine_free(struct replay_engine *e);

#endif
