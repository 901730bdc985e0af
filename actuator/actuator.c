#include "actuator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act_dedupe.h"
#include "act_limit.h"
#include "act_policy.h"
#include "act_target.h"
#include "clock.h"
#include "service_log.h"

static const char *const default_exclusions[] = {"kube-system", "rampart"};

struct actuator {
	struct actuator_options o;
	struct act_driver *drivers[RP_ORCH__COUNT];
	struct act_dedupe *seen;
	struct act_limit *limit;
	bool own_limit;
	uint64_t rng;
	struct actuator_stats stats;
};

static void apply_defaults(struct actuator_options *o)
{
	if (!o->excluded_namespaces) {
		o->excluded_namespaces = default_exclusions;
		o->nexcluded = sizeof(default_exclusions) / sizeof(default_exclusions[0]);
	}
	if (o->limit_window_ms <= 0)
		o->limit_window_ms = 60000;
	if (o->max_attempts <= 0)
		o->max_attempts = 5;
	if (o->backoff_base_ms <= 0)
		o->backoff_base_ms = 200;
	if (o->backoff_max_ms <= 0)
		o->backoff_max_ms = 5000;
}

struct actuator *actuator_new(const struct actuator_options *o, char *err, size_t errlen)
{
	struct actuator *a = calloc(1, sizeof(*a));

	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->o = *o;
	apply_defaults(&a->o);
	a->seen = act_dedupe_new(a->o.dedupe_capacity);
	a->own_limit = !a->o.shared_limit;
	a->limit = a->own_limit ? act_limit_new(a->o.limit_max, a->o.limit_window_ms) : a->o.shared_limit;
	a->rng = (uint64_t)clock_real_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
	if (!a->seen || !a->limit) {
		snprintf(err, errlen, "out of memory");
		actuator_free(a);
		return NULL;
	}
	return a;
}

void actuator_free(struct actuator *a)
{
	if (!a)
		return;
	for (int i = 0; i < RP_ORCH__COUNT; i++)
		if (a->drivers[i])
			a->drivers[i]->free(a->drivers[i]);
	act_dedupe_free(a->seen);
	if (a->own_limit)
		act_limit_free(a->limit);
	free(a);
}

void actuator_set_driver(struct actuator *a, enum rp_orchestrator orch, struct act_driver *d)
{
	if (a->drivers[orch])
		a->drivers[orch]->free(a->drivers[orch]);
	a->drivers[orch] = d;
}

void actuator_remember(struct actuator *a, struct rp_str verdict_id) { act_dedupe_add(a->seen, verdict_id); }

const struct actuator_stats *actuator_stats(const struct actuator *a) { return &a->stats; }

void actuator_stats_add(struct actuator_stats *sum, const struct actuator_stats *a)
{
	sum->verdicts += a->verdicts, sum->duplicates += a->duplicates, sum->downgraded += a->downgraded;
	sum->excluded += a->excluded, sum->limited += a->limited, sum->dry_run += a->dry_run;
	sum->retries += a->retries, sum->no_driver += a->no_driver;
	for (int i = 0; i < RP_ACTION__COUNT; i++)
		for (int o = 0; o < RP_OUTCOME__COUNT; o++)
			sum->outcomes[i][o] += a->outcomes[i][o];
}

size_t actuator_worker_of(struct rp_str workload_id, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (uint32_t i = 0; i < workload_id.len; i++)
		h = (h ^ (uint8_t)workload_id.ptr[i]) * 16777619u;
	return n ? h % n : 0;
}

/* The match that asked for the strongest action: the rule the action is for. */
static const struct rp_rule_match *primary_match(const struct rp_verdict *v)
{
	const struct rp_rule_match *best = NULL;

	for (uint32_t i = 0; i < v->nmatches; i++)
		if (!best || v->matches[i].action > best->action)
			best = &v->matches[i];
	return best;
}

