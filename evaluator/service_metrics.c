#include "service_metrics.h"

#include <stdio.h>
#include <string.h>

#include "service_log.h"

struct metric_def {
	const char *name, *help;
	enum metrics_type type;
	const metrics_u64 *value;
};

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
	};

	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (metrics_register(m->srv, defs[i].name, defs[i].help, defs[i].type, defs[i].value))
			return -1;
	return 0;
}

int service_metrics_start(struct service_metrics *m, const char *addr, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (!addr || !*addr || !strcmp(addr, "off"))
		return 0;
	m->srv = metrics_new();
	if (!m->srv || register_all(m)) {
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
}

void service_metrics_set_ready(struct service_metrics *m, bool ready)
{
	if (m->srv)
		metrics_set_ready(m->srv, ready);
}

void service_metrics_stop(struct service_metrics *m)
{
	metrics_free(m->srv);
	m->srv = NULL;
}
