#include "actuator_service.h"

#include <stdlib.h>
#include <string.h>

#include "actuator.h"
#include "actuator_audit.h"
#include "actuator_metrics.h"
#include "actuator_workers.h"
#include "clock.h"
#include "dlq.h"
#include "service_log.h"

#define POLL_MS 100
#define MAX_PENDING 256 /* partitions with uncommitted offsets in one batch */
#define FLUSH_MS 30000
#define SEED_MS 60000

struct pending {
	int32_t partition;
	int64_t offset;
};

struct act_service {
	const struct actuator_config *ac;
	struct actuator *const *acts;
	size_t nacts;
	struct act_workers *workers;
	struct act_item *items; /* one batch */
	struct producer *p;
	struct consumer *c;
	struct rp_buf out;
	struct pending pending[MAX_PENDING];
	size_t npending;
	bool fatal;
	struct actuator_service_counters counters;
	struct actuator_metrics metrics;
	int64_t refreshed_ms;
	char err[512];
};

static int fail(struct act_service *s, const char *msg, int code)
{
	service_error(msg, json_pack("{s:s}", "error", s->err));
	return code;
}

/* Outcomes first, offsets after: 0, or -1 (s->err) when the audit trail
 * could not be written, and then nothing is committed. */
static int finish_batch(struct act_service *s)
{
	struct transport_msg m = {.topic = s->ac->verdicts_topic};

	if (s->npending == 0)
		return 0;
	if (producer_flush(s->p, FLUSH_MS)) {
		snprintf(s->err, sizeof(s->err), "outcomes not delivered to %s within %d ms", s->ac->actions_topic,
			 FLUSH_MS);
		return -1;
	}
	for (size_t i = 0; i < s->npending; i++) {
		m.partition = s->pending[i].partition;
		m.offset = s->pending[i].offset;
		/* A failed commit only means redelivery, which dedupe absorbs. */
		if (consumer_commit(s->c, &m, s->err, sizeof(s->err)))
			service_warn("offset commit failed", json_pack("{s:s}", "error", s->err));
	}
	s->npending = 0;
	return 0;
}

static void on_revoke(void *ctx, int lost)
{
	struct act_service *s = ctx;

	if (lost) {
		s->npending = 0; /* our generation is gone: the offsets would be refused */
		return;
	}
	if (finish_batch(s))
		s->fatal = true;
}

static int note_pending(struct act_service *s, const struct transport_msg *m)
{
	for (size_t i = 0; i < s->npending; i++)
		if (s->pending[i].partition == m->partition) {
			s->pending[i].offset = m->offset;
			return 0;
		}
	if (s->npending == MAX_PENDING && finish_batch(s))
		return -1;
	s->pending[s->npending++] = (struct pending){m->partition, m->offset};
	return 0;
}

/* One handled verdict onto the audit trail (or its message onto the DLQ):
 * 0, or -1 (s->err) when that cannot be done. */
static int record(struct act_service *s, const struct act_item *it)
{
	const struct transport_msg *m = &it->m;

	if (it->undecodable) {
		service_warn("undecodable verdict sent to the DLQ", json_pack("{s:s, s:i, s:I}", "error", it->why,
					     "partition", (int)m->partition, "offset", (json_int_t)m->offset));
		s->counters.dlq++;
		return dlq_send(s->p, s->ac->dlq_topic, m, it->why, s->err, sizeof(s->err));
	}
	if (it->out.duplicate)
		return 0;
	if (audit_send_result(s->p, s->ac->actions_topic, &it->out.result, &s->out, s->err, sizeof(s->err)))
		return -1;
	actuator_metrics_observe(&s->metrics, &it->out);
	return 0;
}

/* Up to a batch of what is there: 0 and *n messages in s->items, or -1. */
static int collect(struct act_service *s, size_t *n)
{
	int rc, timeout = POLL_MS;

	for (*n = 0; *n < (size_t)s->ac->batch; timeout = 0) {
		rc = consumer_poll(s->c, &s->items[*n].m, timeout, s->err, sizeof(s->err));
		if (s->fatal) {
			if (rc == 1)
				consumer_release(s->c, &s->items[*n].m);
			return -1;
		}
		if (rc == -1) {
			s->counters.consume_errors++;
			service_warn("consume error", json_pack("{s:s}", "error", s->err));
		}
		if (rc != 1)
			return 0;
		(*n)++;
	}
	return 0;
}

/* Acts on a batch with the workers, records it in order, then commits. */
static int step(struct act_service *s)
{
	size_t n = 0;
	int rc;

	if (collect(s, &n))
		goto release;
	rc = act_workers_run(s->workers, s->items, n);
	if (rc)
		snprintf(s->err, sizeof(s->err), "out of memory acting on a batch");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = record(s, &s->items[i]);
		if (rc == 0)
			rc = note_pending(s, &s->items[i].m);
	}
	for (size_t i = 0; i < n; i++)
		consumer_release(s->c, &s->items[i].m);
	return rc ? -1 : finish_batch(s);
