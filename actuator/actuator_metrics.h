/* rampart-actuator's /metrics, /healthz and /readyz (lib/metrics_http).
 *
 * The service thread owns the actuator's counters; actuator_metrics_refresh
 * copies them into exported single-writer atomics at most twice a second,
 * so a scrape never touches the actuator. rampart_actuator_limited_total is
 * the blast-radius alert: it rises only when verdicts were not acted on
 * because a namespace, ECS cluster or host reached its limit.
 *
 * The latency histograms are the exception: the service thread observes
 * each recorded outcome into them directly (actuator_metrics_observe, one
 * writer, after the workers are done with the batch):
 *   rampart_actuator_api_duration_seconds{driver,action}  time in the driver
 *     (retries included) of each isolate/terminate that called one;
 *   rampart_actuator_event_to_outcome_seconds  from the event's kernel
 *     timestamp to the outcome, for every outcome recorded. */
#ifndef RAMPART_ACTUATOR_METRICS_H
#define RAMPART_ACTUATOR_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "action.h"
#include "actuator.h"
#include "metrics_http.h"

struct actuator_metrics {
	struct metrics_server *srv;
	metrics_u64 verdicts, duplicates, downgraded, excluded, limited, dry_run, retries, no_driver;
	metrics_u64 outcomes[RP_ACTION__COUNT][RP_OUTCOME__COUNT];
	metrics_u64 dlq, seeded, consume_errors;
	struct metrics_histogram api[RP_ORCH__COUNT][RP_ACTION__COUNT]; /* [*][RP_ACTION_LOG] unused */
	struct metrics_histogram event_to_outcome;
};

struct actuator_service_counters {
	uint64_t dlq, seeded, consume_errors;
};

/* addr NULL, "" or "off": no endpoint (the calls below are then no-ops). */
int actuator_metrics_start(struct actuator_metrics *m, const char *addr, char *err, size_t errlen);
void actuator_metrics_refresh(struct actuator_metrics *m, const struct actuator_stats *s,
			      const struct actuator_service_counters *c);
/* One recorded (not duplicate) outcome into the histograms. */
void actuator_metrics_observe(struct actuator_metrics *m, const struct act_outcome *o);
void actuator_metrics_set_ready(struct actuator_metrics *m, bool ready);
void actuator_metrics_stop(struct actuator_metrics *m);

#endif
