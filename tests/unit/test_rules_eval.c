/* Evaluation end to end with the shipped rules: action table per
 * orchestrator and version, label matching, real encoded/decoded events,
 * verdict fields and codec, zero allocations per evaluated event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "action_table.h"
#include "event_codec.h"
#include "test_rules_util.h"
#include "verdict.h"

#include "alloc_count.h"

static struct eval_config *cfg;

static int setup(void **s)
{
	(void)s;
	struct diag d = {0};
	const char *paths[] = {RP_RULES_DIR};
	cfg = eval_config_load(paths, 1, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	return cfg ? 0 : -1;
}

static int teardown(void **s)
{
	(void)s;
	eval_config_unref(cfg);
	return 0;
}

static const struct rp_str args[] = {RP_STR("/tmp/xmrig"), RP_STR("-o"), RP_STR("stratum+tcp://pool:3333")};
static const struct rp_label labels[] = {{RP_STR("app"), RP_STR("web")}};

static void drift_exec(struct rp_event *ev, const char *cluster)
{
	memset(ev, 0, sizeof(*ev));
	ev->node = RP_STR("node-1");
	ev->cluster = (struct rp_str){cluster, (uint32_t)strlen(cluster)};
	ev->boot_id = RP_STR("boot-1");
	ev->sequence = 42;
	ev->time_ns = 1700000000000000000;
	ev->type = RP_EV_EXEC;
	ev->container.id = RP_STR("c0ffee");
	ev->container.name = RP_STR("web");
	ev->workload_kind = RP_WORKLOAD_POD;
	ev->workload.pod = (struct rp_pod){RP_STR("shop"), RP_STR("web-1"), RP_STR("pod-uid-1"), labels, 1,
					   RP_STR("ReplicaSet"), RP_STR("web"), RP_STR("default")};
	ev->process.comm = RP_STR("xmrig");
	ev->process.exe = RP_STR("/tmp/xmrig");
	ev->process.args = args;
	ev->process.nargs = 3;
	ev->process.exe_upper_layer = true;
}

static int eval_in(const char *cluster, struct rp_verdict *v, struct evaluator *e)
{
	struct rp_event ev;
	drift_exec(&ev, cluster);
	return evaluator_eval(e, cfg, &ev, v);
}

static void action_table(void **s)
{
	(void)s;
	unsigned v222[4] = {2, 2, 2, 0}, v223[4] = {2, 2, 3, 0}, v2100[4] = {2, 10, 0, 0}, none[4] = {0};
	char r[256];
	for (int a = 0; a < RP_ACTION__COUNT; a++) {
		assert_int_equal(action_effective(RP_ORCH_KUBERNETES, none, (enum rp_action)a, r, sizeof(r)), a);
		assert_string_equal(r, "");
		assert_int_equal(action_effective(RP_ORCH_NONE, none, (enum rp_action)a, r, sizeof(r)), a);
	}
	assert_int_equal(action_effective(RP_ORCH_ECS, v2100, RP_ACTION_ISOLATE, r, sizeof(r)), RP_ACTION_LOG);
	assert_non_null(strstr(r, "isolate is not available on ECS"));
	assert_int_equal(action_effective(RP_ORCH_ECS, v222, RP_ACTION_TERMINATE, r, sizeof(r)), RP_ACTION_LOG);
	assert_non_null(strstr(r, "2.2.3, cluster runs 2.2.2"));
	assert_int_equal(action_effective(RP_ORCH_ECS, v223, RP_ACTION_TERMINATE, r, sizeof(r)), RP_ACTION_TERMINATE);
	assert_int_equal(action_effective(RP_ORCH_ECS, v2100, RP_ACTION_TERMINATE, r, sizeof(r)), RP_ACTION_TERMINATE);
	assert_string_equal(r, "");
	assert_int_equal(action_effective(RP_ORCH_ECS, v222, RP_ACTION_LOG, r, sizeof(r)), RP_ACTION_LOG);
}

static void kubernetes_labels(void **s)
{
	(void)s;
	struct evaluator *e = evaluator_new();
	struct rp_verdict v;
	/* prod: all_rules.log (RP1003, RP1011 log) + prod.enforce (terminate) */
	assert_int_equal(eval_in("prod-eu-west-1", &v, e), 4);
	assert_int_equal(v.requested_action, RP_ACTION_TERMINATE);
	assert_int_equal(v.effective_action, RP_ACTION_TERMINATE);
	assert_int_equal(v.reason.len, 0);
	assert_memory_equal(v.policy.ptr, "default", 7);
	/* dev: prod.enforce's env=prod label does not match */
	assert_int_equal(eval_in("dev-eu-west-1", &v, e), 2);
	assert_int_equal(v.requested_action, RP_ACTION_LOG);
	assert_int_equal(v.effective_action, RP_ACTION_LOG);
	/* none (plain host) with matching labels: as requested */
	assert_int_equal(eval_in("lab-host", &v, e), 4);
	assert_int_equal(v.effective_action, RP_ACTION_TERMINATE);
	/* unknown cluster: the "default" cluster (log_only) */
	assert_int_equal(eval_in("elsewhere", &v, e), 2);
	assert_memory_equal(v.policy.ptr, "log_only", 8);
	evaluator_free(e);
}

