#include "service.h"

#include <stdio.h>
#include <time.h>

#include "diag.h"
#include "falco_webhook.h"
#include "service_log.h"
#include "service_metrics.h"
#include "service_process.h"
#include "service_rules.h"
#include "service_topic.h"
#include "service_txn.h"
#include "verdict_format.h"

#define POLL_MS 100
#define METRICS_REFRESH_MS 500

struct service {
	const struct service_config *sc;
	struct service_rules *rules;
	struct service_topic *topic;
	struct producer *p;
	struct consumer *c;
	struct service_txn txn;
	struct service_worker w;
	uint64_t consume_errors;
	struct service_metrics metrics;
	int64_t metrics_refreshed_ms;
	struct verdict_format *format;
	struct falco_webhook *falco;
	uint64_t falco_aborts; /* txn.aborts when the webhook's alerts were last settled */
};

static int fatal(const char *msg, const char *err)
{
	service_error(msg, json_pack("{s:s}", "error", err));
	return SERVICE_EXIT_FATAL;
}

/* 0 or an exit code: the verdicts' format (registering its schema) and the
 * Falco webhook, handed to the worker. */
static int open_outputs(struct service *s, const struct service_config *sc)
{
	struct verdict_format_config fc = {.kind = sc->verdicts_format, .registry_url = sc->schema_registry,
					   .topic = sc->verdicts_topic};
	struct falco_webhook_config wc = {.url = sc->falco_webhook, .timeout_ms = sc->falco_webhook_timeout_ms,
					  .queue_max = (size_t)sc->falco_webhook_queue,
					  .rule_paths = sc->rule_paths, .nrule_paths = sc->nrule_paths};
	char err[512];

	if (sc->falco_webhook && !(s->falco = falco_webhook_start(&wc, err, sizeof(err))))
		return fatal("cannot start the Falco webhook", err);
	s->format = verdict_format_new(&fc, err, sizeof(err));
	if (!s->format)
		return fatal("cannot register the verdict schema", err), SERVICE_EXIT_KAFKA;
	s->w.format = s->format, s->w.falco = s->falco;
	service_info("verdict outputs",
		     json_pack("{s:s, s:I, s:s?}", "format", verdict_format_name(sc->verdicts_format), "schema_id",
			       (json_int_t)verdict_format_schema_id(s->format), "falco_webhook", sc->falco_webhook));
	return 0;
}

/* The webhook posts what Kafka committed: alerts staged in a transaction
 * are released once it has committed and dropped once it has aborted
 * (commits and aborts also happen inside consumer_poll, on revocation).
 * Runs after each commit point and before each message; a no-op while a
 * transaction is open. */
static void settle_alerts(struct service *s)
{
	struct service_rules_stats rs;

	if (!s->falco || s->txn.open)
		return;
	if (s->txn.aborts != s->falco_aborts)
		falco_webhook_discard(s->falco);
	else
		falco_webhook_release(s->falco);
	s->falco_aborts = s->txn.aborts;
	service_rules_stats(s->rules, &rs);
	falco_webhook_rules_changed(s->falco, rs.reloads);
}

/* 0 or an exit code. The consumer is opened last: its on_revoke hook needs
 * the transaction state, which needs the producer. */
static int service_open(struct service *s, const struct service_config *sc)
{
	char err[512];
	struct diag d = {0};
	struct transport_config ccfg = sc->consumer;
	const char *topics[] = {sc->events_topic};
	int rc;

	s->sc = sc;
	if (service_metrics_start(&s->metrics, sc->metrics_addr, err, sizeof(err)))
		return fatal("cannot start the metrics endpoint", err), SERVICE_EXIT_CONFIG;
	if (sc->rulesets_topic) {
		s->topic = service_topic_start(&sc->consumer, sc->rulesets_topic, sc->rulesets_dir, 30000, err,
					       sizeof(err));
		if (!s->topic)
			return fatal("cannot read the rulesets topic", err), SERVICE_EXIT_KAFKA;
	}
	s->rules = service_rules_start(sc->rule_paths, sc->nrule_paths, &d);
	if (!s->rules) {
		service_rules_log_diag("invalid rule configuration", &d);
		diag_free(&d);
		return SERVICE_EXIT_CONFIG;
	}
	s->p = producer_open(&sc->producer, err, sizeof(err));
	if (!s->p)
		return fatal("cannot open the transactional producer", err), SERVICE_EXIT_KAFKA;
	service_txn_init(&s->txn, s->p, NULL);
	ccfg.on_revoke = service_txn_on_revoke;
	ccfg.revoke_ctx = &s->txn;
	s->c = consumer_open(&ccfg, topics, 1, err, sizeof(err));
	if (!s->c)
		return fatal("cannot open the consumer", err), SERVICE_EXIT_KAFKA;
	s->txn.c = s->c;
	if (service_worker_init(&s->w, s->p, sc->verdicts_topic, sc->dlq_topic, err, sizeof(err)))
		return fatal("cannot start", err);
	if ((rc = open_outputs(s, sc)))
		return rc;
	service_metrics_set_ready(&s->metrics, true);
	return 0;
}

/* 0 handled, or an exit code. */
static int handle(struct service *s, struct transport_msg *m)
{
	char err[512];
	int rc;

	settle_alerts(s);
	if (service_txn_ensure(&s->txn)) {
		consumer_release(s->c, m);
		return fatal("cannot begin a transaction", s->txn.err);
	}
	rc = service_process(&s->w, service_rules_current(s->rules), m, err, sizeof(err));
	consumer_release(s->c, m);
	s->txn.consumed++;
	if (rc == SERVICE_PROCESS_FATAL)
		return fatal("processing failed", err);
	if (rc == SERVICE_PROCESS_SEND_FAILED && service_txn_abort(&s->txn, err))
		return fatal("cannot abort the transaction", s->txn.err);
	return 0;
}

