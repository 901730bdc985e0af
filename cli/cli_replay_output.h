/* Where `rampart replay` writes its verdicts: exactly one of
 *   stdout      one line per verdict on a terminal ("would <action>"), JSON
 *               lines otherwise or with json (cli_verdict_print.h);
 *   a file      JSON lines;
 *   a topic     single-object framed Verdicts keyed by workload id, as
 *               rampart-evaluator produces them (Kafka, idempotent producer).
 * A replay must never reach the actuator: replay_output_check refuses the
 * actuator's topic (rampart.verdicts) and the events topic before anything
 * is opened. replay_output_close flushes: a verdict the broker did not
 * acknowledge is an error. The progress line, when it shares the terminal
 * with stdout, is hidden before each verdict. */
#ifndef RAMPART_CLI_REPLAY_OUTPUT_H
#define RAMPART_CLI_REPLAY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "cli_progress.h"
#include "cli_verdict_print.h"
#include "transport.h"
#include "verdict.h"

#define REPLAY_ACTUATOR_TOPIC "rampart.verdicts"

struct replay_output_config {
	const char *path;      /* --output; NULL: stdout */
	const char *topic;     /* --output-topic; NULL: a stream */
	const char *brokers;   /* for topic */
	const char *events_topic; /* the topic replay reads, if any */
	bool json;             /* JSON lines even on a terminal */
};

struct replay_output {
	struct verdict_printer printer;
	FILE *file;            /* opened for --output */
	struct producer *producer;
	const char *topic;
	struct rp_buf buf;
	struct progress *progress; /* hidden before printing to its terminal */
};

/* -1 with err when the configuration is contradictory or names a topic a
 * replay must not write to (a usage error: exit 2). */
int replay_output_check(const struct replay_output_config *c, char *err, size_t errlen);
int replay_output_open(struct replay_output *o, const struct replay_output_config *c, struct progress *progress,
		       char *err, size_t errlen);
/* 0, or -1 with err when the verdict could not be written. */
int replay_output_write(struct replay_output *o, const struct rp_verdict *v, char *err, size_t errlen);
/* Flushes and closes; -1 with err when something written was lost. */
int replay_output_close(struct replay_output *o, char *err, size_t errlen);

#endif
