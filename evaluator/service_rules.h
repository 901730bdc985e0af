/* The rule configuration of rampart-evaluator and its hot reload.
 *
 * service_rules_start loads the rule paths once (failure: NULL, errors in
 * d) and starts a watcher thread that polls the paths' metadata (every
 * file's name, size, mtime and inode, recursively for directories) twice a
 * second. A change that has been stable for one poll is loaded off the hot
 * path with eval_config_load. Success: the new configuration is published
 * through one atomic pointer and logged. Failure: every file:line:col error
 * is logged, config_reload_failures is incremented and the running
 * configuration stays in force; the same broken state is not retried until
 * the files change again.
 *
 * Only the evaluating thread calls service_rules_current: it adopts a
 * published configuration there (between two events) and releases the
 * previous one, so an evaluation never sees its configuration freed. */
#ifndef RAMPART_SERVICE_RULES_H
#define RAMPART_SERVICE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct eval_config;
struct service_rules;

struct service_rules_stats {
	uint64_t reloads, reload_failures;
	bool last_reload_ok; /* true until a reload fails, again after one succeeds */
};

struct service_rules *service_rules_start(const char *const *paths, size_t n, struct diag *d);
const struct eval_config *service_rules_current(struct service_rules *r);
void service_rules_stats(struct service_rules *r, struct service_rules_stats *out);
void service_rules_stop(struct service_rules *r);

/* Logs each message of d as its own error line with msg as the summary. */
void service_rules_log_diag(const char *msg, const struct diag *d);

#endif