static void ecs_versions(void **s)
{
	(void)s;
	struct evaluator *e = evaluator_new();
	struct rp_verdict v;
	/* labels have no effect on ECS: prod.enforce applies */
	assert_int_equal(eval_in("ecs-legacy", &v, e), 4);
	assert_int_equal(v.requested_action, RP_ACTION_TERMINATE);
	assert_int_equal(v.effective_action, RP_ACTION_LOG);
	assert_non_null(memmem(v.reason.ptr, v.reason.len, "2.2.2", 5));
	assert_int_equal(eval_in("ecs-current", &v, e), 4);
	assert_int_equal(v.effective_action, RP_ACTION_TERMINATE);
	assert_int_equal(v.reason.len, 0);
	evaluator_free(e);
}

static void ecs_isolate(void **s)
{
	(void)s;
	struct evaluator *e = evaluator_new();
	struct rp_verdict v;
	struct rp_event ev;
	drift_exec(&ev, "ecs-current");
	ev.type = RP_EV_CONNECT;
	ev.args_kind = RP_ARGS_NET;
	ev.args.net = (struct rp_net_args){.fd = 3, .family = 2, .remote_addr = RP_STR("169.254.169.254"),
					   .remote_port = 80, .newfd = -1};
	assert_int_equal(evaluator_eval(e, cfg, &ev, &v), 2); /* RP1005: log + isolate */
	assert_int_equal(v.requested_action, RP_ACTION_ISOLATE);
	assert_int_equal(v.effective_action, RP_ACTION_LOG);
	assert_non_null(memmem(v.reason.ptr, v.reason.len, "isolate is not available", 24));
	ev.cluster = RP_STR("prod-eu-west-1");
	assert_int_equal(evaluator_eval(e, cfg, &ev, &v), 2);
	assert_int_equal(v.effective_action, RP_ACTION_ISOLATE);
	ev.args.net.remote_addr = RP_STR("10.0.0.1"); /* near miss */
	assert_int_equal(evaluator_eval(e, cfg, &ev, &v), 0);
	evaluator_free(e);
}

