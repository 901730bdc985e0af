/* The actuator's decision core against a scripted driver: each verdict is
 * acted on once; the action table is re-checked with the shipped cluster
 * documents; exclusions, dry-run and the blast-radius limit call nothing;
 * transient failures are retried with backoff, permanent ones are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "act_dedupe.h"
#include "act_limit.h"
#include "act_policy.h"
#include "actuator.h"

/* A driver that answers from a script and records its calls. */
struct scripted_driver {
	struct act_driver base;
	enum act_status script[8];
	int nscript, calls;
	enum rp_action last_action;
	char last_target[128];
};

static enum act_status scripted_act(struct act_driver *d, const struct act_call *c, struct act_reply *r)
{
	struct scripted_driver *s = (struct scripted_driver *)d;
	enum act_status st = s->script[s->calls < s->nscript ? s->calls : s->nscript - 1];

	s->calls++;
	s->last_action = c->action;
	snprintf(s->last_target, sizeof(s->last_target), "%.*s/%.*s", (int)c->target->namespace_.len,
		 c->target->namespace_.ptr, (int)c->target->pod.len, c->target->pod.ptr);
	r->status = st;
	r->api_status = st == ACT_RETRY ? 503 : st == ACT_FAILED ? 403 : 200;
	act_reply_target(r, "%s", s->last_target);
	act_reply_detail(r, "scripted %d", (int)st);
	return st;
}

static const char *scripted_actor(struct act_driver *d) { (void)d; return "test-actor"; }
static void scripted_free(struct act_driver *d) { (void)d; }

static struct scripted_driver drv;

static void script(int n, ...)
{
	va_list ap;

	memset(&drv, 0, sizeof(drv));
	drv.base = (struct act_driver){"test", scripted_act, scripted_actor, scripted_free};
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		drv.script[i] = va_arg(ap, enum act_status);
	va_end(ap);
	drv.nscript = n;
}

static struct rp_rule_match match = {
	.rule_id = RP_STR("RP2001"), .rule_name = RP_STR("Drift: binary from the writable layer"),
	.technique = RP_STR("T1610"), .tactic = RP_STR("execution"), .severity = RP_SEV_HIGH,
	.ruleset = RP_STR("recommended.v1"), .action = RP_ACTION_TERMINATE,
};

static void pod_verdict(struct rp_verdict *v, const char *id, const char *ns, enum rp_action action)
{
	memset(v, 0, sizeof(*v));
	v->verdict_id = (struct rp_str){id, (uint32_t)strlen(id)};
	v->workload_id = RP_STR("pod-uid-1");
	v->event.node = RP_STR("node-1");
	v->event.cluster = RP_STR("prod-eu-west-1");
	v->event.orchestrator = RP_ORCH_KUBERNETES;
	v->event.workload_kind = RP_WORKLOAD_POD;
	v->event.workload.pod.namespace_ = (struct rp_str){ns, (uint32_t)strlen(ns)};
	v->event.workload.pod.name = RP_STR("web-1");
	v->event.workload.pod.uid = RP_STR("pod-uid-1");
	v->matches = &match;
	v->nmatches = 1;
	v->requested_action = v->effective_action = action;
}

static struct actuator *new_actuator(struct actuator_options o)
{
	char err[128];
	struct actuator *a;

	o.backoff_base_ms = o.backoff_base_ms ? o.backoff_base_ms : 1;
	o.backoff_max_ms = o.backoff_max_ms ? o.backoff_max_ms : 4;
	o.quiet = true;
	a = actuator_new(&o, err, sizeof(err));
	assert_non_null(a);
	actuator_set_driver(a, RP_ORCH_KUBERNETES, &drv.base);
	return a;
}

static void test_acts_once_per_verdict(void **state)
{
	(void)state;
	struct actuator *a;
	struct rp_verdict v;
	struct act_outcome out;

	script(1, ACT_DONE);
	a = new_actuator((struct actuator_options){0});
	pod_verdict(&v, "v-1", "shop", RP_ACTION_TERMINATE);
	assert_int_equal(actuator_handle(a, &v, &out), 0);
	assert_false(out.duplicate);
	assert_int_equal(out.result.outcome, RP_OUTCOME_DONE);
	assert_int_equal(out.result.action, RP_ACTION_TERMINATE);
	assert_int_equal(out.result.attempts, 1);
	assert_string_equal(out.target, "shop/web-1");
	assert_string_equal(out.actor, "test-actor");
	assert_int_equal(out.api_status, 200);
	assert_int_equal(actuator_handle(a, &v, &out), 0);
	assert_true(out.duplicate);
	assert_int_equal(drv.calls, 1);
	assert_int_equal(actuator_stats(a)->duplicates, 1);
	/* A verdict seen in the audit trail before a restart. */
	pod_verdict(&v, "v-2", "shop", RP_ACTION_TERMINATE);
	actuator_remember(a, v.verdict_id);
	assert_int_equal(actuator_handle(a, &v, &out), 0);
	assert_true(out.duplicate);
	assert_int_equal(drv.calls, 1);
	actuator_free(a);
}

