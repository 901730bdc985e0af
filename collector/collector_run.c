#include "collector_run.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture_decode.h"
#include "capture_loader.h"
#include "collector_publish.h"
#include "identity.h"

struct collector {
	const struct capture_options *opts;
	struct collector_publisher pub;
	struct capture *cap;
	struct identity *id;
	int64_t boot_to_epoch_ns;
	uint64_t drops_seen;
	struct collector_counters n;
	struct capture_strings st;
	struct event_scratch scratch;
	struct rp_event ev;
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The kernel passes relative read-only opens (it cannot match them without
 * a walk); now resolved, they get the same prefix test. */
static bool ro_open_filtered(const struct capture_options *o, const struct rp_event *ev)
{
	const struct rp_file_args *f = &ev->args.file;

	if (!o->nprefixes || ev->type != RP_EV_OPEN || (f->flags & 03) || (f->flags & (0100 | 01000)))
		return false;
	for (size_t i = 0; i < o->nprefixes; i++) {
		size_t n = strlen(o->ro_prefixes[i]);

		if (f->path.len >= n && memcmp(f->path.ptr, o->ro_prefixes[i], n) == 0)
			return false;
	}
	return true;
}

static int on_record(void *ctx, const void *data, size_t len)
{
	struct collector *c = ctx;

	c->n.read++;
	if (capture_decode(data, len, c->boot_to_epoch_ns, &c->ev, &c->st, &c->scratch)) {
		c->n.decode_failed++;
		collector_publish_gap(&c->pub, 1); /* read but not publishable: still a loss */
		return 0;
	}
	if (ro_open_filtered(c->opts, &c->ev))
		return 0; /* filtered by configuration, as in the kernel: not a loss */
	/* Host processes too: their cgroup path is worth having. */
	identity_fill_event(identity_lookup(c->id, ((const struct rk_record *)data)->proc.cgroup_id), &c->ev);
	collector_publish(&c->pub, &c->ev); /* a failure is counted in pub */
	return 0;
}

/* Kernel drops since the last look become sequence gaps. */
static void account_drops(struct collector *c)
{
	uint64_t d = capture_drops(c->cap);

	if (d > c->drops_seen) {
		collector_publish_gap(&c->pub, d - c->drops_seen);
		c->drops_seen = d;
	}
}

static int open_all(struct collector *c, const struct collector_config *cc, FILE *log)
{
	char err[512];

	c->opts = &cc->capture;
	c->boot_to_epoch_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	if (collector_publisher_init(&c->pub, &cc->transport, cc->topic, cc->node, cc->cluster, cc->orchestrator, err,
				     sizeof(err))) {
		fprintf(log, "rampart-collector: transport: %s\n", err);
		return COLLECTOR_ERR_TRANSPORT;
	}
	struct identity_config icfg = {.cgroup2_root = cc->cgroup2_root, .cluster = cc->cluster,
				       .orchestrator = cc->orchestrator,
				       .state_dirs = cc->nstate_dirs ? cc->state_dirs : NULL, .nstate_dirs = cc->nstate_dirs};
	c->id = identity_new(&icfg, err, sizeof(err));
	if (!c->id) {
		fprintf(log, "rampart-collector: identity: %s\n", err);
		return COLLECTOR_ERR_RUNTIME;
	}
	c->cap = capture_open(&cc->capture, on_record, c, err, sizeof(err));
	if (!c->cap) {
		fprintf(log, "rampart-collector: capture: %s\n", err);
		return COLLECTOR_ERR_CAPTURE;
	}
	if (*capture_missing_hooks(c->cap))
		fprintf(log, "rampart-collector: optional hooks unavailable, running without: %s\n",
			capture_missing_hooks(c->cap));
	return COLLECTOR_OK;
}

static void close_all(struct collector *c)
{
	struct producer_stats ps = {0};

	capture_close(c->cap);
	identity_free(c->id);
	if (c->pub.producer) {
		producer_flush(c->pub.producer, 10000);
		producer_stats(c->pub.producer, &ps);
	}
	c->n.published = c->pub.published;
	c->n.send_failed = c->pub.send_failed + c->pub.encode_failed;
	c->n.delivered = ps.delivered, c->n.delivery_failed = ps.failed;
	collector_publisher_close(&c->pub, 0);
}

int collector_run(const struct collector_config *cc, volatile sig_atomic_t *stop, struct collector_counters *out,
		  FILE *log)
{
	struct collector *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return COLLECTOR_ERR_RUNTIME;
	rc = open_all(c, cc, log);
	if (rc == COLLECTOR_OK)
		fprintf(log, "rampart-collector: capturing (node %s, boot id %s, container_only=%d)\n", cc->node,
			c->pub.boot_id, cc->capture.container_only);
	while (rc == COLLECTOR_OK && !*stop) {
		int n = capture_poll(c->cap, 20); /* the latency bound: see capture_poll */

		if (n < 0 && n != -4 /* EINTR */) {
			fprintf(log, "rampart-collector: ring buffer poll: %s\n", strerror(-n));
			rc = COLLECTOR_ERR_RUNTIME;
		}
		account_drops(c);
	}
	if (c->cap) { /* drain what is already in the ring, then count */
		capture_poll(c->cap, 0);
		account_drops(c);
	}
	c->n.ringbuf_drops = c->drops_seen;
	close_all(c);
	*out = c->n;
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
