/* The decoded form of schemas/action.avsc (io.rampart.ActionResult), in the
 * style of event.h: strings are views into the decoded buffer (or into the
 * caller's memory before encoding), enums follow the schema's symbol order.
 *
 * action_encode appends the Avro binary encoding to out (-1: enum out of
 * range or no memory; out->len restored). action_decode decodes exactly n
 * bytes, never allocates, -1 with *err on malformed input. */
#ifndef RAMPART_ACTION_H
#define RAMPART_ACTION_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_error.h"
#include "event.h"

/* io.rampart.Action; shared with verdict.h. */
enum rp_action { RP_ACTION_LOG, RP_ACTION_ISOLATE, RP_ACTION_TERMINATE, RP_ACTION__COUNT };

enum rp_outcome {
	RP_OUTCOME_DONE, RP_OUTCOME_ALREADY_DONE, RP_OUTCOME_SKIPPED, RP_OUTCOME_FAILED,
	RP_OUTCOME__COUNT
};

struct rp_action_result {
	struct rp_str verdict_id, workload_id, driver;
	enum rp_action action;
	struct rp_str target;
	enum rp_outcome outcome;
	struct rp_str detail, actor;
	int32_t attempts;
	int64_t time_ns;
};

extern const char *const rp_action_names[RP_ACTION__COUNT];
extern const char *const rp_outcome_names[RP_OUTCOME__COUNT];

int action_encode(const struct rp_action_result *a, struct rp_buf *out);
int action_decode(const uint8_t *p, size_t n, struct rp_action_result *a, struct codec_error *err);

#endif
