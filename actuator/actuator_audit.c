#include "actuator_audit.h"

#include <stdio.h>

#include "actuator.h"
#include "clock.h"
#include "framing.h"
#include "schema_defs.h"

int audit_decode_verdict(const struct transport_msg *m, struct rp_verdict *v, struct verdict_scratch *scratch,
			 struct codec_error *err)
{
	struct rp_frame f;

	if (frame_parse(m->value, m->value_len, &f, err))
		return -1;
	if (f.framing != RP_FRAMING_SINGLE_OBJECT || f.fingerprint != schema_verdict_fingerprint) {
		snprintf(err->msg, sizeof(err->msg), "not a Verdict of the current schema (framing %d, fingerprint %016llx)",
			 (int)f.framing, (unsigned long long)f.fingerprint);
		return -1;
	}
	return verdict_decode(f.payload, f.len, v, scratch, err);
}

int audit_send_result(struct producer *p, const char *topic, const struct rp_action_result *r, struct rp_buf *out,
		      char *err, size_t errlen)
{
	buf_reset(out);
	if (frame_write_single_object(out, schema_action_fingerprint) || action_encode(r, out))
		return snprintf(err, errlen, "cannot encode the action result"), -1;
	return producer_send(p, topic, r->workload_id.ptr, r->workload_id.len, out->data, out->len, err, errlen);
}

static void remember(struct actuator *const *acts, size_t n, const struct transport_msg *m)
{
	struct rp_action_result r;
	struct codec_error cerr;
	struct rp_frame f;

	/* A record this version cannot read names no verdict it could redo. */
	if (frame_parse(m->value, m->value_len, &f, &cerr) == 0 && f.fingerprint == schema_action_fingerprint &&
	    action_decode(f.payload, f.len, &r, &cerr) == 0)
		actuator_remember(acts[actuator_worker_of(r.workload_id, n)], r.verdict_id);
}

long audit_seed_dedupe(struct actuator *const *acts, size_t nacts, const struct transport_config *cfg,
		       const char *topic, int timeout_ms, char *err, size_t errlen)
{
	struct transport_config tc = *cfg;
	const char *topics[] = {topic};
	struct transport_msg m;
	struct consumer *c;
	int64_t deadline = clock_mono_ms() + timeout_ms;
	long n = 0;
	int rc;

	tc.read_all = 1;
	tc.group_id = NULL;
	c = consumer_open(&tc, topics, 1, err, errlen);
	if (!c)
		return -1;
	while ((rc = consumer_poll(c, &m, 200, err, errlen)) != -2) {
		if (rc == 1) {
			remember(acts, nacts, &m);
			consumer_release(c, &m);
			n++;
		} else if (rc == -1 || clock_mono_ms() > deadline) {
			if (rc != -1)
				snprintf(err, errlen, "%s not read to its end within %d ms", topic, timeout_ms);
			n = -1;
			break;
		}
	}
	consumer_close(c);
	return n;
}
