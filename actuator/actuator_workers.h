/* The actuator's workers: a batch of verdict messages handled in parallel.
 *
 * Each message goes to the worker that owns its workload (the message key
 * is the workload id; actuator_worker_of), which decodes it and acts on it;
 * a worker takes its messages in order, so the verdicts of one workload are
 * acted on in the order they were produced, while different workloads
 * proceed at once and one slow API call does not hold up the others. Each
 * worker has its own actuator (dedupe for the workloads it owns, drivers,
 * connections); they share the blast-radius limit. The caller records the
 * outcomes afterwards, in message order. */
#ifndef RAMPART_ACTUATOR_WORKERS_H
#define RAMPART_ACTUATOR_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

#include "actuator.h"
#include "transport.h"

struct act_item {
	struct transport_msg m;
	bool undecodable;   /* why says why; goes to the DLQ */
	char why[160];
	struct act_outcome out;
};

struct act_workers;

/* acts: n actuators, borrowed. NULL with err when out of memory. */
struct act_workers *act_workers_new(struct actuator *const *acts, size_t n, char *err, size_t errlen);
void act_workers_free(struct act_workers *w);
/* Handles items[0..n). 0, or -1 when a worker ran out of memory or could
 * not be started (the batch must then not be recorded). */
int act_workers_run(struct act_workers *w, struct act_item *items, size_t n);

#endif
