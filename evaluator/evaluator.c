/* Evaluating events against a compiled configuration into verdicts. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action_table.h"
#include "config_internal.h"

struct evaluator {
	struct field_scratch fs;
	uint32_t *memo_stamp; /* per predicate: the event stamp its value is for */
	uint8_t *memo_val;
	uint32_t memo_cap, stamp;
	struct eval_stats stats;
	struct rp_rule_match matches[RP_MAX_MATCHES];
	char outputs[RP_MAX_MATCHES][EVAL_OUTPUT_MAX];
	char verdict_id[64];
	char workload_id[512];
};

struct evaluator *evaluator_new(void)
{
	return calloc(1, sizeof(struct evaluator));
}

void evaluator_free(struct evaluator *e)
{
	if (!e)
		return;
	free(e->memo_stamp);
	free(e->memo_val);
	free(e);
}

const struct eval_stats *evaluator_stats(const struct evaluator *e)
{
	return &e->stats;
}

/* Cluster names are NUL-terminated; the event's is a view: compare byte by
 * byte so a mismatch costs one or two compares and no strlen. */
static inline bool name_is(const char *n, struct rp_str s)
{
	uint32_t i = 0;
	while (i < s.len && n[i] == s.ptr[i])
		i++;
	return i == s.len && n[i] == 0;
}

const struct ctable *config_table_for(const struct eval_config *cfg, struct rp_str cluster)
{
	for (uint32_t i = 0; i < cfg->nclusters; i++)
		if (name_is(cfg->clusters[i].name, cluster))
			return &cfg->clusters[i];
	return NULL;
}

static inline bool pred_memo(const struct cpred *p, uint32_t i, const struct rp_event *ev, struct field_scratch *sc,
			     uint32_t *ms, uint8_t *mv, uint32_t stamp)
{
	if (ms[i] != stamp) {
		mv[i] = cpred_eval(p, ev, sc);
		ms[i] = stamp;
	}
	return mv[i];
}

bool config_rule_run(const struct eval_config *cfg, const struct crule *r, const struct rp_event *ev,
		     struct field_scratch *sc, uint32_t *ms, uint8_t *mv, uint32_t stamp, const struct cpred **first_false)
{
	const struct insn *code = cfg->prog.code + r->code;
	bool acc = false;
	for (uint32_t pc = 0; pc < r->ncode;) {
		const struct insn in = code[pc++];
		switch (in.op) {
		case I_PRED:
		case I_PREDM:
			acc = ms ? pred_memo(&cfg->prog.preds[in.arg], in.arg, ev, sc, ms, mv, stamp)
				 : cpred_eval(&cfg->prog.preds[in.arg], ev, sc);
			if (!acc && first_false && !*first_false)
				*first_false = &cfg->prog.preds[in.arg];
			break;
		case I_NOT: acc = !acc; break;
		case I_JF: if (!acc) pc = in.arg; break;
		case I_JT: if (acc) pc = in.arg; break;
		}
	}
	return acc;
}

static int memo_fit(struct evaluator *e, uint32_t n)
{
	if (n <= e->memo_cap)
		return 0;
	uint32_t *s = calloc(n, sizeof(*s));
	uint8_t *v = calloc(n, 1);
	if (!s || !v)
		return free(s), free(v), -1;
	free(e->memo_stamp), free(e->memo_val);
	e->memo_stamp = s, e->memo_val = v, e->memo_cap = n;
	e->stamp = 0;
	return 0;
}

static void hex64(char *out, uint64_t v)
{
	for (int i = 15; i >= 0; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 15];
}

/* Same event, same id: redelivery and re-evaluation stay idempotent. */
static struct rp_str make_verdict_id(struct evaluator *e, const struct rp_event *ev)
{
	uint64_t h = 14695981039346656037ull;
	const struct rp_str parts[2] = {ev->node, ev->boot_id};
	for (int p = 0; p < 2; p++) {
		for (uint32_t i = 0; i < parts[p].len; i++)
			h = (h ^ (uint8_t)parts[p].ptr[i]) * 1099511628211ull;
		h = (h ^ 0xff) * 1099511628211ull; /* separator: ("ab","c") != ("a","bc") */
	}
	hex64(e->verdict_id, h);
	e->verdict_id[16] = '-';
	hex64(e->verdict_id + 17, (uint64_t)ev->sequence);
	return (struct rp_str){e->verdict_id, 33};
}

