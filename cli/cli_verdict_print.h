/* How `rampart run` and `rampart replay` show a verdict as it happens.
 *
 * Terminal (one line; colours when out is a tty):
 *   04:31:07.123 CRITICAL RP2001 T1610 Drift: executable from the writable
 *   layer | shop/web-1 c0ffee123456 | xmrig[4242] /tmp/xmrig | touched
 *   /etc/shadow | terminate: done (3.1 ms)
 * JSON lines: verdict_json (evaluator/verdict_json.h) plus, when the verdict
 * was acted on, "outcome": {"action", "outcome", "target", "detail",
 * "attempts", "latency_ms", "event_to_outcome_ms"} — the last measured from
 * the kernel's timestamp of the event to the moment the outcome was known. */
#ifndef RAMPART_CLI_VERDICT_PRINT_H
#define RAMPART_CLI_VERDICT_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "actuator.h"
#include "verdict.h"

struct verdict_printer {
	FILE *out;
	bool json;
	bool color;
};

/* outcome NULL: not acted on (replay). Returns -1 when out fails. */
int verdict_print(const struct verdict_printer *p, const struct rp_verdict *v, const struct act_outcome *outcome);

#endif
