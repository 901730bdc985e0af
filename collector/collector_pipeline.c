#include "collector_pipeline.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector_run.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int collector_pipeline_init(struct collector_pipeline *p, const struct collector_config *cc, char *err,
			    size_t errlen)
{
	struct identity_config icfg = {.cgroup2_root = cc->cgroup2_root, .cluster = cc->cluster,
				       .orchestrator = cc->orchestrator,
				       .state_dirs = cc->nstate_dirs ? cc->state_dirs : NULL, .nstate_dirs = cc->nstate_dirs,
				       .ecs_agent_url = cc->ecs_agent_url};
	char why[400];

	p->opts = &cc->capture;
	/* Once per run: the kernel stamps CLOCK_BOOTTIME, events carry Unix time. */
	p->boot_to_epoch_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	if (collector_publisher_init(&p->pub, &cc->transport, cc->topic, cc->node, cc->cluster, cc->orchestrator, why,
				     sizeof(why))) {
		snprintf(err, errlen, "transport: %s", why);
		return COLLECTOR_ERR_TRANSPORT;
	}
	p->id = identity_new(&icfg, why, sizeof(why));
	if (!p->id) {
		snprintf(err, errlen, "identity: %s", why);
		collector_publisher_close(&p->pub, 0);
		return COLLECTOR_ERR_RUNTIME;
	}
	return COLLECTOR_OK;
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

void collector_pipeline_record(struct collector_pipeline *p, const void *data, size_t len)
{
	metrics_inc(&p->read);
	if (capture_decode(data, len, p->boot_to_epoch_ns, &p->ev, &p->st, &p->scratch)) {
		metrics_inc(&p->decode_failed);
		collector_publish_gap(&p->pub, 1); /* read but not publishable: still a loss */
		return;
	}
	if (ro_open_filtered(p->opts, &p->ev)) {
		metrics_inc(&p->filtered); /* by configuration, as in the kernel: not a loss */
		return;
	}
	/* Host processes too: their cgroup path is worth having. */
	identity_fill_event(identity_lookup(p->id, ((const struct rk_record *)data)->proc.cgroup_id), &p->ev);
	collector_publish(&p->pub, &p->ev); /* a failure is counted in pub */
}

void collector_pipeline_close(struct collector_pipeline *p, int flush_ms, struct producer_stats *ps)
{
	identity_free(p->id);
	p->id = NULL;
	if (p->pub.producer) {
		producer_flush(p->pub.producer, flush_ms);
		if (ps)
			producer_stats(p->pub.producer, ps);
	}
	collector_publisher_close(&p->pub, 0);
}
