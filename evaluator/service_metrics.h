/* rampart-evaluator's /metrics, /healthz and /readyz (lib/metrics_http).
 *
 * The evaluating thread owns the counters; service_metrics_refresh copies
 * them into the exported single-writer atomics once per poll, so a scrape
 * never touches the hot path's state. Ready once the first configuration
 * is loaded and the clients are open; not ready while stopping. */
#ifndef RAMPART_SERVICE_METRICS_H
#define RAMPART_SERVICE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics_http.h"

struct service_counters {
	uint64_t events, verdicts, dlq, txn_commits, txn_aborts, rebalance_commits, consume_errors;
	uint64_t config_reloads, config_reload_failures, produced, produce_failed;
};

struct service_metrics {
	struct metrics_server *srv;
	metrics_u64 events, verdicts, dlq, txn_commits, txn_aborts, rebalance_commits, consume_errors;
	metrics_u64 config_reloads, config_reload_failures, produced, produce_failed;
};

/* addr NULL, "" or "off": no endpoint (every call below is then a no-op). */
int service_metrics_start(struct service_metrics *m, const char *addr, char *err, size_t errlen);
void service_metrics_refresh(struct service_metrics *m, const struct service_counters *c);
void service_metrics_set_ready(struct service_metrics *m, bool ready);
void service_metrics_stop(struct service_metrics *m);

#endif
