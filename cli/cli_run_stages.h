/* `rampart run`'s pipeline: the collector, the evaluator and the actuator
 * on their own threads, joined by two in-process buses (lib/local_bus.h),
 * exactly the stage code the distributed daemons run:
 *
 *   collector_run --[events bus: rampart.events]--> evaluator thread
 *     (records each event when asked; service_process: decode, evaluate,
 *     verdicts; undecodable events to rampart.events.dlq)
 *   --[verdicts bus: rampart.verdicts + the DLQ]--> actuator thread
 *     (actuator_handle, then prints the verdict with its outcome)
 *
 * A full bus blocks its producer (the collector waits up to its
 * send_timeout_ms, then counts the event as lost), so loss is counted, never
 * silent. run_stages_stop stops the collector, then closes each bus after
 * its producer has finished, so every event read is evaluated and every
 * verdict acted on before the threads are joined. */
#ifndef RAMPART_CLI_RUN_STAGES_H
#define RAMPART_CLI_RUN_STAGES_H

#include <stddef.h>
#include <stdint.h>

#include "actuator.h"
#include "cli_verdict_print.h"
#include "collector_config.h"
#include "collector_run.h"

struct service_rules;

struct run_stages_config {
	struct collector_config *cc;  /* its transport is pointed at the events bus */
	struct service_rules *rules;  /* started by the caller (hot reload) */
	struct actuator *act;         /* drivers installed */
	const char *record_path;      /* Avro container file of every event; NULL: none */
	struct verdict_printer printer;
	struct verdict_printer copy;  /* a second output (JSON lines to a file); out NULL: none */
	size_t bus_capacity;          /* messages per topic; 0: 65536 */
};

#define RUN_MAX_RULES 256

struct run_rule_count {
	char id[32], name[160];
	uint64_t verdicts;
};

struct run_summary {
	struct collector_counters collector;
	uint64_t events_evaluated, verdicts, dlq, recorded, record_failed, print_failed;
	struct run_rule_count rules[RUN_MAX_RULES];
	size_t nrules;
	int collector_exit;
};

struct run_stages;

/* NULL with err when a bus, the recording or a thread cannot be started. */
struct run_stages *run_stages_start(const struct run_stages_config *c, char *err, size_t errlen);
/* Non-zero once the collector thread has ended on its own (an error). */
int run_stages_collector_done(struct run_stages *s);
/* Stops and drains as described above; fills *out; frees s. */
void run_stages_stop(struct run_stages *s, struct run_summary *out);

#endif
