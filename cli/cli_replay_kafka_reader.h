/* The state `rampart replay --brokers` keeps while reading the events
 * topic, shared by the setup (cli_replay_kafka.c: connect, partitions,
 * offsets by time, assign) and the read loop (cli_replay_kafka_read.c).
 * One partition's range is [start, end): end is the high watermark as of
 * the start; next is the first offset not yet accounted for in consumed,
 * which drives the progress line. */
#ifndef RAMPART_CLI_REPLAY_KAFKA_READER_H
#define RAMPART_CLI_REPLAY_KAFKA_READER_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli_replay_kafka.h"
#include "schema_store.h"

struct kpart {
	int32_t id;
	int64_t start, end, next; /* next: first offset not yet accounted for */
	bool done;
};

struct kreader {
	const struct replay_kafka *k;
	rd_kafka_t *rk;
	struct kpart *parts;
	int nparts, open;
	int64_t from_ms, to_ms;
	uint64_t total, consumed, warnings;
	struct schema_store *store;
	struct event_scratch scratch;
	struct rp_buf resolve;
};

/* The partition with this id, or NULL. */
struct kpart *kreader_part(struct kreader *kr, int32_t id);
/* Reads until every partition is finished: 0, 1 when *stop was set, -1
 * with err. */
int kreader_consume(struct kreader *kr, char *err, size_t errlen);

#endif
