/* rampart-evaluator's service loop: consume rampart.events in a consumer
 * group, evaluate, produce verdicts and DLQ records in Kafka transactions
 * with the consumed offsets (see service_txn.h for the exactly-once and
 * rebalance design, service_process.h for one message, service_rules.h for
 * hot reload).
 *
 * service_run returns when *stop becomes non-zero (the open transaction is
 * committed first, or aborted if that fails) or on a fatal error. Counters
 * are logged on return. */
#ifndef RAMPART_SERVICE_H
#define RAMPART_SERVICE_H

#include <signal.h>

#include "service_config.h"

enum service_exit {
	SERVICE_EXIT_OK = 0,
	SERVICE_EXIT_FATAL = 1,  /* Kafka fatal error (e.g. fenced), out of memory, lost position */
	SERVICE_EXIT_USAGE = 2,  /* bad command line */
	SERVICE_EXIT_CONFIG = 3, /* invalid configuration file or rules at start */
	SERVICE_EXIT_KAFKA = 4,  /* cannot create the Kafka clients / init transactions */
};

int service_run(const struct service_config *sc, const volatile sig_atomic_t *stop);

#endif
