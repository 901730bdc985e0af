/* The actuator's decision core: one verdict in, one audited outcome out.
 *
 * For each verdict, in this order:
 *   1. dedupe: a verdict id already handled yields out->duplicate and no
 *      outcome (nothing is acted on or recorded twice);
 *   2. the action table re-check (act_policy.h): never more than the
 *      workload's cluster allows, whatever the verdict says;
 *   3. log actions are recorded as done without calling anything;
 *   4. exclusions: Kubernetes namespaces never touched (kube-system and
 *      rampart's own by default) -> skipped;
 *   5. --dry-run -> skipped, saying what would have been done;
 *   6. the blast-radius limit (act_limit.h) -> skipped, counted as limited;
 *   7. the orchestrator's driver, retried with exponential backoff and full
 *      jitter on ACT_RETRY, up to max_attempts; a permanent failure is
 *      recorded with the API's message and not retried.
 * Every outcome is written as one structured log line (verdict id, rule,
 * driver, target, action, outcome, API status, latency) and returned as an
 * ActionResult for rampart.actions. One thread uses an actuator at a time;
 * a service runs several (one per worker thread), each owning the
 * workloads actuator_worker_of gives it, sharing one blast-radius limit. */
#ifndef RAMPART_ACTUATOR_H
#define RAMPART_ACTUATOR_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "driver.h"
#include "verdict.h"

struct act_limit;
struct act_policy;

struct actuator_options {
	bool dry_run;
	const char *const *excluded_namespaces; /* NULL: kube-system and rampart */
	size_t nexcluded;
	unsigned limit_max;      /* disruptive actions per scope per window; 0: no limit */
	int64_t limit_window_ms; /* 0: one minute */
	int max_attempts;        /* 0: 5 */
	int backoff_base_ms;     /* 0: 200 */
	int backoff_max_ms;      /* 0: 5000 */
	size_t dedupe_capacity;  /* 0: the default of act_dedupe.h */
	const struct act_policy *policy; /* borrowed; NULL: the event's orchestrator decides */
	struct act_limit *shared_limit;  /* borrowed, shared by workers; NULL: its own limit */
	const volatile sig_atomic_t *stop; /* optional: abandons retries when set */
	bool quiet;              /* no log line per outcome (benchmarks) */
};

struct actuator_stats {
	uint64_t verdicts, duplicates, downgraded, excluded, limited, dry_run, retries, no_driver;
	uint64_t outcomes[RP_ACTION__COUNT][RP_OUTCOME__COUNT];
};

/* The outcome of one verdict. result's strings point into this struct and
 * into the verdict: valid while both are. */
struct act_outcome {
	bool duplicate;
	struct rp_action_result result;
	long api_status;
	int64_t latency_ns; /* from actuator_handle's start to the outcome */
	/* For the latency histograms: whether a driver was called (not a log,
	 * skip, dry-run or limit), which one (the workload's orchestrator), and
	 * the time spent in it, retries and their backoff included. */
	bool driver_called;
	enum rp_orchestrator orchestrator;
	int64_t driver_ns;
	int64_t event_to_outcome_ns; /* from the event's kernel timestamp (wall clock) */
	struct rp_str rule_id;
	char target[512], detail[1280], actor[256];
};

struct actuator;

struct actuator *actuator_new(const struct actuator_options *o, char *err, size_t errlen);
void actuator_free(struct actuator *a);
/* Takes ownership of d (NULL removes); the driver serving orchestrator orch. */
void actuator_set_driver(struct actuator *a, enum rp_orchestrator orch, struct act_driver *d);
/* Marks a verdict id as handled (seeding dedupe from the audit trail). */
void actuator_remember(struct actuator *a, struct rp_str verdict_id);
/* 0, or -1 when out of memory (nothing was done). */
int actuator_handle(struct actuator *a, const struct rp_verdict *v, struct act_outcome *out);
const struct actuator_stats *actuator_stats(const struct actuator *a);
/* Adds a's counters to *sum (several workers, one report). */
void actuator_stats_add(struct actuator_stats *sum, const struct actuator_stats *a);
/* Which of n workers owns a workload: every verdict of one workload (and
 * so every id its dedupe must know) goes to the same worker, in order. */
size_t actuator_worker_of(struct rp_str workload_id, size_t n);

#endif
