#include "actuator_metrics.h"

#include <stdio.h>
#include <string.h>

#include "act_target.h"
#include "service_log.h"

/* Seconds: from a local driver's few milliseconds to a slow API's retries. */
static const double latency_le[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NLE (sizeof(latency_le) / sizeof(latency_le[0]))

static void emit_outcomes(void *ctx, struct metrics_sink *s)
{
	struct actuator_metrics *m = ctx;
	char labels[64];

	for (int a = 0; a < RP_ACTION__COUNT; a++)
		for (int o = 0; o < RP_OUTCOME__COUNT; o++) {
			snprintf(labels, sizeof(labels), "action=\"%s\",outcome=\"%s\"", rp_action_names[a],
				 rp_outcome_names[o]);
			metrics_sample(s, labels, metrics_get(&m->outcomes[a][o]));
		}
}

/* One series per driver and disruptive action, all registered so every
 * series exists (at 0) from the start. */
static int register_histograms(struct actuator_metrics *m)
{
	char labels[64];
	int rc = 0;

	for (int d = 0; d < RP_ORCH__COUNT; d++)
		for (int a = RP_ACTION_ISOLATE; a < RP_ACTION__COUNT; a++) {
			rc |= metrics_histogram_init(&m->api[d][a], latency_le, NLE);
			snprintf(labels, sizeof(labels), "driver=\"%s\",action=\"%s\"",
				 act_driver_name((enum rp_orchestrator)d), rp_action_names[a]);
			rc |= metrics_register_histogram(m->srv, "rampart_actuator_api_duration_seconds",
							 "Time in the orchestrator driver per action, retries included",
							 labels, &m->api[d][a]);
		}
	rc |= metrics_histogram_init(&m->event_to_outcome, latency_le, NLE);
	rc |= metrics_register_histogram(m->srv, "rampart_actuator_event_to_outcome_seconds",
					 "From the event's kernel timestamp to the action's outcome", NULL,
					 &m->event_to_outcome);
	return rc;
}

static int register_all(struct actuator_metrics *m)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} counters[] = {
		{"rampart_actuator_verdicts_total", "Verdicts consumed", offsetof(struct actuator_metrics, verdicts)},
		{"rampart_actuator_duplicates_total", "Verdicts already acted on (redelivered), not acted on again",
		 offsetof(struct actuator_metrics, duplicates)},
		{"rampart_actuator_downgraded_total", "Verdicts whose action the actuator's own action-table check weakened",
		 offsetof(struct actuator_metrics, downgraded)},
		{"rampart_actuator_excluded_total", "Verdicts on excluded namespaces, not acted on",
		 offsetof(struct actuator_metrics, excluded)},
		{"rampart_actuator_limited_total", "Blast-radius alert: actions not taken because a scope hit its limit",
		 offsetof(struct actuator_metrics, limited)},
		{"rampart_actuator_dry_run_total", "Actions decided but not taken (dry-run)",
		 offsetof(struct actuator_metrics, dry_run)},
		{"rampart_actuator_retries_total", "Driver calls retried after a transient failure",
		 offsetof(struct actuator_metrics, retries)},
		{"rampart_actuator_no_driver_total", "Actions for an orchestrator without a configured driver",
		 offsetof(struct actuator_metrics, no_driver)},
		{"rampart_actuator_dlq_total", "Undecodable verdicts sent to the DLQ", offsetof(struct actuator_metrics, dlq)},
		{"rampart_actuator_consume_errors_total", "Consumer errors", offsetof(struct actuator_metrics, consume_errors)},
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		rc |= metrics_register(m->srv, counters[i].name, counters[i].help, METRICS_COUNTER,
				       (const metrics_u64 *)((const char *)m + counters[i].off));
	rc |= metrics_register(m->srv, "rampart_actuator_seeded_ids", "Verdict ids read back from the audit trail at start",
			       METRICS_GAUGE, &m->seeded);
	rc |= metrics_register_labelled(m->srv, "rampart_actuator_actions_total", "Outcomes by action and outcome",
					METRICS_COUNTER, emit_outcomes, m);
	rc |= register_histograms(m);
	return rc ? -1 : 0;
}

int actuator_metrics_start(struct actuator_metrics *m, const char *addr, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (errlen)
		err[0] = 0;
	if (!addr || !*addr || strcmp(addr, "off") == 0)
		return 0;
	m->srv = metrics_new();
	if (!m->srv || register_all(m) || metrics_start(m->srv, addr, err, errlen)) {
		if (!m->srv || !err[0])
			snprintf(err, errlen, "cannot register the metrics");
		metrics_free(m->srv);
		m->srv = NULL;
		return -1;
	}
	service_info("metrics endpoint", json_pack("{s:s, s:i}", "address", addr, "port", metrics_port(m->srv)));
	return 0;
}

void actuator_metrics_refresh(struct actuator_metrics *m, const struct actuator_stats *s,
			      const struct actuator_service_counters *c)
{
	if (!m->srv)
		return;
	metrics_set(&m->verdicts, s->verdicts);
	metrics_set(&m->duplicates, s->duplicates);
	metrics_set(&m->downgraded, s->downgraded);
	metrics_set(&m->excluded, s->excluded);
	metrics_set(&m->limited, s->limited);
	metrics_set(&m->dry_run, s->dry_run);
	metrics_set(&m->retries, s->retries);
	metrics_set(&m->no_driver, s->no_driver);
	for (int a = 0; a < RP_ACTION__COUNT; a++)
		for (int o = 0; o < RP_OUTCOME__COUNT; o++)
			metrics_set(&m->outcomes[a][o], s->outcomes[a][o]);
	metrics_set(&m->dlq, c->dlq);
	metrics_set(&m->seeded, c->seeded);
	metrics_set(&m->consume_errors, c->consume_errors);
}

void actuator_metrics_observe(struct actuator_metrics *m, const struct act_outcome *o)
{
	if (!m->srv || o->duplicate)
		return;
	if (o->driver_called && o->result.action != RP_ACTION_LOG && (int)o->orchestrator < RP_ORCH__COUNT)
		metrics_histogram_observe(&m->api[o->orchestrator][o->result.action], (double)o->driver_ns / 1e9);
	metrics_histogram_observe(&m->event_to_outcome, (double)o->event_to_outcome_ns / 1e9);
}

void actuator_metrics_set_ready(struct actuator_metrics *m, bool ready)
{
	if (m->srv)
		metrics_set_ready(m->srv, ready);
}

void actuator_metrics_stop(struct actuator_metrics *m)
{
	metrics_free(m->srv);
	m->srv = NULL;
}
