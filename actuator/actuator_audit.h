/* The actuator's Kafka records: outcomes on the audit trail
 * (rampart.actions: ActionResult, single-object framed, keyed by workload
 * id), verdicts it cannot decode on its DLQ, and reading the audit trail
 * back at start so verdicts acted on before a restart are not acted on
 * again (actuator_remember for every verdict id found). */
#ifndef RAMPART_ACTUATOR_AUDIT_H
#define RAMPART_ACTUATOR_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "buf.h"
#include "codec_error.h"
#include "transport.h"
#include "verdict.h"

struct actuator;

/* Decodes a framed verdict message (single-object, the current Verdict
 * schema). 0, or -1 with err saying why. */
int audit_decode_verdict(const struct transport_msg *m, struct rp_verdict *v, struct verdict_scratch *scratch,
			 struct codec_error *err);
/* Encodes r into out (reset first) and sends it; producer_send's contract. */
int audit_send_result(struct producer *p, const char *topic, const struct rp_action_result *r, struct rp_buf *out,
		      char *err, size_t errlen);
/* Reads topic from its start to its current end (bounded by timeout_ms) and
 * has the worker owning each record's workload (actuator_worker_of)
 * remember its verdict id. Returns how many records were read, or -1 with
 * err. */
long audit_seed_dedupe(struct actuator *const *acts, size_t nacts, const struct transport_config *cfg,
		       const char *topic, int timeout_ms, char *err, size_t errlen);

#endif
