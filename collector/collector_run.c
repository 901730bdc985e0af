#include "collector_run.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture_loader.h"
#include "collector_metrics.h"
#include "collector_pipeline.h"
#include "pod_watch.h"

struct collector {
	struct collector_pipeline pipe;
	struct capture *cap;
	struct pod_watch *pods;   /* NULL: no pod metadata from the API server */
	struct collector_metrics metrics;
	uint64_t drops_seen;
};

static int on_record(void *ctx, const void *data, size_t len)
{
	struct collector *c = ctx;

	collector_pipeline_record(&c->pipe, data, len);
	return 0;
}

/* Kernel drops since the last look become sequence gaps. */
static void account_drops(struct collector *c)
{
	uint64_t d = capture_drops(c->cap);

	if (d > c->drops_seen) {
		collector_publish_gap(&c->pipe.pub, d - c->drops_seen);
		c->drops_seen = d;
	}
}

/* With enabled: auto a watcher that cannot start (no token mounted, say)
 * leaves events without labels and owners rather than the node unwatched. */
static int start_pod_watch(struct collector *c, const struct collector_config *cc, FILE *log)
{
	const struct collector_kubernetes *k = &cc->kubernetes;
	struct pod_watch_config pc = {.node = cc->node, .kubeconfig = k->kubeconfig, .context = k->context,
				      .token_file = k->token_file, .ca_file = k->ca_file,
				      .watch_timeout_s = k->watch_timeout_s, .log = log};
	char err[512];

	if (!k->enabled)
		return COLLECTOR_OK;
	c->pods = pod_watch_start(&pc, err, sizeof(err));
	if (c->pods) {
		fprintf(log, "rampart-collector: pod watch: started for node %s\n", cc->node);
		return COLLECTOR_OK;
	}
	fprintf(log, "rampart-collector: pod watch: %s%s\n", err,
		k->required ? "" : " (collector.kubernetes.enabled is auto: running without pod labels and owners)");
	return k->required ? COLLECTOR_ERR_USAGE : COLLECTOR_OK;
}

static int open_all(struct collector *c, const struct collector_config *cc, FILE *log)
{
	char err[512];
	int rc = start_pod_watch(c, cc, log);

	if (rc != COLLECTOR_OK)
		return rc;
	rc = collector_pipeline_init(&c->pipe, cc, err, sizeof(err));
	if (rc != COLLECTOR_OK) {
		fprintf(log, "rampart-collector: %s\n", err);
		return rc;
	}
	identity_set_pods(c->pipe.id, c->pods);
	c->cap = capture_open(&cc->capture, on_record, c, err, sizeof(err));
	if (!c->cap) {
		fprintf(log, "rampart-collector: capture: %s\n", err);
		return COLLECTOR_ERR_CAPTURE;
	}
	if (*capture_missing_hooks(c->cap))
		fprintf(log, "rampart-collector: optional hooks unavailable, running without: %s\n",
			capture_missing_hooks(c->cap));
	if (cc->metrics_listen && *cc->metrics_listen) {
		if (collector_metrics_start(&c->metrics, cc->metrics_listen, &c->pipe, c->cap,
					    c->pods ? pod_watch_stats(c->pods) : NULL, err, sizeof(err))) {
			fprintf(log, "rampart-collector: %s\n", err);
			return COLLECTOR_ERR_USAGE;
		}
		fprintf(log, "rampart-collector: metrics on %s (port %u)\n", cc->metrics_listen,
			metrics_port(c->metrics.srv));
	}
	return COLLECTOR_OK;
}

static void close_all(struct collector *c, struct collector_counters *n)
{
	struct producer_stats ps = {0};

	collector_metrics_stop(&c->metrics); /* it reads what is freed below */
	capture_close(c->cap);
	n->read = metrics_get(&c->pipe.read);
	n->decode_failed = metrics_get(&c->pipe.decode_failed);
	n->published = metrics_get(&c->pipe.pub.published);
	n->send_failed = metrics_get(&c->pipe.pub.send_failed) + metrics_get(&c->pipe.pub.encode_failed);
	collector_pipeline_close(&c->pipe, 10000, &ps);
	pod_watch_stop(c->pods); /* after the identity cache and metrics that read it */
	n->delivered = ps.delivered, n->delivery_failed = ps.failed;
}

static int read_loop(struct collector *c, volatile sig_atomic_t *stop, FILE *log)
{
	while (!*stop) {
		int n = capture_poll(c->cap, 20); /* the latency bound: see capture_poll */

		if (n < 0 && n != -4 /* EINTR */) {
			fprintf(log, "rampart-collector: ring buffer poll: %s\n", strerror(-n));
			return COLLECTOR_ERR_RUNTIME;
		}
		account_drops(c);
		collector_metrics_refresh(&c->metrics, c->pipe.pub.producer, c->drops_seen);
	}
	return COLLECTOR_OK;
}

int collector_run(const struct collector_config *cc, volatile sig_atomic_t *stop, struct collector_counters *out,
		  FILE *log)
{
	struct collector *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return COLLECTOR_ERR_RUNTIME;
	rc = open_all(c, cc, log);
	if (rc == COLLECTOR_OK) {
		fprintf(log, "rampart-collector: capturing (node %s, boot id %s, container_only=%d)\n", cc->node,
			c->pipe.pub.boot_id, cc->capture.container_only);
		collector_metrics_set_ready(&c->metrics, true);
		rc = read_loop(c, stop, log);
		collector_metrics_set_ready(&c->metrics, false); /* draining: take us out of rotation */
	}
	if (c->cap) { /* drain what is already in the ring, then count */
		capture_poll(c->cap, 0);
		account_drops(c);
	}
	out->ringbuf_drops = c->drops_seen;
	close_all(c, out);
	free(c);
	return rc;
}

void collector_counters_print(const struct collector_counters *c, FILE *f)
{
	fprintf(f,
		"rampart-collector: events_read=%llu published=%llu send_failed=%llu decode_failed=%llu "
		"ringbuf_drops=%llu delivered=%llu delivery_failed=%llu\n",
		(unsigned long long)c->read, (unsigned long long)c->published, (unsigned long long)c->send_failed,
		(unsigned long long)c->decode_failed, (unsigned long long)c->ringbuf_drops,
		(unsigned long long)c->delivered, (unsigned long long)c->delivery_failed);
}
