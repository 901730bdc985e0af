/* The decoded form of schemas/verdict.avsc (io.rampart.Verdict), in the style
 * of event.h: strings are views, the embedded event's lists and the matches
 * live in a caller-owned struct verdict_scratch whose capacities bound what a
 * message may carry.
 *
 * verdict_encode appends the Avro binary encoding to out (-1: enum out of
 * range or no memory; out->len restored). verdict_decode decodes exactly n
 * bytes, never allocates, -1 with *err on malformed or over-capacity input. */
#ifndef RAMPART_VERDICT_H
#define RAMPART_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "buf.h"
#include "codec_error.h"
#include "event.h"

enum rp_severity {
	RP_SEV_INFO, RP_SEV_LOW, RP_SEV_MEDIUM, RP_SEV_HIGH, RP_SEV_CRITICAL, RP_SEV__COUNT
};

#define RP_MAX_MATCHES 64

struct rp_rule_match {
	struct rp_str rule_id, rule_name, technique, tactic;
	enum rp_severity severity;
	struct rp_str ruleset;
	enum rp_action action;
	struct rp_str output;
};

struct rp_verdict {
	struct rp_str verdict_id;
	int64_t time_ns;
	struct rp_str workload_id;
	struct rp_event event;
	const struct rp_rule_match *matches;
	uint32_t nmatches;
	struct rp_str policy;
	enum rp_action requested_action, effective_action;
	struct rp_str reason;
};

struct verdict_scratch {
	struct event_scratch event;
	struct rp_rule_match matches[RP_MAX_MATCHES];
};

extern const char *const rp_severity_names[RP_SEV__COUNT];

int verdict_encode(const struct rp_verdict *v, struct rp_buf *out);
int verdict_decode(const uint8_t *p, size_t n, struct rp_verdict *v, struct verdict_scratch *scratch,
		   struct codec_error *err);

#endif
