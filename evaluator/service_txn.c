#include "service_txn.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "service_log.h"

/* Retries of a call that reports RETRIABLE (e.g. a coordinator timeout);
 * past them the transaction is aborted instead. */
#define TXN_RETRIES 5
#define TXN_OFFSETS_TIMEOUT_MS 30000
#define TXN_REWIND_TIMEOUT_MS 30000

int64_t service_txn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void service_txn_init(struct service_txn *t, struct producer *p, struct consumer *c)
{
	memset(t, 0, sizeof(*t));
	t->p = p, t->c = c;
}

static int fail_fatal(struct service_txn *t)
{
	t->fatal = true;
	return -1;
}

int service_txn_ensure(struct service_txn *t)
{
	int rc;

	if (t->fatal)
		return -1;
	if (t->open)
		return 0;
	rc = producer_begin(t->p, t->err, sizeof(t->err));
	if (rc != TRANSPORT_TXN_OK) /* begin has no transaction to abort */
		return fail_fatal(t);
	t->open = true;
	t->consumed = 0;
	t->opened_ms = service_txn_now_ms();
	return 0;
}

bool service_txn_due(const struct service_txn *t, size_t batch, int64_t batch_ms)
{
	return t->open && (t->consumed >= batch || service_txn_now_ms() - t->opened_ms >= batch_ms);
}

int service_txn_abort(struct service_txn *t, const char *why)
{
	int rc = TRANSPORT_TXN_RETRIABLE;

	service_warn("aborting transaction", json_pack("{s:s, s:I}", "reason", why, "messages",
							(json_int_t)t->consumed));
	for (int i = 0; i < TXN_RETRIES && rc == TRANSPORT_TXN_RETRIABLE; i++)
		rc = producer_abort(t->p, -1, t->err, sizeof(t->err));
	if (rc != TRANSPORT_TXN_OK)
		return fail_fatal(t);
	t->open = false;
	t->aborts++;
	t->rewind_pending = true;
	return 0;
}

static int retry(struct service_txn *t, int commit)
{
	int rc = TRANSPORT_TXN_RETRIABLE;

	for (int i = 0; i < TXN_RETRIES && rc == TRANSPORT_TXN_RETRIABLE; i++)
		rc = commit ? producer_commit(t->p, -1, t->err, sizeof(t->err))
			    : producer_send_offsets(t->p, t->c, TXN_OFFSETS_TIMEOUT_MS, t->err, sizeof(t->err));
	return rc == TRANSPORT_TXN_RETRIABLE ? TRANSPORT_TXN_ABORTABLE : rc;
}

int service_txn_commit(struct service_txn *t)
{
	int rc;

	if (t->fatal)
		return -1;
	if (!t->open)
		return 0;
	rc = retry(t, 0);
	if (rc == TRANSPORT_TXN_OK)
		rc = retry(t, 1);
	if (rc == TRANSPORT_TXN_OK) {
		t->open = false;
		t->commits++;
		return 0;
	}
	if (rc == TRANSPORT_TXN_FATAL)
		return fail_fatal(t);
	char why[sizeof(t->err)];
	snprintf(why, sizeof(why), "%s", t->err);
	return service_txn_abort(t, why) ? -1 : 1;
}

int service_txn_rewind_if_needed(struct service_txn *t)
{
	if (!t->rewind_pending)
		return 0;
	if (consumer_rewind(t->c, TXN_REWIND_TIMEOUT_MS, t->err, sizeof(t->err)))
		return fail_fatal(t);
	t->rewind_pending = false;
	service_info("consumer rewound to the committed offsets", NULL);
	return 0;
}

void service_txn_on_revoke(void *ctx, int lost)
{
	struct service_txn *t = ctx;

	if (!t->open || t->fatal)
		return;
	if (lost) {
		service_txn_abort(t, "partitions lost");
		return;
	}
	if (service_txn_commit(t) == 0) {
		t->rebalance_commits++;
		service_info("transaction committed before partition revocation", NULL);
	}
}