release:
	for (size_t i = 0; i < n; i++)
		consumer_release(s->c, &s->items[i].m);
	return -1;
}

static void sum_stats(const struct act_service *s, struct actuator_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < s->nacts; i++)
		actuator_stats_add(sum, actuator_stats(s->acts[i]));
}

static void refresh_metrics(struct act_service *s)
{
	struct actuator_stats st;
	int64_t now = clock_mono_ms();

	if (now - s->refreshed_ms < 500)
		return;
	s->refreshed_ms = now;
	sum_stats(s, &st);
	actuator_metrics_refresh(&s->metrics, &st, &s->counters);
}

static int open_clients(struct act_service *s)
{
	struct transport_config cc = s->ac->consumer;
	const char *topics[] = {s->ac->verdicts_topic};
	long seeded;

	if (s->ac->seed_from_actions) {
		seeded = audit_seed_dedupe(s->acts, s->nacts, &s->ac->consumer, s->ac->actions_topic, SEED_MS, s->err,
					   sizeof(s->err));
		if (seeded < 0)
			return fail(s, "cannot read the audit trail back", ACTUATOR_EXIT_KAFKA);
		s->counters.seeded = (uint64_t)seeded;
	}
	s->p = producer_open(&s->ac->producer, s->err, sizeof(s->err));
	if (!s->p)
		return fail(s, "cannot open the producer", ACTUATOR_EXIT_KAFKA);
	cc.on_revoke = on_revoke;
	cc.revoke_ctx = s;
	s->c = consumer_open(&cc, topics, 1, s->err, sizeof(s->err));
	if (!s->c)
		return fail(s, "cannot open the consumer", ACTUATOR_EXIT_KAFKA);
	return 0;
}

static void log_counters(const struct act_service *s)
{
	struct actuator_stats sum;
	const struct actuator_stats *st = &sum;
	json_t *outcomes = json_object();

	sum_stats(s, &sum);

	for (int a = 0; a < RP_ACTION__COUNT; a++)
		for (int o = 0; o < RP_OUTCOME__COUNT; o++)
			if (st->outcomes[a][o]) {
				char key[48];
				snprintf(key, sizeof(key), "%s_%s", rp_action_names[a], rp_outcome_names[o]);
				json_object_set_new(outcomes, key, json_integer((json_int_t)st->outcomes[a][o]));
			}
	service_info("counters",
		     json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "verdicts", (json_int_t)st->verdicts,
			       "duplicates", (json_int_t)st->duplicates, "downgraded", (json_int_t)st->downgraded,
			       "excluded", (json_int_t)st->excluded, "limited", (json_int_t)st->limited, "retries",
			       (json_int_t)st->retries, "dlq", (json_int_t)s->counters.dlq, "seeded",
			       (json_int_t)s->counters.seeded, "outcomes", outcomes));
}

int actuator_service_run(const struct actuator_config *ac, struct actuator *const *acts, size_t nacts,
			 const volatile sig_atomic_t *stop)
{
	struct act_service s = {.ac = ac, .acts = acts, .nacts = nacts};
	int code = 0;

	s.items = calloc((size_t)ac->batch, sizeof(*s.items));
	s.workers = act_workers_new(acts, nacts, s.err, sizeof(s.err));
	if (!s.items || !s.workers) {
		snprintf(s.err, sizeof(s.err), "out of memory");
		code = fail(&s, "cannot start", ACTUATOR_EXIT_FATAL);
	}
	if (!code && actuator_metrics_start(&s.metrics, ac->metrics_addr, s.err, sizeof(s.err)))
		code = fail(&s, "cannot start the metrics endpoint", ACTUATOR_EXIT_CONFIG);
	if (!code)
		code = open_clients(&s);
	if (!code) {
		service_info("actuator started",
			     json_pack("{s:s?, s:s, s:s, s:s, s:b, s:i, s:I}", "node", ac->node, "verdicts_topic",
				       ac->verdicts_topic, "actions_topic", ac->actions_topic, "group", ac->group,
				       "dry_run", ac->dry_run, "workers", (int)nacts, "seeded_ids",
				       (json_int_t)s.counters.seeded));
		actuator_metrics_set_ready(&s.metrics, true);
		while (!code && !*stop) {
			if (step(&s))
				code = fail(&s, "cannot record outcomes", ACTUATOR_EXIT_FATAL);
			refresh_metrics(&s);
		}
		actuator_metrics_set_ready(&s.metrics, false);
	}
	log_counters(&s);
	consumer_close(s.c);
	producer_close(s.p);
	actuator_metrics_stop(&s.metrics);
	buf_free(&s.out);
	act_workers_free(s.workers);
	free(s.items);
	service_info("actuator stopped", json_pack("{s:i}", "exit_code", code));
	return code;
}
