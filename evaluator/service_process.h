/* One event message through rampart-evaluator: decode, evaluate, emit.
 *
 * A decodable event that matches yields one verdict, encoded in the
 * worker's format (verdict_format.h; NULL, the default: Avro single-object
 * framed with the Verdict schema fingerprint), produced to the verdicts
 * topic keyed by the verdict's workload id, and staged on the Falco
 * webhook when there is one (falco_webhook.h; the caller releases or
 * discards it with the transaction). An undecodable message is produced unchanged
 * (original key and bytes) to the DLQ topic with headers rampart.error (the
 * codec's message), rampart.source.topic, rampart.source.partition and
 * rampart.source.offset; it is never dropped. Both go into the caller's
 * open transaction. A worker holds one thread's scratch and allocates
 * nothing per event in steady state. Its counters (by_rule included) count
 * what was produced, aborted transactions included, as the events are. */
#ifndef RAMPART_SERVICE_PROCESS_H
#define RAMPART_SERVICE_PROCESS_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "buf.h"
#include "event.h"
#include "transport.h"

struct eval_config;
struct evaluator;
struct schema_store;
struct verdict_format;
struct falco_webhook;

#define RULE_COUNTS_SLOTS 1024
#define RULE_COUNTS_MAX_USED (RULE_COUNTS_SLOTS * 3 / 4) /* keeps probe runs short */
#define RULE_ID_MAX 48

struct rule_count {
	char rule[RULE_ID_MAX];
	enum rp_action action;
	bool used;
	uint64_t n;
};

/* The worker's verdicts by rule (see service_metrics.h). */
struct rule_counts {
	struct rule_count slot[RULE_COUNTS_SLOTS];
	size_t used;
	uint64_t other[RP_ACTION__COUNT];
};

/* One match of rule id (len bytes) by a verdict whose effective action is action. */
void rule_counts_add(struct rule_counts *t, const char *rule, size_t len, enum rp_action action);

struct service_worker {
	struct producer *p;
	const char *verdicts_topic, *dlq_topic;
	struct schema_store *store;
	struct evaluator *eval;
	struct event_scratch scratch;
	struct rp_buf resolve_buf, out;
	uint64_t events, verdicts, dlq;
	struct rule_counts *by_rule; /* each produced verdict's matches */
	const struct verdict_format *format; /* set after init; NULL: Avro single-object */
	struct falco_webhook *falco;         /* set after init; NULL: none */
};

enum {
	SERVICE_PROCESS_OK = 0,
	SERVICE_PROCESS_SEND_FAILED = -1, /* abort the transaction */
	SERVICE_PROCESS_FATAL = -2,       /* out of memory */
};

/* 0, or -1 with err. */
int service_worker_init(struct service_worker *w, struct producer *p, const char *verdicts_topic,
			const char *dlq_topic, char *err, size_t errlen);
void service_worker_free(struct service_worker *w);
int service_process(struct service_worker *w, const struct eval_config *cfg, const struct transport_msg *m,
		    char *err, size_t errlen);

#endif
