#include "service_process.h"

#include <inttypes.h>
#include <stdio.h>
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
	if (!w->eval) {
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
	w->store = NULL, w->eval = NULL;
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
