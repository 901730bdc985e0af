#include "action.h"

#include "codec_internal.h"

const char *const rp_action_names[RP_ACTION__COUNT] = {"log", "isolate", "terminate"};
const char *const rp_outcome_names[RP_OUTCOME__COUNT] = {"done", "already_done", "skipped",
							 "failed"};

static int action_write(struct rp_buf *b, const struct rp_action_result *a)
{
	if ((unsigned)a->action >= RP_ACTION__COUNT || (unsigned)a->outcome >= RP_OUTCOME__COUNT)
		return -1;
	TRY(wr_str(b, a->verdict_id));
	TRY(wr_str(b, a->workload_id));
	TRY(wr_str(b, a->driver));
	TRY(wr_long(b, a->action));
	TRY(wr_str(b, a->target));
	TRY(wr_long(b, a->outcome));
	TRY(wr_str(b, a->detail));
	TRY(wr_str(b, a->actor));
	TRY(wr_long(b, a->attempts));
	return wr_long(b, a->time_ns);
}

int action_encode(const struct rp_action_result *a, struct rp_buf *out)
{
	size_t mark = out->len;

	if (action_write(out, a)) {
		out->len = mark;
		return -1;
	}
	return 0;
}

static int action_read(struct avro_rd *r, struct rp_action_result *a)
{
	uint32_t k;

	TRY(rd_str(r, &a->verdict_id, "ActionResult.verdict_id"));
	TRY(rd_str(r, &a->workload_id, "ActionResult.workload_id"));
	TRY(rd_str(r, &a->driver, "ActionResult.driver"));
	TRY(rd_index(r, RP_ACTION__COUNT, &k, "enum", "ActionResult.action"));
	a->action = (enum rp_action)k;
	TRY(rd_str(r, &a->target, "ActionResult.target"));
	TRY(rd_index(r, RP_OUTCOME__COUNT, &k, "enum", "ActionResult.outcome"));
	a->outcome = (enum rp_outcome)k;
	TRY(rd_str(r, &a->detail, "ActionResult.detail"));
	TRY(rd_str(r, &a->actor, "ActionResult.actor"));
	TRY(rd_int(r, &a->attempts, "ActionResult.attempts"));
	return rd_long(r, &a->time_ns, "ActionResult.time_ns");
}

int action_decode(const uint8_t *p, size_t n, struct rp_action_result *a, struct codec_error *err)
{
	struct avro_rd r;

	rd_init(&r, p, n, err);
	TRY(action_read(&r, a));
	return rd_done(&r, "ActionResult");
}
