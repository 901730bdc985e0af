/* The collector's Prometheus metrics (rampart_collector_*) and the /metrics,
 * /healthz, /readyz server (lib/metrics_http.h).
 *
 * The metrics thread reads the pipeline's and publisher's atomic counters
 * and the kernel's per-CPU drop map directly; producer statistics are
 * copied into atomics by the reader thread (collector_metrics_refresh), so a
 * scrape never takes a lock the publishing path holds. */
#ifndef RAMPART_COLLECTOR_METRICS_H
#define RAMPART_COLLECTOR_METRICS_H

#include <stddef.h>

#include "capture_loader.h"
#include "collector_pipeline.h"
#include "metrics_http.h"
#include "pod_watch.h"

struct collector_metrics {
	struct metrics_server *srv;
	const struct collector_pipeline *pipe;
	const struct capture *cap;
	const struct pod_watch_stats *pods;
	metrics_u64 ringbuf_drops; /* total as the reader last accounted it */
	metrics_u64 sent, delivered, failed, queue_full; /* producer_stats snapshot */
};

/* Registers every metric and starts the server on addr. cap may be NULL
 * (no per-CPU drops), pods too (no rampart_collector_pod_watch_*). 0, or -1
 * with err. */
int collector_metrics_start(struct collector_metrics *m, const char *addr, const struct collector_pipeline *pipe,
			    const struct capture *cap, const struct pod_watch_stats *pods, char *err, size_t errlen);
/* Reader thread: copies the producer's stats and the accounted drops. */
void collector_metrics_refresh(struct collector_metrics *m, struct producer *p, uint64_t drops);
void collector_metrics_set_ready(struct collector_metrics *m, bool ready);
/* Stops the server (before the pipeline and capture it reads are freed). */
void collector_metrics_stop(struct collector_metrics *m);

#endif
