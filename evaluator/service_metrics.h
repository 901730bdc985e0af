/* rampart-evaluator's /metrics, /healthz and /readyz (lib/metrics_http).
 *
 * The evaluating thread owns the counters; service_metrics_refresh copies
 * them into the exported single-writer atomics once per poll, so a scrape
 * never touches the hot path's state. Ready once the first configuration
 * is loaded and the clients are open; not ready while stopping.
 *
 * Verdicts by rule: the worker counts each match of a verdict in a fixed
 * open-addressing table keyed by rule id and the verdict's effective action
 * (rule_counts_add of service_process.h: no allocation, bounded probing);
 * refresh copies it slot
 * for slot into the exported table, whose slots, once published, keep
 * their key (keys are never removed), so a scrape reads a slot's key only
 * after its acquire-loaded used flag. Keys beyond RULE_COUNTS_MAX_USED
 * distinct ones, or longer than RULE_ID_MAX - 1, are counted under
 * rule="_other". */
#ifndef RAMPART_SERVICE_METRICS_H
#define RAMPART_SERVICE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "metrics_http.h"

struct rule_counts;

struct service_counters {
	uint64_t events, verdicts, dlq, txn_commits, txn_aborts, rebalance_commits, consume_errors;
	uint64_t config_reloads, config_reload_failures, produced, produce_failed;
	bool last_reload_ok;
	bool has_lag;
	int64_t consumer_lag;
	const struct rule_counts *by_rule; /* NULL: none yet */
};

struct exported_rule_count;

struct service_metrics {
	struct metrics_server *srv;
	metrics_u64 events, verdicts, dlq, txn_commits, txn_aborts, rebalance_commits, consume_errors;
	metrics_u64 config_reloads, config_reload_failures, produced, produce_failed;
	metrics_u64 config_generation, last_reload_ok, consumer_lag;
	struct exported_rule_count *by_rule; /* RULE_COUNTS_SLOTS of them */
	metrics_u64 other[RP_ACTION__COUNT];
};

/* addr NULL, "" or "off": no endpoint (every call below is then a no-op). */
int service_metrics_start(struct service_metrics *m, const char *addr, char *err, size_t errlen);
void service_metrics_refresh(struct service_metrics *m, const struct service_counters *c);
void service_metrics_set_ready(struct service_metrics *m, bool ready);
void service_metrics_stop(struct service_metrics *m);

#endif