/* One poll; 0 to go on, or an exit code. */
/* An open transaction's verdicts are invisible (read_committed) until it
 * commits: wait for input no longer than the batch has left to run. */
static int poll_timeout(const struct service *s)
{
	int64_t left;

	if (!s->txn.open)
		return POLL_MS;
	left = s->sc->batch_ms - (service_txn_now_ms() - s->txn.opened_ms);
	return left <= 0 ? 0 : left < POLL_MS ? (int)left : POLL_MS;
}

static int step(struct service *s)
{
	struct transport_msg m;
	char err[512];
	int rc;

	if (service_txn_due(&s->txn, (size_t)s->sc->batch, s->sc->batch_ms) && service_txn_commit(&s->txn) < 0)
		return fatal("transaction failed", s->txn.err);
	settle_alerts(s);
	rc = consumer_poll(s->c, &m, poll_timeout(s), err, sizeof(err));
	/* Revocation runs inside consumer_poll: it may have aborted. Whatever
	 * came after an abort is read again once the consumer is rewound. */
	if (s->txn.rewind_pending) {
		if (rc == 1)
			consumer_release(s->c, &m);
		return service_txn_rewind_if_needed(&s->txn) ? fatal("cannot rewind the consumer", s->txn.err) : 0;
	}
	if (s->txn.fatal) {
		if (rc == 1)
			consumer_release(s->c, &m);
		return fatal("transaction failed", s->txn.err);
	}
	if (rc == -1) {
		s->consume_errors++;
		service_warn("consume error", json_pack("{s:s}", "error", err));
		return 0;
	}
	return rc == 1 ? handle(s, &m) : 0;
}

/* Finishes the open transaction: commit what is done, abort if that fails. */
static int service_finish(struct service *s, int code)
{
	if (s->txn.open && !s->txn.fatal) {
		int rc = service_txn_commit(&s->txn);
		if (rc < 0 && code == SERVICE_EXIT_OK)
			code = fatal("final commit failed", s->txn.err);
	}
	return code;
}

static void collect(const struct service *s, struct service_counters *c)
{
	struct service_rules_stats rs = {0};
	struct producer_stats ps = {0};

	if (s->rules)
		service_rules_stats(s->rules, &rs);
	if (s->p)
		producer_stats(s->p, &ps);
	*c = (struct service_counters){
		.events = s->w.events, .verdicts = s->w.verdicts, .dlq = s->w.dlq,
		.txn_commits = s->txn.commits, .txn_aborts = s->txn.aborts,
		.rebalance_commits = s->txn.rebalance_commits, .consume_errors = s->consume_errors,
		.config_reloads = rs.reloads, .config_reload_failures = rs.reload_failures,
		.produced = ps.sent, .produce_failed = ps.failed, .last_reload_ok = !s->rules || rs.last_reload_ok,
		.by_rule = s->w.by_rule,
	};
	/* Kafka only; the other transports leave the gauge at 0. */
	c->has_lag = s->c && consumer_lag(s->c, &c->consumer_lag) == 0;
}

/* At most every METRICS_REFRESH_MS: the exported copies, off the per-event path. */
static void refresh_metrics(struct service *s)
{
	struct service_counters c;
	struct timespec ts;
	int64_t now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (now - s->metrics_refreshed_ms < METRICS_REFRESH_MS)
		return;
	s->metrics_refreshed_ms = now;
	collect(s, &c);
	service_metrics_refresh(&s->metrics, &c);
}

static void log_counters(const struct service *s)
{
	struct service_counters c;

	collect(s, &c);
	service_info("counters",
		     json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			       "events", (json_int_t)c.events, "verdicts", (json_int_t)c.verdicts,
			       "dlq", (json_int_t)c.dlq, "txn_commits", (json_int_t)c.txn_commits,
			       "txn_aborts", (json_int_t)c.txn_aborts, "txn_rebalance_commits",
			       (json_int_t)c.rebalance_commits, "consume_errors",
			       (json_int_t)c.consume_errors, "config_reloads", (json_int_t)c.config_reloads,
			       "config_reload_failures", (json_int_t)c.config_reload_failures, "produced",
			       (json_int_t)c.produced, "produce_failed", (json_int_t)c.produce_failed));
}

static void service_close(struct service *s)
{
	consumer_close(s->c); /* leaves the group; nothing is open any more */
	producer_close(s->p); /* aborts a transaction left open by a fatal error */
	falco_webhook_stop(s->falco); /* drops what that transaction staged, drains the rest */
	verdict_format_free(s->format);
	service_worker_free(&s->w);
	service_topic_stop(s->topic); /* no more writes into a watched directory */
	service_metrics_stop(&s->metrics);
	service_rules_stop(s->rules);
}

int service_run(const struct service_config *sc, const volatile sig_atomic_t *stop)
{
	struct service s = {0};
	int code = service_open(&s, sc);

	if (code == 0) {
		service_info("evaluator started",
			     json_pack("{s:s?, s:s, s:s, s:s, s:s}", "node", sc->node, "events_topic",
				       sc->events_topic, "verdicts_topic",
				       sc->verdicts_topic, "group", sc->group, "transactional_id",
				       sc->transactional_id));
		while (code == 0 && !*stop) {
			code = step(&s);
			refresh_metrics(&s);
		}
		service_metrics_set_ready(&s.metrics, false);
		code = service_finish(&s, code);
		settle_alerts(&s);
	}
	log_counters(&s);
	service_close(&s);
	service_info("evaluator stopped", json_pack("{s:i}", "exit_code", code));
	return code;
}
