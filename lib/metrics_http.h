/* A small HTTP/1.1 server thread for the daemons' operational endpoints:
 *   GET /metrics  Prometheus text exposition format 0.0.4
 *   GET /healthz  200 while the process is alive (the thread answers)
 *   GET /readyz   200 once metrics_set_ready(m, true), 503 before and after
 * HEAD is accepted too; other methods get 405, other paths 404. One request
 * per connection (Connection: close); requests are bounded in size (4 KiB of
 * headers, no body) and in time (2 s to send them, 2 s to take the reply),
 * and at most METRICS_MAX_CONNS are served at once.
 *
 * Metrics are registered before metrics_start() (registration is not
 * thread-safe) as a pointer to an atomic counter, a callback, or a callback
 * emitting labelled samples. The server thread only reads them: callbacks
 * run on that thread and must not take locks the daemon's hot path holds.
 * Writers with a single thread update their counters with metrics_inc()/
 * metrics_add() (relaxed: a plain load and store, no locked instruction).
 *
 * Histograms (METRICS_HISTOGRAM) have fixed bucket bounds in seconds and
 * one writer each (metrics_histogram_observe). Several histograms may be
 * registered under one name with different labels (one HELP/TYPE for all);
 * a labelled callback of that type may instead emit each one with
 * metrics_histogram_sample() (e.g. summing per-thread histograms). */
#ifndef RAMPART_METRICS_HTTP_H
#define RAMPART_METRICS_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_MAX_CONNS 16

enum metrics_type { METRICS_COUNTER, METRICS_GAUGE, METRICS_HISTOGRAM };

typedef _Atomic uint64_t metrics_u64;

/* Single-writer updates: readers on other threads see whole values. */
static inline void metrics_add(metrics_u64 *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}
static inline void metrics_inc(metrics_u64 *c) { metrics_add(c, 1); }
static inline void metrics_set(metrics_u64 *c, uint64_t v) { atomic_store_explicit(c, v, memory_order_relaxed); }
static inline uint64_t metrics_get(const metrics_u64 *c)
{
	return atomic_load_explicit((metrics_u64 *)c, memory_order_relaxed);
}

#define METRICS_HIST_MAX_BUCKETS 16

/* Per-bucket (not cumulative) counts; bucket[n] counts what exceeds every
 * bound (+Inf). The sum is kept in nanoseconds so it stays an integer. */
struct metrics_histogram {
	size_t n;
	double le[METRICS_HIST_MAX_BUCKETS]; /* upper bounds in seconds, ascending */
	metrics_u64 bucket[METRICS_HIST_MAX_BUCKETS + 1];
	metrics_u64 sum_ns;
};

/* 0, or -1 when there are more than METRICS_HIST_MAX_BUCKETS bounds or they
 * are not strictly ascending. */
int metrics_histogram_init(struct metrics_histogram *h, const double *le, size_t n);
/* Single writer; negative values count as 0. */
void metrics_histogram_observe(struct metrics_histogram *h, double seconds);
/* Adds src's counts to dst (same bounds): merging per-thread histograms. */
void metrics_histogram_merge(struct metrics_histogram *dst, const struct metrics_histogram *src);

struct metrics_server;
/* Where a labelled callback writes its samples. */
struct metrics_sink;

/* Value of a metric, read at scrape time on the server thread. */
typedef uint64_t (*metrics_read_fn)(void *ctx);
/* Emits the samples of a labelled metric with metrics_sample(). */
typedef void (*metrics_emit_fn)(void *ctx, struct metrics_sink *s);

/* labels: the text between the braces, e.g. cpu="0" (NULL or "" for none). */
void metrics_sample(struct metrics_sink *s, const char *labels, uint64_t value);
/* The _bucket (cumulative, le="+Inf" last), _sum (seconds) and _count
 * samples of one histogram, from a METRICS_HISTOGRAM labelled callback. */
void metrics_histogram_sample(struct metrics_sink *s, const char *labels, const struct metrics_histogram *h);

/* NULL when out of memory. */
struct metrics_server *metrics_new(void);
/* Registration: 0, or -1 when the name is not a valid Prometheus metric name
 * (a counter's name must end in _total), or out of memory. name and help
 * are copied; value / ctx must outlive the server. */
int metrics_register(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
		     const metrics_u64 *value);
int metrics_register_fn(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
			metrics_read_fn fn, void *ctx);
int metrics_register_labelled(struct metrics_server *m, const char *name, const char *help,
			      enum metrics_type type, metrics_emit_fn fn, void *ctx);
/* labels as for metrics_sample; h (and labels' copy) read at scrape time.
 * A name registered again adds a series under the first one's HELP. */
int metrics_register_histogram(struct metrics_server *m, const char *name, const char *help, const char *labels,
			       const struct metrics_histogram *h);

/* Binds addr ("host:port", "[v6]:port" or ":port" for every address; port 0
 * picks a free one) and starts the thread. 0, or -1 with err. */
int metrics_start(struct metrics_server *m, const char *addr, char *err, size_t errlen);
/* The bound port (after metrics_start). */
uint16_t metrics_port(const struct metrics_server *m);
void metrics_set_ready(struct metrics_server *m, bool ready);
/* The exposition text as served, into a malloc'd NUL-terminated string (for
 * tests and final reports). NULL when out of memory. */
char *metrics_render(struct metrics_server *m);
/* Stops the thread (open connections are closed) and frees m. NULL is fine. */
void metrics_free(struct metrics_server *m);

#endif
