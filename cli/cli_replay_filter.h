/* The time window and the filters of `rampart replay` and `rampart events
 * inspect`. Everything here parses command-line input (fuzzed by
 * tests/fuzz/fuzz_replay_filter.c) and never allocates.
 *
 * Times (replay_parse_time), as nanoseconds since the epoch:
 *   RFC 3339   2026-11-29T04:47:14Z, 2026-11-29T06:47:14.25+02:00; 't' or a
 *              space may replace 'T'; up to 9 fraction digits (more are
 *              cut to nanoseconds); no offset means UTC; a date alone
 *              (2026-11-29) is its midnight UTC.
 *   relative   "now", or minus one or more NUMBER+UNIT before now, UNIT one
 *              of s m h d w: -45s, -15m, -2h, -1h30m, -7d.
 * Times outside 1677..2262 (what int64 nanoseconds hold) are rejected.
 *
 * A window is inclusive at both ends; an end not given is open. Event
 * filters: --namespace is the Kubernetes namespace (other workloads never
 * match), --container a prefix of the container id. Verdict filter: --rule
 * keeps a verdict when any of its matched rules has one of the given ids
 * (case-insensitive). */
#ifndef RAMPART_CLI_REPLAY_FILTER_H
#define RAMPART_CLI_REPLAY_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verdict.h"

#define REPLAY_MAX_RULE_FILTERS 32

struct replay_filter {
	int64_t from_ns, to_ns;   /* INT64_MIN / INT64_MAX: open */
	const char *namespace_;   /* NULL: any */
	const char *container;    /* NULL: any */
	const char *rules[REPLAY_MAX_RULE_FILTERS];
	size_t nrules;
};

/* An open window, no filters. */
void replay_filter_init(struct replay_filter *f);
/* 0, or -1 with err naming what is wrong with s. */
int replay_parse_time(const char *s, int64_t now_ns, int64_t *out_ns, char *err, size_t errlen);
/* Parses --from and --to (either may be NULL) into f; -1 with err when one
 * is not a time or from is after to. */
int replay_filter_window(struct replay_filter *f, const char *from, const char *to, int64_t now_ns, char *err,
			 size_t errlen);
/* -1 with err when id is empty or the list is full. */
int replay_filter_add_rule(struct replay_filter *f, const char *id, char *err, size_t errlen);

bool replay_filter_time(const struct replay_filter *f, int64_t time_ns);
/* Namespace and container only: where the time comes from is the source's. */
bool replay_filter_event(const struct replay_filter *f, const struct rp_event *ev);
bool replay_filter_verdict(const struct replay_filter *f, const struct rp_verdict *v);

#endif
