/* The closing summary of `rampart run`: events, verdicts by rule, actions
 * by outcome, and every way an event could have been lost (ring-buffer
 * drops, sends refused, decode failures, set-aside events), which must all
 * be zero at normal load. Human form on a stream; JSON as one line
 * {"summary": {...}} for JSON-lines consumers. */
#ifndef RAMPART_CLI_SUMMARY_H
#define RAMPART_CLI_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "actuator.h"
#include "cli_run_stages.h"

void run_summary_print(FILE *f, const struct run_summary *s, const struct actuator_stats *a, const char *recording);
void run_summary_json(FILE *f, const struct run_summary *s, const struct actuator_stats *a);
/* Events lost anywhere between the kernel and the evaluator. */
uint64_t run_summary_lost(const struct run_summary *s);

#endif
