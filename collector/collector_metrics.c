#include "collector_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CPU_MAX 1024

/* Kernel reservation failures per CPU, read from the drop map at scrape
 * time (a map lookup: no user-space lock involved). */
static void emit_drops_per_cpu(void *ctx, struct metrics_sink *s)
{
	const struct collector_metrics *m = ctx;
	uint64_t v[CPU_MAX];
	int n = capture_drops_per_cpu(m->cap, v, CPU_MAX);
	char label[32];

	for (int i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "cpu=\"%d\"", i);
		metrics_sample(s, label, v[i]);
	}
}

struct def {
	const char *name, *help;
	enum metrics_type type;
	const metrics_u64 *value;
};

static int register_defs(struct collector_metrics *m, const struct def *defs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (metrics_register(m->srv, defs[i].name, defs[i].help, defs[i].type, defs[i].value))
			return -1;
	return 0;
}

static int register_pod_watch(struct collector_metrics *m)
{
	const struct pod_watch_stats *w = m->pods;
	const struct def defs[] = {
		{"rampart_collector_pod_watch_lists_total", "Pod LISTs completed (the first and every relist).",
		 METRICS_COUNTER, &w->lists},
		{"rampart_collector_pod_watch_restarts_total", "Pod watches opened again after one ended.",
		 METRICS_COUNTER, &w->watch_restarts},
		{"rampart_collector_pod_watch_events_total", "Pod watch events (added, modified, deleted) applied.",
		 METRICS_COUNTER, &w->events},
		{"rampart_collector_pod_watch_errors_total",
		 "Failed pod LISTs and watches, error events and pods that could not be stored.", METRICS_COUNTER,
		 &w->errors},
		{"rampart_collector_pod_watch_pods", "Pods of this node known from the API server.", METRICS_GAUGE,
		 &w->pods},
		{"rampart_collector_pod_watch_synced", "1 once the first pod LIST completed.", METRICS_GAUGE,
		 &w->synced},
	};

	return register_defs(m, defs, sizeof(defs) / sizeof(defs[0]));
}

static int register_all(struct collector_metrics *m)
{
	const struct collector_pipeline *p = m->pipe;
	const struct def defs[] = {
		{"rampart_collector_events_read_total", "Records read from the kernel ring buffer.", METRICS_COUNTER, &p->read},
		{"rampart_collector_events_published_total", "Events accepted by the producer.", METRICS_COUNTER,
		 &p->pub.published},
		{"rampart_collector_events_decode_failed_total", "Malformed kernel records (counted as loss).",
		 METRICS_COUNTER, &p->decode_failed},
		{"rampart_collector_events_filtered_total",
		 "Read-only opens outside collector.sensitive_paths, dropped by configuration.", METRICS_COUNTER,
		 &p->filtered},
		{"rampart_collector_events_encode_failed_total", "Events that could not be encoded (counted as loss).",
		 METRICS_COUNTER, &p->pub.encode_failed},
		{"rampart_collector_events_send_failed_total",
		 "Events the producer refused: queue full past the send timeout or a fatal error (counted as loss).",
		 METRICS_COUNTER, &p->pub.send_failed},
		{"rampart_collector_ringbuf_drops_total",
		 "Ring-buffer reservation failures in the kernel, summed over CPUs (counted as loss).", METRICS_COUNTER,
		 &m->ringbuf_drops},
		{"rampart_collector_last_sequence", "Sequence number of the last published event.", METRICS_GAUGE,
		 &p->pub.last_sequence},
		{"rampart_collector_producer_sent_total", "Messages accepted by the transport.", METRICS_COUNTER, &m->sent},
		{"rampart_collector_producer_delivered_total", "Messages acknowledged by the destination.",
		 METRICS_COUNTER, &m->delivered},
		{"rampart_collector_producer_failed_total", "Messages that failed after acceptance.", METRICS_COUNTER,
		 &m->failed},
		{"rampart_collector_producer_queue_full_total", "Sends that found the producer queue full.",
		 METRICS_COUNTER, &m->queue_full},
	};

	if (register_defs(m, defs, sizeof(defs) / sizeof(defs[0])) || (m->pods && register_pod_watch(m)))
		return -1;
	if (m->cap && metrics_register_labelled(m->srv, "rampart_collector_ringbuf_drops_per_cpu_total",
						"Ring-buffer reservation failures in the kernel, per CPU.",
						METRICS_COUNTER, emit_drops_per_cpu, m))
		return -1;
	return 0;
}

int collector_metrics_start(struct collector_metrics *m, const char *addr, const struct collector_pipeline *pipe,
			    const struct capture *cap, const struct pod_watch_stats *pods, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	m->pipe = pipe, m->cap = cap, m->pods = pods;
	m->srv = metrics_new();
	if (!m->srv || register_all(m)) {
		snprintf(err, errlen, "metrics: out of memory");
		collector_metrics_stop(m);
		return -1;
	}
	if (metrics_start(m->srv, addr, err, errlen)) {
		collector_metrics_stop(m);
		return -1;
	}
	return 0;
}

void collector_metrics_refresh(struct collector_metrics *m, struct producer *p, uint64_t drops)
{
	struct producer_stats ps = {0};

	if (!m->srv)
		return;
	if (p)
		producer_stats(p, &ps);
	metrics_set(&m->sent, ps.sent), metrics_set(&m->delivered, ps.delivered);
	metrics_set(&m->failed, ps.failed), metrics_set(&m->queue_full, ps.queue_full);
	metrics_set(&m->ringbuf_drops, drops);
}

void collector_metrics_set_ready(struct collector_metrics *m, bool ready)
{
	if (m->srv)
		metrics_set_ready(m->srv, ready);
}

void collector_metrics_stop(struct collector_metrics *m)
{
	metrics_free(m->srv);
	m->srv = NULL;
}
