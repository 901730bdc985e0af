/* rampart-actuator's service loop: consume rampart.verdicts (read_committed)
 * in a consumer group, act on each verdict through the actuator core, and
 * record every outcome on rampart.actions.
 *
 * Verdicts of different workloads are acted on in parallel by the workers
 * (actuator_workers.h); those of one workload in order, by one worker.
 * Offsets are committed only after the outcomes they cover are delivered to
 * the audit trail: verdicts are handled in batches (actuator.batch, or what
 * arrived), their outcomes flushed, then the last offset of each partition
 * committed. A crash before the commit redelivers the batch; the dedupe set,
 * seeded from the audit trail at start, absorbs what was already recorded,
 * and the drivers' idempotence (already_done) the rest. On a clean
 * hand-over of partitions the pending batch is flushed and committed first.
 * Undecodable verdicts go to the DLQ topic unchanged, with the reason.
 *
 * actuator_service_run returns when *stop becomes non-zero (the batch in
 * hand is finished and committed) or on a fatal error. */
#ifndef RAMPART_ACTUATOR_SERVICE_H
#define RAMPART_ACTUATOR_SERVICE_H

#include <signal.h>

#include "actuator_config.h"

enum actuator_exit {
	ACTUATOR_EXIT_OK = 0,
	ACTUATOR_EXIT_FATAL = 1,  /* the audit trail cannot be written, out of memory */
	ACTUATOR_EXIT_USAGE = 2,
	ACTUATOR_EXIT_CONFIG = 3, /* invalid configuration, rules, or driver credentials */
	ACTUATOR_EXIT_KAFKA = 4,  /* the Kafka clients cannot start */
};

struct actuator;

/* acts: one actuator core per worker (actuator.workers), drivers installed,
 * sharing one blast-radius limit (actuator_workers.h). */
int actuator_service_run(const struct actuator_config *ac, struct actuator *const *acts, size_t nacts,
			 const volatile sig_atomic_t *stop);

#endif
