/* What a replay saw, for its closing summary on stderr:
 *
 *   rampart replay summary
 *     events      120345 read, 1200 selected, 3 undecodable
 *     verdicts    57
 *       by rule       RP1002       40  Read of shadow file ...
 *       by tactic     TA0006       40  Credential Access
 *
 * "read" counts every record or message the source read, "selected" those
 * inside the window and the event filters, "verdicts" the verdicts written
 * (after --rule). Rules and tactics are counted once per written verdict
 * that matched them, listed most frequent first. A count table that cannot
 * grow (out of memory) drops the new key and says so in the summary. */
#ifndef RAMPART_CLI_REPLAY_SUMMARY_H
#define RAMPART_CLI_REPLAY_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "evaluator.h"
#include "verdict.h"

struct replay_tally {
	char key[32], label[160];
	uint64_t n;
};

struct replay_tallies {
	struct replay_tally *v;
	size_t n, cap;
};

struct replay_counts {
	uint64_t read, selected, undecodable, verdicts;
	struct replay_tallies rules, tactics;
	bool dropped; /* a key was not counted (out of memory) */
};

/* Counts one written verdict's rules and tactics. */
void replay_counts_verdict(struct replay_counts *c, const struct rp_verdict *v);
/* stats: the evaluator's, for events of clusters the rules do not know. */
void replay_summary_print(FILE *f, const struct replay_counts *c, const struct eval_stats *stats);
void replay_counts_free(struct replay_counts *c);
/* "Credential Access" for "TA0006"; "" when not an ATT&CK Enterprise tactic. */
const char *replay_tactic_name(const char *id);

#endif
