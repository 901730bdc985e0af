/* The collector's per-record work, without the ring buffer: decode ->
 * read-only-open filter -> identity -> stamp, encode and publish. The
 * reader loop (collector_run.c) feeds it kernel records; the replay
 * benchmark (bench/bench_collector_replay.c) feeds it recorded ones, so
 * both measure the same code.
 *
 * Single-threaded: one thread calls collector_pipeline_record. The counters
 * are metrics_u64 so the metrics thread may read them meanwhile. */
#ifndef RAMPART_COLLECTOR_PIPELINE_H
#define RAMPART_COLLECTOR_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "capture_decode.h"
#include "collector_config.h"
#include "collector_publish.h"
#include "identity.h"
#include "metrics_http.h"

struct collector_pipeline {
	const struct capture_options *opts;
	struct collector_publisher pub;
	struct identity *id;
	int64_t boot_to_epoch_ns;
	metrics_u64 read;          /* records handed in */
	metrics_u64 decode_failed; /* malformed records (never expected): counted loss */
	metrics_u64 filtered;      /* read-only opens outside the sensitive prefixes */
	struct capture_strings st;
	struct event_scratch scratch;
	struct rp_event ev;
};

/* Opens the publisher and the identity resolver. 0, or an enum
 * collector_exit (collector_run.h) with err filled. */
int collector_pipeline_init(struct collector_pipeline *p, const struct collector_config *cc, char *err,
			    size_t errlen);
/* One kernel record; failures are counted, never returned (a record is
 * never retried). */
void collector_pipeline_record(struct collector_pipeline *p, const void *data, size_t len);
/* Flushes the producer for up to flush_ms and frees everything. The
 * producer's final stats go to *ps when not NULL. */
void collector_pipeline_close(struct collector_pipeline *p, int flush_ms, struct producer_stats *ps);

#endif
