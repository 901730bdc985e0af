#include "service_process.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlq.h"
#include "event_message.h"
#include "evaluator.h"
#include "falco_webhook.h"
#include "schema_store.h"
#include "verdict.h"
#include "verdict_format.h"

int service_worker_init(struct service_worker *w, struct producer *p, const char *verdicts_topic,
			const char *dlq_topic, char *err, size_t errlen)
{
	struct codec_error cerr;

	memset(w, 0, sizeof(*w));
	w->p = p, w->verdicts_topic = verdicts_topic, w->dlq_topic = dlq_topic;
	w->store = schema_store_new(&cerr);
	if (!w->store)
		return snprintf(err, errlen, "schema store: %s", cerr.msg), -1;
	w->eval = evaluator_new();
	w->by_rule = calloc(1, sizeof(*w->by_rule));
	if (!w->eval || !w->by_rule) {
		service_worker_free(w);
		return snprintf(err, errlen, "evaluator: out of memory"), -1;
	}
	return 0;
}

void service_worker_free(struct service_worker *w)
{
	if (w->store)
		schema_store_free(w->store);
	if (w->eval)
		evaluator_free(w->eval);
	buf_free(&w->resolve_buf);
	buf_free(&w->out);
	free(w->by_rule);
	w->store = NULL, w->eval = NULL, w->by_rule = NULL;
}

/* FNV-1a over the id, then the action. */
static size_t slot_of(const char *rule, size_t len, enum rp_action action)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)rule[i]) * 1099511628211ull;
	h = (h ^ (uint64_t)action) * 1099511628211ull;
	return (size_t)(h % RULE_COUNTS_SLOTS);
}

static bool same_key(const struct rule_count *c, const char *rule, size_t len, enum rp_action action)
{
	return c->action == action && strlen(c->rule) == len && !memcmp(c->rule, rule, len);
}

void rule_counts_add(struct rule_counts *t, const char *rule, size_t len, enum rp_action action)
{
	size_t i = slot_of(rule, len, action);

	if ((unsigned)action >= RP_ACTION__COUNT)
		return;
	for (; t->slot[i].used; i = (i + 1) % RULE_COUNTS_SLOTS)
		if (same_key(&t->slot[i], rule, len, action)) {
			t->slot[i].n++;
			return;
		}
	if (len >= RULE_ID_MAX || t->used >= RULE_COUNTS_MAX_USED) {
		t->other[action]++;
		return;
	}
	memcpy(t->slot[i].rule, rule, len);
	t->slot[i].rule[len] = 0;
	t->slot[i].action = action, t->slot[i].used = true, t->slot[i].n = 1;
	t->used++;
}

static int send_dlq(struct service_worker *w, const struct transport_msg *m, const char *why, char *err,
		    size_t errlen)
{
	if (dlq_send(w->p, w->dlq_topic, m, why, err, errlen))
		return SERVICE_PROCESS_SEND_FAILED;
	w->dlq++;
	return SERVICE_PROCESS_OK;
}

static int send_verdict(struct service_worker *w, const struct rp_verdict *v, char *err, size_t errlen)
{
	buf_reset(&w->out);
	if (verdict_format_encode(w->format, v, &w->out))
		return snprintf(err, errlen, "verdict encoding: out of memory or invalid enum"),
		       SERVICE_PROCESS_FATAL;
	if (producer_send(w->p, w->verdicts_topic, v->workload_id.ptr, v->workload_id.len, w->out.data,
			  w->out.len, err, errlen))
		return SERVICE_PROCESS_SEND_FAILED;
	w->verdicts++;
	for (uint32_t i = 0; i < v->nmatches; i++)
		rule_counts_add(w->by_rule, v->matches[i].rule_id.ptr, v->matches[i].rule_id.len, v->effective_action);
	if (w->falco)
		falco_webhook_stage(w->falco, v);
	return SERVICE_PROCESS_OK;
}

int service_process(struct service_worker *w, const struct eval_config *cfg, const struct transport_msg *m,
		    char *err, size_t errlen)
{
	struct rp_event ev;
	struct rp_verdict v;
	struct codec_error cerr;
	char why[sizeof(cerr.msg) + 32];
	int n;

	w->events++;
	if (event_decode_message(w->store, m->value, m->value_len, &ev, &w->scratch, &w->resolve_buf, &cerr)) {
		snprintf(why, sizeof(why), "%s (at byte %zu)", cerr.msg, cerr.offset);
		return send_dlq(w, m, why, err, errlen);
	}
	n = evaluator_eval(w->eval, cfg, &ev, &v);
	if (n < 0)
		return snprintf(err, errlen, "evaluation: out of memory"), SERVICE_PROCESS_FATAL;
	return n > 0 ? send_verdict(w, &v, err, errlen) : SERVICE_PROCESS_OK;
}