static struct rp_str make_workload_id(struct evaluator *e, const struct rp_event *ev)
{
	if (ev->workload_kind == RP_WORKLOAD_POD && ev->workload.pod.uid.len)
		return ev->workload.pod.uid;
	if (ev->workload_kind == RP_WORKLOAD_ECS_TASK && ev->workload.ecs.task_arn.len)
		return ev->workload.ecs.task_arn;
	if (ev->container.id.len)
		return ev->container.id;
	/* a host process: the events topic's key for it */
	uint32_t n = ev->node.len < sizeof(e->workload_id) - 6 ? ev->node.len : (uint32_t)sizeof(e->workload_id) - 6;
	memcpy(e->workload_id, "host/", 5);
	if (n)
		memcpy(e->workload_id + 5, ev->node.ptr, n);
	return (struct rp_str){e->workload_id, n + 5};
}

static void add_match(struct evaluator *e, const struct eval_config *cfg, const struct crule *r,
		      const struct cact *a, const struct rp_event *ev, uint32_t k)
{
	struct rp_rule_match *m = &e->matches[k];
	const char *rs = a->ruleset < cfg->nrulesets ? cfg->rulesets[a->ruleset] : "";
	size_t n = tmpl_render(&r->output, ev, &e->fs, e->outputs[k], EVAL_OUTPUT_MAX);
	m->rule_id = (struct rp_str){r->id, (uint32_t)strlen(r->id)};
	m->rule_name = (struct rp_str){r->name, (uint32_t)strlen(r->name)};
	m->technique = (struct rp_str){r->technique, (uint32_t)strlen(r->technique)};
	m->tactic = (struct rp_str){r->tactic, (uint32_t)strlen(r->tactic)};
	m->severity = r->severity;
	m->ruleset = (struct rp_str){rs, (uint32_t)strlen(rs)};
	m->action = a->requested;
	m->output = (struct rp_str){e->outputs[k], (uint32_t)n};
}

static void fill_verdict(struct evaluator *e, const struct ctable *t, const struct rp_event *ev, uint32_t n,
			 const char *reason, enum rp_action req, enum rp_action eff, struct rp_verdict *v)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	v->verdict_id = make_verdict_id(e, ev);
	v->time_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	v->workload_id = make_workload_id(e, ev);
	v->event = *ev;
	v->matches = e->matches;
	v->nmatches = n;
	v->policy = (struct rp_str){t->policy, (uint32_t)strlen(t->policy)};
	v->requested_action = req;
	v->effective_action = eff;
	v->reason = (struct rp_str){reason, (uint32_t)strlen(reason)};
}

int evaluator_eval(struct evaluator *e, const struct eval_config *cfg, const struct rp_event *ev,
		   struct rp_verdict *v)
{
	const struct ctable *t = config_table_for(cfg, ev->cluster);
	uint32_t n = 0;
	enum rp_action req = RP_ACTION_LOG, eff = RP_ACTION_LOG;
	const char *reason_for[RP_ACTION__COUNT] = {"", "", ""};

	e->stats.events++;
	if (!t && !(t = cfg->fallback)) {
		e->stats.unknown_cluster++;
		return 0;
	}
	if ((unsigned)ev->type >= RP_EV__COUNT || memo_fit(e, cfg->prog.npreds) < 0)
		return (unsigned)ev->type >= RP_EV__COUNT ? 0 : -1;
	if (++e->stamp == 0) { /* wrapped: stale stamps could collide */
		memset(e->memo_stamp, 0, e->memo_cap * sizeof(*e->memo_stamp));
		e->stamp = 1;
	}
	e->fs.of = NULL; /* a new event, perhaps at the last one's address */
	struct pred_memo memo = {e->memo_stamp, e->memo_val, e->stamp};
	for (uint32_t i = t->by_type[ev->type], end = t->by_type[ev->type + 1]; i < end; i++) {
		const struct centry *en = &t->entries[i];
		const struct crule *r = &cfg->rules[en->rule];
		if (!program_run(&cfg->prog, r->code, r->ncode, ev, &e->fs, &memo))
			continue;
		for (uint32_t k = 0; k < en->nact; k++) {
			const struct cact *a = &t->acts[en->act + k];
			if (n == RP_MAX_MATCHES) {
				e->stats.matches_dropped++;
				continue;
			}
			add_match(e, cfg, r, a, ev, n++);
			if (a->reason[0]) /* one cluster: one reason per requested action */
				reason_for[a->requested] = a->reason;
			req = action_stronger(req, a->requested);
			eff = action_stronger(eff, a->effective);
		}
	}
	if (n == 0)
		return 0;
	fill_verdict(e, t, ev, n, req == eff ? "" : reason_for[req], req, eff, v);
	e->stats.verdicts++;
	return (int)n;
}
