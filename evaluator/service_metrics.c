#include "service_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_log.h"
#include "service_process.h"

struct metric_def {
	const char *name, *help;
	enum metrics_type type;
	const metrics_u64 *value;
};

struct exported_rule_count {
	char rule[RULE_ID_MAX];
	enum rp_action action;
	atomic_bool used;
	metrics_u64 n;
};

/* A label value: what would need escaping becomes '_' (rule ids are plain). */
static void copy_label(char *dst, const char *src)
{
	for (; *src; src++, dst++)
		*dst = (*src == '"' || *src == '\\' || *src == '\n') ? '_' : *src;
	*dst = 0;
}

static void emit_by_rule(void *ctx, struct metrics_sink *s)
{
	const struct service_metrics *m = ctx;
	char labels[RULE_ID_MAX + 48];

	for (size_t i = 0; i < RULE_COUNTS_SLOTS; i++) {
		const struct exported_rule_count *e = &m->by_rule[i];

		if (!atomic_load_explicit(&e->used, memory_order_acquire))
			continue;
		snprintf(labels, sizeof(labels), "rule=\"%s\",action=\"%s\"", e->rule, rp_action_names[e->action]);
		metrics_sample(s, labels, metrics_get(&e->n));
	}
	for (int a = 0; a < RP_ACTION__COUNT; a++)
		if (metrics_get(&m->other[a])) {
			snprintf(labels, sizeof(labels), "rule=\"_other\",action=\"%s\"", rp_action_names[a]);
			metrics_sample(s, labels, metrics_get(&m->other[a]));
		}
}

/* Publishes new slots (key first, then the release store of used). */
static void refresh_by_rule(struct service_metrics *m, const struct rule_counts *t)
{
	for (size_t i = 0; i < RULE_COUNTS_SLOTS; i++) {
		struct exported_rule_count *e = &m->by_rule[i];

		if (!t->slot[i].used)
			continue;
		if (!atomic_load_explicit(&e->used, memory_order_relaxed)) {
			copy_label(e->rule, t->slot[i].rule);
			e->action = t->slot[i].action;
			atomic_store_explicit(&e->used, true, memory_order_release);
		}
		metrics_set(&e->n, t->slot[i].n);
	}
	for (int a = 0; a < RP_ACTION__COUNT; a++)
		metrics_set(&m->other[a], t->other[a]);
}

static int register_all(struct service_metrics *m)
{
	const struct metric_def defs[] = {
		{"rampart_evaluator_events_total", "Events consumed and evaluated (or sent to the DLQ).",
		 METRICS_COUNTER, &m->events},
		{"rampart_evaluator_verdicts_total", "Verdicts produced.", METRICS_COUNTER, &m->verdicts},
		{"rampart_evaluator_dlq_total", "Undecodable events sent to the dead-letter topic.", METRICS_COUNTER,
		 &m->dlq},
		{"rampart_evaluator_txn_commits_total", "Transactions committed.", METRICS_COUNTER, &m->txn_commits},
		{"rampart_evaluator_txn_aborts_total", "Transactions aborted (their events are read again).",
		 METRICS_COUNTER, &m->txn_aborts},
		{"rampart_evaluator_rebalance_commits_total", "Transactions committed because partitions were revoked.",
		 METRICS_COUNTER, &m->rebalance_commits},
		{"rampart_evaluator_consume_errors_total", "Consumer errors reported by the transport.",
		 METRICS_COUNTER, &m->consume_errors},
		{"rampart_evaluator_config_reloads_total", "Rule configurations loaded after a change.",
		 METRICS_COUNTER, &m->config_reloads},
		{"rampart_evaluator_config_reload_failures_total",
		 "Rule configurations rejected; the previous one kept running.", METRICS_COUNTER,
		 &m->config_reload_failures},
		{"rampart_evaluator_produced_total", "Records accepted by the producer.", METRICS_COUNTER, &m->produced},
		{"rampart_evaluator_produce_failed_total", "Records the producer failed to deliver.", METRICS_COUNTER,
		 &m->produce_failed},
		{"rampart_evaluator_config_generation",
		 "Rule configuration in force: 1 for the first one loaded, +1 per successful reload.", METRICS_GAUGE,
		 &m->config_generation},
		{"rampart_evaluator_config_last_reload_success",
		 "1 when the last reload attempt succeeded (or none was made yet), 0 when it was rejected.",
		 METRICS_GAUGE, &m->last_reload_ok},
		{"rampart_evaluator_consumer_lag", "Events behind the high watermarks of the assigned partitions.",
		 METRICS_GAUGE, &m->consumer_lag},
	};

	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (metrics_register(m->srv, defs[i].name, defs[i].help, defs[i].type, defs[i].value))
			return -1;
	return metrics_register_labelled(m->srv, "rampart_evaluator_verdicts_by_rule_total",
					 "Rule matches in verdicts, by rule id and the verdict's effective action.",
					 METRICS_COUNTER, emit_by_rule, m);
}

int service_metrics_start(struct service_metrics *m, const char *addr, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (!addr || !*addr || !strcmp(addr, "off"))
		return 0;
	m->srv = metrics_new();
	m->by_rule = calloc(RULE_COUNTS_SLOTS, sizeof(*m->by_rule));
	metrics_set(&m->config_generation, 1);
	metrics_set(&m->last_reload_ok, 1);
	if (!m->srv || !m->by_rule || register_all(m)) {
		snprintf(err, errlen, "metrics: out of memory");
		service_metrics_stop(m);
		return -1;
	}
	if (metrics_start(m->srv, addr, err, errlen)) {
		service_metrics_stop(m);
		return -1;
	}
	service_info("metrics endpoint", json_pack("{s:s, s:i}", "address", addr, "port", metrics_port(m->srv)));
	return 0;
}

void service_metrics_refresh(struct service_metrics *m, const struct service_counters *c)
{
	if (!m->srv)
		return;
	metrics_set(&m->events, c->events), metrics_set(&m->verdicts, c->verdicts);
	metrics_set(&m->dlq, c->dlq), metrics_set(&m->txn_commits, c->txn_commits);
	metrics_set(&m->txn_aborts, c->txn_aborts), metrics_set(&m->rebalance_commits, c->rebalance_commits);
	metrics_set(&m->consume_errors, c->consume_errors);
	metrics_set(&m->config_reloads, c->config_reloads);
	metrics_set(&m->config_reload_failures, c->config_reload_failures);
	metrics_set(&m->produced, c->produced), metrics_set(&m->produce_failed, c->produce_failed);
	metrics_set(&m->config_generation, 1 + c->config_reloads);
	metrics_set(&m->last_reload_ok, c->last_reload_ok);
	if (c->has_lag)
		metrics_set(&m->consumer_lag, c->consumer_lag > 0 ? (uint64_t)c->consumer_lag : 0);
	if (c->by_rule)
		refresh_by_rule(m, c->by_rule);
}

void service_metrics_set_ready(struct service_metrics *m, bool ready)
{
	if (m->srv)
		metrics_set_ready(m->srv, ready);
}

void service_metrics_stop(struct service_metrics *m)
{
	metrics_free(m->srv);
	free(m->by_rule);
	m->srv = NULL, m->by_rule = NULL;
}