static bool namespace_excluded(const struct actuator *a, const struct act_target *t)
{
	if (t->orchestrator != RP_ORCH_KUBERNETES)
		return false;
	for (size_t i = 0; i < a->o.nexcluded; i++) {
		const char *x = a->o.excluded_namespaces[i];
		if (strlen(x) == t->namespace_.len && memcmp(x, t->namespace_.ptr, t->namespace_.len) == 0)
			return true;
	}
	return false;
}

/* Full jitter: uniform in [0, min(max, base * 2^attempt)]. */
static void backoff_sleep(struct actuator *a, int attempt)
{
	int64_t cap = a->o.backoff_base_ms;
	struct timespec ts;

	for (int i = 0; i < attempt && cap < a->o.backoff_max_ms; i++)
		cap *= 2;
	if (cap > a->o.backoff_max_ms)
		cap = a->o.backoff_max_ms;
	a->rng ^= a->rng << 13;
	a->rng ^= a->rng >> 7;
	a->rng ^= a->rng << 17;
	int64_t ms = (int64_t)(a->rng % (uint64_t)(cap + 1));
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

static bool stopping(const struct actuator *a) { return a->o.stop && *a->o.stop; }

/* Calls the driver until it settles or the attempts run out. */
static enum rp_outcome run_driver(struct actuator *a, struct act_driver *d, const struct act_call *call,
				  struct act_reply *r, int32_t *attempts)
{
	enum act_status st = ACT_RETRY;

	for (*attempts = 0; *attempts < a->o.max_attempts;) {
		memset(r, 0, sizeof(*r));
		st = d->act(d, call, r);
		(*attempts)++;
		if (st != ACT_RETRY || *attempts == a->o.max_attempts || stopping(a))
			break;
		a->stats.retries++;
		backoff_sleep(a, *attempts - 1);
	}
	switch (st) {
	case ACT_DONE: return RP_OUTCOME_DONE;
	case ACT_ALREADY_DONE: return RP_OUTCOME_ALREADY_DONE;
	case ACT_SKIPPED: return RP_OUTCOME_SKIPPED;
	case ACT_RETRY: {
		char last[sizeof(r->detail)];
		snprintf(last, sizeof(last), "%s", r->detail);
		act_reply_detail(r, "gave up after %d attempts: %s", *attempts, last);
		return RP_OUTCOME_FAILED;
	}
	default: return RP_OUTCOME_FAILED;
	}
}

/* Steps 3-7 of actuator.h for an action already re-checked. */
static enum rp_outcome act_on(struct actuator *a, const struct rp_verdict *v, const struct act_target *t,
			      enum rp_action action, const char *recheck, struct act_outcome *out)
{
	struct act_driver *d = a->drivers[t->orchestrator];
	struct act_reply r;
	struct act_call call;
	char scope[384];
	enum rp_outcome oc;

	if (action == RP_ACTION_LOG) {
		snprintf(out->detail, sizeof(out->detail), "logged%s%s", recheck[0] ? ": " : "", recheck);
		return RP_OUTCOME_DONE;
	}
	if (namespace_excluded(a, t)) {
		a->stats.excluded++;
		snprintf(out->detail, sizeof(out->detail), "namespace %.*s is excluded; not touched",
			 (int)t->namespace_.len, t->namespace_.ptr);
		return RP_OUTCOME_SKIPPED;
	}
	if (!d) {
		a->stats.no_driver++;
		snprintf(out->detail, sizeof(out->detail), "no %s driver is configured", act_driver_name(t->orchestrator));
		return RP_OUTCOME_FAILED;
	}
	snprintf(out->actor, sizeof(out->actor), "%s", d->actor(d));
	if (a->o.dry_run) {
		a->stats.dry_run++;
		snprintf(out->detail, sizeof(out->detail), "dry-run: would %s %s", rp_action_names[action], out->target);
		return RP_OUTCOME_SKIPPED;
	}
	act_target_scope(&v->event, t, scope, sizeof(scope));
	if (!act_limit_take(a->limit, scope, clock_mono_ns() / 1000000)) {
		a->stats.limited++;
		snprintf(out->detail, sizeof(out->detail),
			 "blast-radius limit: %u actions per %lld s reached in %s; logged, not acted on", a->o.limit_max,
			 (long long)(a->o.limit_window_ms / 1000), scope);
		return RP_OUTCOME_SKIPPED;
	}
	call = (struct act_call){.verdict_id = v->verdict_id, .rule_id = out->rule_id, .rule_name = {0},
				 .verdict_time_ns = v->time_ns, .action = action, .target = t};
	out->driver_ns = clock_mono_ns();
	oc = run_driver(a, d, &call, &r, &out->result.attempts);
	out->driver_ns = clock_mono_ns() - out->driver_ns;
	out->driver_called = true;
	if (r.target[0])
		snprintf(out->target, sizeof(out->target), "%s", r.target);
	snprintf(out->detail, sizeof(out->detail), "%s", r.detail);
	out->api_status = r.api_status;
	return oc;
}

/* event_to_outcome_ms: from the kernel's timestamp of the triggering event
 * to now, the whole pipeline's reaction time. */
static void log_outcome(const struct act_outcome *out)
{
	const struct rp_action_result *r = &out->result;

	service_log(r->outcome == RP_OUTCOME_FAILED ? "error" : "info", "action",
		    json_pack("{s:s#, s:s#, s:s#, s:s#, s:s, s:s, s:i, s:f, s:f, s:i, s:s#, s:s#}", "verdict_id",
			      r->verdict_id.ptr, (int)r->verdict_id.len, "rule", out->rule_id.ptr,
			      (int)out->rule_id.len, "driver", r->driver.ptr, (int)r->driver.len, "target",
			      r->target.ptr, (int)r->target.len, "action", rp_action_names[r->action], "outcome",
			      rp_outcome_names[r->outcome], "api_status", (int)out->api_status, "latency_ms",
			      (double)out->latency_ns / 1e6, "event_to_outcome_ms",
			      (double)out->event_to_outcome_ns / 1e6, "attempts", (int)r->attempts, "detail",
			      r->detail.ptr, (int)r->detail.len, "actor", r->actor.ptr, (int)r->actor.len));
}

static struct rp_str str_of(const char *s) { return (struct rp_str){s, (uint32_t)strlen(s)}; }

int actuator_handle(struct actuator *a, const struct rp_verdict *v, struct act_outcome *out)
{
	int64_t start = clock_mono_ns();
	const struct rp_rule_match *pm = primary_match(v);
	struct act_target t;
	char recheck[256];
	enum rp_action action;
	enum rp_outcome oc;

	memset(out, 0, sizeof(*out));
	a->stats.verdicts++;
	if (act_dedupe_seen(a->seen, v->verdict_id)) {
		out->duplicate = true;
		a->stats.duplicates++;
		return 0;
	}
	act_target_from_event(&v->event, &t);
	act_target_describe(&t, out->target, sizeof(out->target));
	if (pm)
		out->rule_id = pm->rule_id;
	action = act_policy_allowed(a->o.policy, &v->event, v->effective_action, recheck, sizeof(recheck));
	if (action < v->effective_action)
		a->stats.downgraded++;
	else if (v->reason.len) /* the evaluator's own downgrade */
		snprintf(recheck, sizeof(recheck), "%.*s", (int)v->reason.len, v->reason.ptr);
	oc = act_on(a, v, &t, action, recheck, out);
	act_dedupe_add(a->seen, v->verdict_id);
	a->stats.outcomes[action][oc]++;
	out->latency_ns = clock_mono_ns() - start;
	out->result = (struct rp_action_result){
		.verdict_id = v->verdict_id, .workload_id = v->workload_id,
		.driver = str_of(act_driver_name(t.orchestrator)), .action = action,
		.target = str_of(out->target), .outcome = oc, .detail = str_of(out->detail),
		.actor = str_of(out->actor), .attempts = out->result.attempts, .time_ns = clock_real_ns(),
	};
	out->orchestrator = t.orchestrator;
	out->event_to_outcome_ns = out->result.time_ns - v->event.time_ns;
	if (!a->o.quiet)
		log_outcome(out);
	return 0;
}
