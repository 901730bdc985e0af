/* The Falco sidecar output of rampart-evaluator: every verdict, as a Falco
 * alert (verdict_falco.h), POSTed as application/json to a webhook
 * (verdicts.falco_webhook: falcosidekick's endpoint, or anything that takes
 * Falco's http_output).
 *
 * What is posted is what Kafka committed. The evaluating thread stages an
 * alert for each verdict it produced (falco_webhook_stage); when the
 * transaction commits, the staged alerts go to the poster thread's queue
 * (falco_webhook_release); when it aborts they are dropped without a
 * trace (falco_webhook_discard): the events are evaluated again and their
 * verdicts staged anew. The alert's uuid is the verdict id, stable across
 * re-evaluation, so a receiver can dedupe the rare repeat (an evaluator
 * killed between commit and post loses, one restarted re-posts nothing).
 *
 * Never blocks the caller: staging and release only take a mutex for list
 * splices. The queue is bounded (queue_max staged + queue_max queued); an
 * alert that finds it full is dropped, counted and logged (at most once per
 * 10 s, with the running count). The poster thread adds the rules' tags
 * (reloaded from rule_paths when falco_webhook_rules_changed reports a new
 * generation), then posts: 2xx is delivered; no response (refused, timeout),
 * 408, 429 and 5xx are retried with exponential backoff (200 ms doubling,
 * at most max_attempts tries); other statuses and exhausted retries count
 * as failed and are logged (rate-limited like drops). falco_webhook_stop
 * keeps posting for at most drain_ms, then counts what is left as dropped
 * and logs the counters. */
#ifndef RAMPART_EVAL_FALCO_WEBHOOK_H
#define RAMPART_EVAL_FALCO_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "verdict.h"

struct falco_webhook_config {
	const char *url;                /* http:// or https:// */
	long timeout_ms;                /* per POST; 0: 5000 */
	size_t queue_max;               /* 0: 10000 */
	int max_attempts;               /* per alert; 0: 5 */
	long drain_ms;                  /* at stop; 0: 5000 */
	const char *const *rule_paths;  /* for the rules' tags; must outlive the webhook */
	size_t nrule_paths;
};

struct falco_webhook_stats {
	uint64_t staged;    /* alerts built for produced verdicts */
	uint64_t discarded; /* staged in a transaction that aborted */
	uint64_t posted;    /* delivered (2xx) */
	uint64_t retries;   /* POSTs repeated after a retriable failure */
	uint64_t failed;    /* given up: non-retriable status or attempts exhausted */
	uint64_t dropped;   /* queue full, out of memory, or left at stop */
};

struct falco_webhook;

/* NULL with err when out of memory or the thread cannot start. */
struct falco_webhook *falco_webhook_start(const struct falco_webhook_config *cfg, char *err, size_t errlen);
void falco_webhook_stage(struct falco_webhook *wh, const struct rp_verdict *v);
void falco_webhook_release(struct falco_webhook *wh);
void falco_webhook_discard(struct falco_webhook *wh);
/* Staged alerts not yet released or discarded. */
size_t falco_webhook_pending(const struct falco_webhook *wh);
void falco_webhook_rules_changed(struct falco_webhook *wh, uint64_t generation);
void falco_webhook_stats(const struct falco_webhook *wh, struct falco_webhook_stats *out);
/* Discards what is staged, drains, joins, logs the counters, frees. NULL: no-op. */
void falco_webhook_stop(struct falco_webhook *wh);

#endif