static void test_retries_transient_then_gives_up(void **state)
{
	(void)state;
	struct actuator *a;
	struct rp_verdict v;
	struct act_outcome out;

	script(3, ACT_RETRY, ACT_RETRY, ACT_DONE);
	a = new_actuator((struct actuator_options){.max_attempts = 5});
	pod_verdict(&v, "v-retry", "shop", RP_ACTION_ISOLATE);
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_DONE);
	assert_int_equal(out.result.attempts, 3);
	assert_int_equal(actuator_stats(a)->retries, 2);
	actuator_free(a);

	script(1, ACT_RETRY);
	a = new_actuator((struct actuator_options){.max_attempts = 4});
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_FAILED);
	assert_int_equal(out.result.attempts, 4);
	assert_int_equal(drv.calls, 4);
	assert_non_null(strstr(out.detail, "gave up after 4 attempts"));
	actuator_free(a);
}

static void test_permanent_failure_not_retried(void **state)
{
	(void)state;
	struct actuator *a;
	struct rp_verdict v;
	struct act_outcome out;

	script(1, ACT_FAILED);
	a = new_actuator((struct actuator_options){0});
	pod_verdict(&v, "v-403", "shop", RP_ACTION_TERMINATE);
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_FAILED);
	assert_int_equal(out.result.attempts, 1);
	assert_int_equal(out.api_status, 403);
	assert_int_equal(actuator_stats(a)->outcomes[RP_ACTION_TERMINATE][RP_OUTCOME_FAILED], 1);
	actuator_free(a);
}

static void test_exclusions_dry_run_and_log_call_nothing(void **state)
{
	(void)state;
	static const char *const excluded[] = {"payments"};
	struct actuator *a;
	struct rp_verdict v;
	struct act_outcome out;

	script(1, ACT_DONE);
	a = new_actuator((struct actuator_options){0});
	pod_verdict(&v, "v-ks", "kube-system", RP_ACTION_TERMINATE);
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_SKIPPED);
	assert_non_null(strstr(out.detail, "kube-system is excluded"));
	pod_verdict(&v, "v-log", "shop", RP_ACTION_LOG);
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_DONE);
	assert_int_equal(out.result.action, RP_ACTION_LOG);
	assert_int_equal(drv.calls, 0);
	actuator_free(a);

	a = new_actuator((struct actuator_options){.excluded_namespaces = excluded, .nexcluded = 1, .dry_run = true});
	pod_verdict(&v, "v-pay", "payments", RP_ACTION_TERMINATE);
	actuator_handle(a, &v, &out);
	assert_non_null(strstr(out.detail, "payments is excluded"));
	pod_verdict(&v, "v-dry", "kube-system", RP_ACTION_TERMINATE); /* custom list replaces the default */
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_SKIPPED);
	assert_string_equal(out.detail, "dry-run: would terminate kube-system/web-1");
	assert_int_equal(drv.calls, 0);
	assert_int_equal(actuator_stats(a)->dry_run, 1);
	actuator_free(a);
}

static void test_blast_radius_limit(void **state)
{
	(void)state;
	struct actuator *a;
	struct rp_verdict v;
	struct act_outcome out;
	char id[16];

	script(1, ACT_DONE);
	a = new_actuator((struct actuator_options){.limit_max = 3});
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "v-%d", i);
		pod_verdict(&v, id, "shop", RP_ACTION_TERMINATE);
		actuator_handle(a, &v, &out);
		assert_int_equal(out.result.outcome, i < 3 ? RP_OUTCOME_DONE : RP_OUTCOME_SKIPPED);
	}
	assert_non_null(strstr(out.detail, "blast-radius limit: 3 actions per 60 s reached in kubernetes:prod-eu-west-1/shop"));
	pod_verdict(&v, "v-other-ns", "checkout", RP_ACTION_TERMINATE); /* another scope */
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_DONE);
	assert_int_equal(drv.calls, 4);
	assert_int_equal(actuator_stats(a)->limited, 2);
	actuator_free(a);
}

