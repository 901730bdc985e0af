/* `rampart replay --brokers`: the events topic read by time, with a
 * throwaway consumer: a fresh group id that is never joined (partitions are
 * assigned, not subscribed) and never committed to, so no consumer group's
 * position (the evaluators') is ever touched.
 *
 * Per partition: the range starts at rd_kafka_offsets_for_times(--from)
 * (the beginning without --from) and ends at the high watermark as of the
 * start, or earlier at the first message whose timestamp is after --to; a
 * finished partition is paused. --from/--to compare with the Kafka message
 * timestamps here (in a recording: with the event times). Messages decode
 * as every consumer of the topic decodes them (event_message.h: framed,
 * current or registered older writer schemas); an undecodable one is
 * counted and skipped. Selected events go to the engine. Progress: offsets
 * consumed of the whole range.
 *
 * Returns 0 when every partition is finished, 1 when *stop was set, -1 with
 * err on a broker or topic error, or when no data arrived for a minute. */
#ifndef RAMPART_CLI_REPLAY_KAFKA_H
#define RAMPART_CLI_REPLAY_KAFKA_H

#include <signal.h>
#include <stddef.h>

#include "cli_progress.h"
#include "cli_replay_engine.h"
#include "cli_replay_filter.h"

struct replay_kafka {
	const char *brokers, *topic;
	const struct replay_filter *filter;
	struct replay_engine *engine;
	struct progress *progress;
	const volatile sig_atomic_t *stop;
};

int replay_kafka(const struct replay_kafka *k, char *err, size_t errlen);

#endif