static void encoded_events(void **s)
{
	(void)s;
	struct rp_buf b = {0}, vb = {0};
	struct rp_event in, out;
	struct event_scratch *sc = calloc(1, sizeof(*sc));
	struct verdict_scratch *vs = calloc(1, sizeof(*vs));
	struct codec_error err;
	struct evaluator *e = evaluator_new();
	struct rp_verdict v, back;

	drift_exec(&in, "prod-eu-west-1");
	assert_int_equal(event_encode(&in, &b), 0);
	assert_int_equal(event_decode(b.data, b.len, &out, sc, &err), 0);
	assert_int_equal(evaluator_eval(e, cfg, &out, &v), 4);
	assert_memory_equal(v.workload_id.ptr, "pod-uid-1", 9);
	assert_int_equal(v.verdict_id.len, 33);
	char id[40];
	memcpy(id, v.verdict_id.ptr, 33);
	assert_memory_equal(v.matches[0].rule_id.ptr, "RP1003", 6);
	assert_memory_equal(v.matches[0].technique.ptr, "T1036", 5);
	assert_int_equal(v.matches[0].severity, RP_SEV_CRITICAL);
	assert_non_null(memmem(v.matches[0].output.ptr, v.matches[0].output.len, "Drift: /tmp/xmrig executed", 26));
	assert_memory_equal(v.matches[2].rule_id.ptr, "RP1011", 6);
	assert_memory_equal(v.matches[2].ruleset.ptr, "all_rules.log", 13);
	assert_int_equal(v.matches[3].action, RP_ACTION_TERMINATE);
	assert_int_equal(verdict_encode(&v, &vb), 0);
	assert_int_equal(verdict_decode(vb.data, vb.len, &back, vs, &err), 0);
	assert_int_equal(back.nmatches, 4);
	assert_int_equal(back.effective_action, RP_ACTION_TERMINATE);
	/* same event again: same verdict id (idempotent downstream) */
	assert_int_equal(evaluator_eval(e, cfg, &out, &v), 4);
	assert_memory_equal(v.verdict_id.ptr, id, 33);
	out.sequence++;
	assert_int_equal(evaluator_eval(e, cfg, &out, &v), 4);
	assert_memory_not_equal(v.verdict_id.ptr, id, 33);
	/* a near miss: the same binary from the image layer, no stratum */
	in.process.exe_upper_layer = false;
	in.process.nargs = 1;
	buf_reset(&b);
	assert_int_equal(event_encode(&in, &b), 0);
	assert_int_equal(event_decode(b.data, b.len, &out, sc, &err), 0);
	assert_int_equal(evaluator_eval(e, cfg, &out, &v), 0);
	buf_free(&b), buf_free(&vb), free(sc), free(vs);
	evaluator_free(e);
}

static void zero_allocations(void **s)
{
	(void)s;
	struct evaluator *e = evaluator_new();
	struct rp_verdict v;
	struct rp_event evs[3];
	drift_exec(&evs[0], "prod-eu-west-1");
	drift_exec(&evs[1], "ecs-legacy");
	evs[1].type = RP_EV_OPEN, evs[1].args_kind = RP_ARGS_FILE;
	evs[1].args.file = (struct rp_file_args){.path = RP_STR("/etc/shadow"), .fd = 3};
	drift_exec(&evs[2], "nowhere");
	evs[2].type = RP_EV_CONNECT, evs[2].args_kind = RP_ARGS_NET;
	evs[2].args.net = (struct rp_net_args){.remote_addr = RP_STR("10.1.1.1"), .remote_port = 443};
	for (int i = 0; i < 3; i++) /* warm-up: the memo is sized for the config */
		evaluator_eval(e, cfg, &evs[i], &v);
	unsigned long before = allocs;
	int matched = 0;
	for (int i = 0; i < 3000; i++)
		matched += evaluator_eval(e, cfg, &evs[i % 3], &v) > 0;
	assert_int_equal(allocs - before, 0);
	assert_int_equal(matched, 2000);
	assert_true(allocs > 0); /* the wrapper is really in place */
	evaluator_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(action_table), cmocka_unit_test(kubernetes_labels), cmocka_unit_test(ecs_versions),
		cmocka_unit_test(ecs_isolate),	cmocka_unit_test(encoded_events),    cmocka_unit_test(zero_allocations),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