static void test_limit_window_slides(void **state)
{
	(void)state;
	struct act_limit *l = act_limit_new(2, 1000);

	assert_true(act_limit_take(l, "s", 0));
	assert_true(act_limit_take(l, "s", 500));
	assert_false(act_limit_take(l, "s", 999));
	assert_true(act_limit_take(l, "s", 1000)); /* the first left the window */
	assert_false(act_limit_take(l, "s", 1499));
	assert_true(act_limit_take(l, "s", 1500));
	assert_true(act_limit_take(l, "t", 1500));
	act_limit_free(l);
	l = act_limit_new(0, 1000);
	for (int i = 0; i < 100; i++)
		assert_true(act_limit_take(l, "s", 0));
	act_limit_free(l);
}

/* Against a model: the set holds exactly the last `capacity` distinct ids. */
static void test_dedupe_evicts_oldest(void **state)
{
	(void)state;
	enum { CAP = 50, N = 5000 };
	struct act_dedupe *d = act_dedupe_new(CAP);
	char ids[N][16];

	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "id-%d", i);
		act_dedupe_add(d, (struct rp_str){ids[i], (uint32_t)strlen(ids[i])});
		act_dedupe_add(d, (struct rp_str){ids[i], (uint32_t)strlen(ids[i])});
		if (i % 97 != 0)
			continue;
		for (int j = 0; j <= i; j++)
			assert_int_equal(act_dedupe_seen(d, (struct rp_str){ids[j], (uint32_t)strlen(ids[j])}),
					 j > i - CAP);
	}
	assert_int_equal(act_dedupe_size(d), CAP);
	act_dedupe_free(d);
}

/* The shipped clusters: ecs-legacy runs protection 2.2.2, ecs-current 2.10.0. */
static void test_recheck_with_cluster_documents(void **state)
{
	(void)state;
	const char *paths[] = {RP_RULES_DIR};
	struct diag dg = {0};
	struct act_policy *p = act_policy_load(paths, 1, &dg);
	struct actuator *a;
	struct rp_verdict v;
	struct act_outcome out;

	diag_print(&dg, stderr);
	assert_non_null(p);
	script(1, ACT_DONE);
	a = new_actuator((struct actuator_options){.policy = p});
	actuator_set_driver(a, RP_ORCH_ECS, &drv.base);
	actuator_set_driver(a, RP_ORCH_KUBERNETES, NULL);
	pod_verdict(&v, "v-ecs-old", "", RP_ACTION_TERMINATE);
	v.event.orchestrator = RP_ORCH_ECS;
	v.event.cluster = RP_STR("ecs-legacy");
	v.event.workload_kind = RP_WORKLOAD_ECS_TASK;
	v.event.workload.ecs.task_arn = RP_STR("arn:aws:ecs:us-east-1:123456789012:task/legacy/abc");
	actuator_handle(a, &v, &out); /* the verdict claims terminate: the actuator says no */
	assert_int_equal(out.result.action, RP_ACTION_LOG);
	assert_int_equal(out.result.outcome, RP_OUTCOME_DONE);
	assert_non_null(strstr(out.detail, "2.2.3"));
	assert_int_equal(drv.calls, 0);
	assert_int_equal(actuator_stats(a)->downgraded, 1);

	v.verdict_id = RP_STR("v-ecs-new");
	v.event.cluster = RP_STR("ecs-current");
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.action, RP_ACTION_TERMINATE);
	assert_int_equal(drv.calls, 1);

	v.verdict_id = RP_STR("v-ecs-isolate");
	v.effective_action = RP_ACTION_ISOLATE;
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.action, RP_ACTION_LOG);
	assert_int_equal(drv.calls, 1);

	v.verdict_id = RP_STR("v-ecs-unknown"); /* no entry, no "default" ECS version */
	v.event.cluster = RP_STR("not-configured");
	v.effective_action = RP_ACTION_TERMINATE;
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.action, RP_ACTION_LOG);

	pod_verdict(&v, "v-k8s-no-driver", "shop", RP_ACTION_TERMINATE);
	actuator_handle(a, &v, &out);
	assert_int_equal(out.result.outcome, RP_OUTCOME_FAILED);
	assert_string_equal(out.detail, "no kubernetes driver is configured");
	actuator_free(a);
	act_policy_free(p);
	diag_free(&dg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acts_once_per_verdict),
		cmocka_unit_test(test_retries_transient_then_gives_up),
		cmocka_unit_test(test_permanent_failure_not_retried),
		cmocka_unit_test(test_exclusions_dry_run_and_log_call_nothing),
		cmocka_unit_test(test_blast_radius_limit),
		cmocka_unit_test(test_limit_window_slides),
		cmocka_unit_test(test_dedupe_evicts_oldest),
		cmocka_unit_test(test_recheck_with_cluster_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
