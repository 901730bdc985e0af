#include "verdict.h"

#include "codec_internal.h"

const char *const rp_severity_names[RP_SEV__COUNT] = {"info", "low", "medium", "high",
						      "critical"};

static int write_match(struct rp_buf *b, const struct rp_rule_match *m)
{
	if ((unsigned)m->severity >= RP_SEV__COUNT || (unsigned)m->action >= RP_ACTION__COUNT)
		return -1;
	TRY(wr_str(b, m->rule_id));
	TRY(wr_str(b, m->rule_name));
	TRY(wr_str(b, m->technique));
	TRY(wr_str(b, m->tactic));
	TRY(wr_long(b, m->severity));
	TRY(wr_str(b, m->ruleset));
	TRY(wr_long(b, m->action));
	return wr_str(b, m->output);
}

static int write_matches(struct rp_buf *b, const struct rp_rule_match *m, uint32_t n)
{
	if (n) {
		TRY(wr_long(b, n));
		for (uint32_t i = 0; i < n; i++)
			TRY(write_match(b, &m[i]));
	}
	return wr_long(b, 0);
}

static int verdict_write(struct rp_buf *b, const struct rp_verdict *v)
{
	if ((unsigned)v->requested_action >= RP_ACTION__COUNT ||
	    (unsigned)v->effective_action >= RP_ACTION__COUNT)
		return -1;
	TRY(wr_str(b, v->verdict_id));
	TRY(wr_long(b, v->time_ns));
	TRY(wr_str(b, v->workload_id));
	TRY(event_write(b, &v->event));
	TRY(write_matches(b, v->matches, v->nmatches));
	TRY(wr_str(b, v->policy));
	TRY(wr_long(b, v->requested_action));
	TRY(wr_long(b, v->effective_action));
	return wr_str(b, v->reason);
}

int verdict_encode(const struct rp_verdict *v, struct rp_buf *out)
{
	size_t mark = out->len;

	if (verdict_write(out, v)) {
		out->len = mark;
		return -1;
	}
	return 0;
}

static int read_match(struct avro_rd *r, struct rp_rule_match *m)
{
	uint32_t k;

	TRY(rd_str(r, &m->rule_id, "Verdict.matches.rule_id"));
	TRY(rd_str(r, &m->rule_name, "Verdict.matches.rule_name"));
	TRY(rd_str(r, &m->technique, "Verdict.matches.technique"));
	TRY(rd_str(r, &m->tactic, "Verdict.matches.tactic"));
	TRY(rd_index(r, RP_SEV__COUNT, &k, "enum", "Verdict.matches.severity"));
	m->severity = (enum rp_severity)k;
	TRY(rd_str(r, &m->ruleset, "Verdict.matches.ruleset"));
	TRY(rd_index(r, RP_ACTION__COUNT, &k, "enum", "Verdict.matches.action"));
	m->action = (enum rp_action)k;
	return rd_str(r, &m->output, "Verdict.matches.output");
}

static int read_matches(struct avro_rd *r, struct rp_rule_match *m, uint32_t *n)
{
	uint32_t count;

	*n = 0;
	for (;;) {
		TRY(rd_block(r, RP_MAX_MATCHES - *n, &count, "Verdict.matches"));
		if (count == 0)
			return 0;
		for (uint32_t i = 0; i < count; i++, (*n)++)
			TRY(read_match(r, &m[*n]));
	}
}

static int verdict_read(struct avro_rd *r, struct rp_verdict *v, struct verdict_scratch *s)
{
	uint32_t k;

	TRY(rd_str(r, &v->verdict_id, "Verdict.verdict_id"));
	TRY(rd_long(r, &v->time_ns, "Verdict.time_ns"));
	TRY(rd_str(r, &v->workload_id, "Verdict.workload_id"));
	TRY(event_read(r, &v->event, &s->event));
	TRY(read_matches(r, s->matches, &v->nmatches));
	v->matches = s->matches;
	TRY(rd_str(r, &v->policy, "Verdict.policy"));
	TRY(rd_index(r, RP_ACTION__COUNT, &k, "enum", "Verdict.requested_action"));
	v->requested_action = (enum rp_action)k;
	TRY(rd_index(r, RP_ACTION__COUNT, &k, "enum", "Verdict.effective_action"));
	v->effective_action = (enum rp_action)k;
	return rd_str(r, &v->reason, "Verdict.reason");
}

int verdict_decode(const uint8_t *p, size_t n, struct rp_verdict *v, struct verdict_scratch *scratch,
		   struct codec_error *err)
{
	struct avro_rd r;

	rd_init(&r, p, n, err);
	TRY(verdict_read(&r, v, scratch));
	return rd_done(&r, "Verdict");
}
