/* Exactly-once bookkeeping of rampart-evaluator: verdicts, DLQ records and
 * the consumed offsets of one batch commit in one Kafka transaction.
 *
 * A transaction is begun lazily before the first record of a batch
 * (service_txn_ensure) and committed when the batch is due (size or age):
 * the consumer's positions are added with producer_send_offsets, then
 * producer_commit. Retriable errors are retried a bounded number of times.
 * Abortable errors abort the transaction and mark the consumer for a
 * rewind to the committed offsets; the caller performs it
 * (service_txn_rewind_if_needed) before it processes any further message,
 * so nothing consumed in the aborted transaction is skipped. Fatal errors
 * (e.g. fenced by a newer instance with the same transactional.id) make
 * every call fail from then on; the service exits non-zero.
 *
 * Rebalance: service_txn_on_revoke is the consumer's on_revoke hook. It runs
 * inside consumer_poll, after every message returned so far was finished,
 * and before the revocation completes. Partitions handed over cleanly: the
 * open transaction is committed there, so the new owner starts exactly
 * after it. Partitions lost (session timeout; our generation is gone, so
 * the offsets would be rejected): the transaction is aborted and the new
 * owner reprocesses what it covered. */
#ifndef RAMPART_SERVICE_TXN_H
#define RAMPART_SERVICE_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

struct service_txn {
	struct producer *p;
	struct consumer *c;
	bool open;
	bool rewind_pending;
	bool fatal;
	size_t consumed;   /* messages in the open transaction */
	int64_t opened_ms; /* CLOCK_MONOTONIC */
	uint64_t commits, aborts, rebalance_commits;
	char err[512]; /* the last error, for the log */
};

/* Binding: p and c must outlive t. */
void service_txn_init(struct service_txn *t, struct producer *p, struct consumer *c);
/* 0, or -1 when the producer failed fatally (t->err). */
int service_txn_ensure(struct service_txn *t);
bool service_txn_due(const struct service_txn *t, size_t batch, int64_t batch_ms);
/* 0 committed (or nothing open), 1 aborted (rewind pending), -1 fatal. */
int service_txn_commit(struct service_txn *t);
/* 0 aborted (rewind pending), -1 fatal. why is logged. */
int service_txn_abort(struct service_txn *t, const char *why);
/* 0 (nothing pending or rewound), -1 fatal: the consumer's position can no
 * longer be trusted. */
int service_txn_rewind_if_needed(struct service_txn *t);
void service_txn_on_revoke(void *ctx, int lost);
int64_t service_txn_now_ms(void);

#endif
