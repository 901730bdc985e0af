/* Verdict formats (evaluator/verdict_format*.c, verdict_ocsf*.c,
 * verdict_falco*.c, falco_webhook*.c): OCSF severity/action/ATT&CK
 * mapping and object placement, Falco priority mapping and field names,
 * JSON field-name stability, Avro single-object and Confluent framing (the
 * Confluent case against tests/unit/registry_server.py), and the webhook's
 * staging, discard and drop accounting against a refused port. The OCSF
 * schema validation of the same records is in
 * tests/integration/verdict_formats_check.py. */
#include "registry_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "falco_webhook.h"
#include "framing.h"
#include "schema_defs.h"
#include "verdict_falco.h"
#include "verdict_format.h"
#include "verdict_format_json.h"
#include "verdict_json.h"
#include "verdict_ocsf.h"

#define POD_UID "3f9c2a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6"
#define EVENT_NS 1764374400123456789LL /* 2025-11-29T00:00:00.123456789Z */

static const struct rp_str shell_args[] = {RP_STR("bash"), RP_STR("-c"), RP_STR("id")};
static const struct rp_label pod_labels[] = {{RP_STR("app"), RP_STR("web")}};
static const struct rp_rule_match two_matches[] = {
	{RP_STR("RP1002"), RP_STR("Read of a sensitive file"), RP_STR("T1003.008"), RP_STR("TA0006"), RP_SEV_MEDIUM,
	 RP_STR("all_rules.log"), RP_ACTION_LOG, RP_STR("cat read /etc/shadow")},
	{RP_STR("RP1001"), RP_STR("Terminal shell in container"), RP_STR("T1059.004"), RP_STR("TA0002"),
	 RP_SEV_CRITICAL, RP_STR("prod_enforce"), RP_ACTION_TERMINATE, RP_STR("Shell bash -c id in web")},
};

/* A pod's shell that also read /etc/shadow: two matches, terminate. */
static void pod_verdict(struct rp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->verdict_id = RP_STR("0123456789abcdef-000000000000002a");
	v->time_ns = EVENT_NS + 1000000000LL;
	v->workload_id = RP_STR(POD_UID);
	v->matches = two_matches, v->nmatches = 2;
	v->policy = RP_STR("default");
	v->requested_action = v->effective_action = RP_ACTION_TERMINATE;
	v->event = (struct rp_event){
		.node = RP_STR("node-1"), .cluster = RP_STR("prod-eu"), .orchestrator = RP_ORCH_KUBERNETES,
		.sequence = 42, .time_ns = EVENT_NS, .type = RP_EV_OPEN, .syscall = RP_STR("openat"),
		.container = {.id = RP_STR("c0ffee"), .name = RP_STR("web"), .image = RP_STR("nginx:1.27"),
			      .image_digest = RP_STR("sha256:abc"), .runtime = RP_STR("containerd")},
		.workload_kind = RP_WORKLOAD_POD,
		.process = {.pid = 4242, .ppid = 1, .uid = 0, .loginuid = -1, .comm = RP_STR("bash"),
			    .exe = RP_STR("/usr/bin/bash"), .args = shell_args, .nargs = 3, .cwd = RP_STR("/srv"),
			    .parent_comm = RP_STR("nginx"), .parent_exe = RP_STR("/usr/sbin/nginx"),
			    .start_time_ns = EVENT_NS - 5000000000LL},
		.args_kind = RP_ARGS_FILE,
	};
	v->event.workload.pod = (struct rp_pod){.namespace_ = RP_STR("shop"), .name = RP_STR("web-7d9f"),
						 .uid = RP_STR(POD_UID), .labels = pod_labels, .nlabels = 1,
						 .owner_kind = RP_STR("ReplicaSet"), .owner_name = RP_STR("web")};
	v->event.args.file.path = RP_STR("/etc/shadow");
}

/* A host process on a plain host: nothing touched, no container, no pod. */
static void host_verdict(struct rp_verdict *v)
{
	pod_verdict(v);
	v->matches = two_matches, v->nmatches = 1;
	v->effective_action = RP_ACTION_LOG;
	v->workload_id = RP_STR("host/node-1");
	v->event.orchestrator = RP_ORCH_NONE, v->event.workload_kind = RP_WORKLOAD_NONE;
	v->event.container = (struct rp_container){0};
	v->event.args_kind = RP_ARGS_NONE;
}

static void ecs_verdict(struct rp_verdict *v)
{
	pod_verdict(v);
	v->effective_action = RP_ACTION_LOG; /* terminate needs protection >= 2.2.3 */
	v->workload_id = RP_STR("arn:aws:ecs:eu-west-1:123456789012:task/prod/0a1b");
	v->event.orchestrator = RP_ORCH_ECS, v->event.workload_kind = RP_WORKLOAD_ECS_TASK;
	v->event.workload.ecs = (struct rp_ecs_task){.cluster = RP_STR("prod"), .task_arn = v->workload_id,
						     .family = RP_STR("shop"), .revision = RP_STR("7")};
}

/* Dotted paths into a JSON tree (verdict_format_json.h). */
static const char *str_at(json_t *j, const char *path) { return vf_str(j, path); }
static json_int_t int_at(json_t *j, const char *path) { return json_integer_value(vf_get(j, path)); }
static json_t *item(json_t *j, const char *path, size_t i) { return json_array_get(vf_get(j, path), i); }

/* ---- OCSF ---- */

static void test_ocsf_severity_and_action_maps(void **state)
{
	static const struct {
		enum rp_severity sev;
		int id;
		const char *caption;
	} sev[] = {{RP_SEV_INFO, 1, "Informational"}, {RP_SEV_LOW, 2, "Low"}, {RP_SEV_MEDIUM, 3, "Medium"},
		   {RP_SEV_HIGH, 4, "High"}, {RP_SEV_CRITICAL, 5, "Critical"}};
	static const struct {
		enum rp_action a;
		int action_id, disposition_id;
		const char *disposition;
	} act[] = {{RP_ACTION_LOG, 3, 17, "Logged"}, {RP_ACTION_ISOLATE, 2, 4, "Isolated"},
		   {RP_ACTION_TERMINATE, 2, 2, "Blocked"}};
	struct ocsf_enum a, d;

	(void)state;
	for (size_t i = 0; i < sizeof(sev) / sizeof(sev[0]); i++) {
		assert_int_equal(verdict_ocsf_severity(sev[i].sev).id, sev[i].id);
		assert_string_equal(verdict_ocsf_severity(sev[i].sev).caption, sev[i].caption);
	}
	for (size_t i = 0; i < sizeof(act) / sizeof(act[0]); i++) {
		verdict_ocsf_action(act[i].a, &a, &d);
		assert_int_equal(a.id, act[i].action_id);
		assert_int_equal(d.id, act[i].disposition_id);
		assert_string_equal(d.caption, act[i].disposition);
	}
	assert_string_equal(verdict_ocsf_tactic_name("TA0002"), "Execution");
	assert_null(verdict_ocsf_tactic_name("TA9999"));
}

static void test_ocsf_detection_finding(void **state)
{
	struct rp_verdict v;
	json_t *f, *attack;

	(void)state;
	pod_verdict(&v);
	f = verdict_ocsf(&v);
	assert_non_null(f);
	assert_int_equal(int_at(f, "class_uid"), 2004);
	assert_int_equal(int_at(f, "category_uid"), 2);
	assert_int_equal(int_at(f, "activity_id"), 1);
	assert_int_equal(int_at(f, "type_uid"), 200401);
	assert_int_equal(int_at(f, "time"), (EVENT_NS + 1000000000LL) / 1000000);
	assert_int_equal(int_at(f, "severity_id"), 5); /* the critical match wins */
	assert_int_equal(int_at(f, "action_id"), 2);
	assert_string_equal(str_at(f, "disposition"), "Blocked");
	assert_string_equal(str_at(f, "finding_info.uid"), "0123456789abcdef-000000000000002a");
	assert_string_equal(str_at(f, "finding_info.title"), "Terminal shell in container");
	assert_string_equal(str_at(f, "finding_info.desc"), "Shell bash -c id in web");
	assert_string_equal(str_at(f, "finding_info.analytic.uid"), "RP1001");
	assert_int_equal(int_at(f, "finding_info.analytic.type_id"), 1);
	assert_string_equal(str_at(item(f, "finding_info.related_analytics", 0), "uid"), "RP1002");
	assert_int_equal(json_array_size(vf_get(f, "finding_info.attacks")), 2);
	attack = item(f, "finding_info.attacks", 1);
	assert_string_equal(str_at(attack, "technique.uid"), "T1059");
	assert_string_equal(str_at(attack, "sub_technique.uid"), "T1059.004");
	assert_string_equal(str_at(attack, "tactic.uid"), "TA0002");
	assert_string_equal(str_at(attack, "tactic.name"), "Execution");
	assert_string_equal(str_at(f, "metadata.version"), "1.4.0");
	assert_string_equal(str_at(f, "metadata.product.name"), "rampart");
	assert_int_equal(json_array_size(vf_get(f, "metadata.profiles")), 3);
	assert_null(vf_get(f, "cloud"));
	json_decref(f);
}

static void test_ocsf_objects(void **state)
{
	struct rp_verdict v;
	json_t *f, *ev, *res;

	(void)state;
	pod_verdict(&v);
	f = verdict_ocsf(&v);
	assert_non_null(f);
	assert_null(vf_get(f, "container")); /* not a Detection Finding attribute */
	assert_null(vf_get(f, "process"));
	assert_string_equal(str_at(f, "device.hostname"), "node-1");
	assert_int_equal(int_at(f, "actor.process.pid"), 4242);
	assert_string_equal(str_at(f, "actor.process.cmd_line"), "bash -c id");
	assert_string_equal(str_at(f, "actor.process.file.path"), "/usr/bin/bash");
	assert_string_equal(str_at(f, "actor.process.file.name"), "bash");
	assert_string_equal(str_at(f, "actor.process.parent_process.name"), "nginx");
	assert_string_equal(str_at(f, "actor.process.user.uid"), "0");
	ev = item(f, "evidences", 0);
	assert_string_equal(str_at(ev, "container.uid"), "c0ffee");
	assert_string_equal(str_at(ev, "container.image.name"), "nginx:1.27");
	assert_string_equal(str_at(ev, "container.image.uid"), "sha256:abc");
	assert_string_equal(str_at(ev, "container.pod_uuid"), POD_UID);
	assert_string_equal(str_at(ev, "container.orchestrator"), "Kubernetes");
	assert_string_equal(str_at(ev, "file.path"), "/etc/shadow");
	res = item(f, "resources", 0);
	assert_string_equal(str_at(res, "uid"), POD_UID);
	assert_string_equal(str_at(res, "namespace"), "shop");
	assert_string_equal(str_at(res, "type"), "Kubernetes Pod");
	assert_string_equal(json_string_value(item(res, "labels", 0)), "app=web");
	assert_string_equal(str_at(f, "unmapped.workload_id"), POD_UID);
	assert_string_equal(str_at(f, "unmapped.action.requested"), "terminate");
	json_decref(f);
}

static void test_ocsf_ecs_and_host(void **state)
{
	struct rp_verdict v;
	json_t *f;

	(void)state;
	ecs_verdict(&v);
	f = verdict_ocsf(&v);
	assert_non_null(f);
	assert_string_equal(str_at(f, "cloud.provider"), "AWS");
	assert_string_equal(str_at(f, "cloud.region"), "eu-west-1");
	assert_string_equal(str_at(f, "cloud.account.uid"), "123456789012");
	assert_string_equal(json_string_value(item(f, "metadata.profiles", 3)), "cloud");
	assert_string_equal(str_at(item(f, "resources", 0), "type"), "ECS Task");
	assert_string_equal(str_at(item(f, "resources", 0), "namespace"), "prod");
	assert_null(vf_get(item(f, "evidences", 0), "container.pod_uuid"));
	assert_int_equal(int_at(f, "disposition_id"), 17);
	json_decref(f);

	host_verdict(&v);
	f = verdict_ocsf(&v);
	assert_non_null(f);
	assert_null(vf_get(item(f, "evidences", 0), "container")); /* no container: absent, not empty */
	assert_null(vf_get(item(f, "evidences", 0), "file"));
	assert_string_equal(str_at(item(f, "resources", 0), "uid"), "host/node-1");
	assert_int_equal(json_array_size(vf_get(f, "finding_info.attacks")), 1);
	assert_null(vf_get(f, "finding_info.related_analytics"));
	json_decref(f);
}

/* A hostile argument that is not UTF-8 neither breaks nor hides a record. */
static void test_ocsf_non_utf8(void **state)
{
	static const struct rp_str bad_args[] = {RP_STR("sh"), RP_STR("x\xff\xfey")};
	struct rp_verdict v;
	json_t *f;

	(void)state;
	pod_verdict(&v);
	v.event.process.args = bad_args, v.event.process.nargs = 2;
	f = verdict_ocsf(&v);
	assert_non_null(f);
	assert_string_equal(str_at(f, "actor.process.cmd_line"), "sh x\\xff\\xfey");
	json_decref(f);
}

/* ---- Falco ---- */

static void test_falco_priority_map(void **state)
{
	(void)state;
	assert_string_equal(verdict_falco_priority(RP_SEV_CRITICAL), "Critical");
	assert_string_equal(verdict_falco_priority(RP_SEV_HIGH), "Error");
	assert_string_equal(verdict_falco_priority(RP_SEV_MEDIUM), "Warning");
	assert_string_equal(verdict_falco_priority(RP_SEV_LOW), "Notice");
	assert_string_equal(verdict_falco_priority(RP_SEV_INFO), "Informational");
}

static void test_falco_alert(void **state)
{
	static const char *const field_names[] = {
		"evt.time", "evt.type", "container.id", "container.name", "container.image", "container.image.digest",
		"k8s.ns.name", "k8s.pod.name", "k8s.pod.uid", "proc.name", "proc.exepath", "proc.cmdline", "proc.pid",
		"proc.ppid", "proc.pname", "proc.cwd", "user.uid", "user.loginuid", "fd.name", "rampart.rule.id",
		"rampart.rules", "rampart.ruleset", "rampart.policy", "rampart.action", "rampart.requested_action"};
	struct rp_verdict v;
	json_t *a, *of;

	(void)state;
	pod_verdict(&v);
	a = verdict_falco(&v);
	assert_non_null(a);
	assert_string_equal(str_at(a, "uuid"), "0123456789abcdef-000000000000002a");
	assert_string_equal(str_at(a, "rule"), "Terminal shell in container");
	assert_string_equal(str_at(a, "priority"), "Critical");
	assert_string_equal(str_at(a, "output"), "00:00:00.123456789: Critical Shell bash -c id in web");
	assert_string_equal(str_at(a, "time"), "2025-11-29T00:00:00.123456789Z");
	assert_string_equal(str_at(a, "source"), "syscall");
	assert_string_equal(str_at(a, "hostname"), "node-1");
	assert_int_equal(json_array_size(json_object_get(a, "tags")), 4);
	assert_string_equal(json_string_value(json_array_get(json_object_get(a, "tags"), 2)), "T1059.004");
	of = json_object_get(a, "output_fields");
	assert_int_equal(json_object_size(of), sizeof(field_names) / sizeof(field_names[0]));
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (!json_object_get(of, field_names[i]))
			fail_msg("output_fields lacks %s", field_names[i]);
	assert_string_equal(json_string_value(json_object_get(of, "proc.cmdline")), "bash -c id");
	assert_string_equal(json_string_value(json_object_get(of, "k8s.ns.name")), "shop");
	assert_string_equal(json_string_value(json_object_get(of, "fd.name")), "/etc/shadow");
	assert_string_equal(json_string_value(json_object_get(of, "rampart.rules")), "RP1002,RP1001");
	assert_int_equal(json_integer_value(json_object_get(of, "proc.pid")), 4242);
	json_decref(a);

	host_verdict(&v);
	a = verdict_falco(&v);
	of = json_object_get(a, "output_fields");
	assert_string_equal(json_string_value(json_object_get(of, "container.id")), "host");
	assert_true(json_is_null(json_object_get(of, "k8s.ns.name")));
	assert_true(json_is_null(json_object_get(of, "fd.name")));
	assert_string_equal(str_at(a, "priority"), "Warning");
	json_decref(a);
}

static void test_falco_rule_tags(void **state)
{
	static char *shell_tags[] = {"shell", "container", "mitre_execution"};
	static char *read_tags[] = {"container", "filesystem"};
	struct doc_rule rules[] = {{.id = "RP1001", .tags = shell_tags, .ntags = 3},
				   {.id = "RP1002", .tags = read_tags, .ntags = 2}};
	struct rules_doc doc = {.rules = rules, .nrules = 2};
	struct rp_verdict v;
	json_t *a, *tags;

	(void)state;
	pod_verdict(&v);
	a = verdict_falco(&v);
	assert_int_equal(verdict_falco_add_rule_tags(a, &doc), 0);
	tags = json_object_get(a, "tags");
	/* T1003.008 TA0006 T1059.004 TA0002, then RP1002's, then RP1001's new ones */
	assert_int_equal(json_array_size(tags), 8);
	assert_string_equal(json_string_value(json_array_get(tags, 4)), "container");
	assert_string_equal(json_string_value(json_array_get(tags, 7)), "mitre_execution");
	assert_int_equal(verdict_falco_add_rule_tags(a, NULL), 0);
	json_decref(a);
}

/* ---- JSON and Avro ---- */

static void test_json_stable_names(void **state)
{
	static const char *const top[] = {"verdict_id", "time", "severity", "rules", "policy", "action", "node",
					  "cluster", "orchestrator", "container", "workload", "process", "event"};
	static const char *const rule[] = {"id", "name", "technique", "tactic", "severity", "ruleset", "action",
					   "output"};
	struct verdict_format *f = verdict_format_new(&(struct verdict_format_config){.kind = VERDICT_FORMAT_JSON},
						      NULL, 0);
	struct rp_buf out = {0};
	struct rp_verdict v;
	json_error_t jerr;
	json_t *j;
	const char *key;
	json_t *val;
	size_t i = 0;

	(void)state;
	pod_verdict(&v);
	assert_int_equal(verdict_format_encode(f, &v, &out), 0);
	assert_int_not_equal(out.data[out.len - 1], '\n');
	j = json_loadb((const char *)out.data, out.len, 0, &jerr);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), sizeof(top) / sizeof(top[0]));
	json_object_foreach(j, key, val)
		assert_string_equal(key, top[i++]); /* names and order */
	i = 0;
	json_object_foreach(item(j, "rules", 0), key, val)
		assert_string_equal(key, rule[i++]);
	assert_string_equal(str_at(j, "severity"), "critical");
	assert_string_equal(str_at(j, "action.effective"), "terminate");
	json_decref(j);
	buf_free(&out);
	verdict_format_free(f);
}

static void test_format_names(void **state)
{
	enum verdict_format_kind k;

	(void)state;
	for (int i = VERDICT_FORMAT_AVRO; i <= VERDICT_FORMAT_OCSF; i++) {
		assert_int_equal(verdict_format_parse(verdict_format_name((enum verdict_format_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(verdict_format_parse("AVRO", &k), -1);
	assert_int_equal(verdict_format_parse("cef", &k), -1);
}

static void decode_body(const struct rp_buf *out, size_t header, const char *want_id)
{
	static struct verdict_scratch scratch;
	struct codec_error cerr;
	struct rp_verdict got;

	assert_int_equal(verdict_decode(out->data + header, out->len - header, &got, &scratch, &cerr), 0);
	assert_int_equal(got.verdict_id.len, strlen(want_id));
	assert_memory_equal(got.verdict_id.ptr, want_id, got.verdict_id.len);
}

static void test_avro_single_object(void **state)
{
	struct rp_buf out = {0};
	struct rp_verdict v;
	uint64_t fp = 0;

	(void)state;
	pod_verdict(&v);
	assert_int_equal(verdict_format_encode(NULL, &v, &out), 0); /* NULL: the default */
	assert_int_equal(out.data[0], 0xc3);
	assert_int_equal(out.data[1], 0x01);
	for (int i = 7; i >= 0; i--)
		fp = fp << 8 | out.data[2 + i];
	assert_true(fp == schema_verdict_fingerprint);
	decode_body(&out, RP_SINGLE_OBJECT_HEADER, "0123456789abcdef-000000000000002a");
	buf_free(&out);
}

static void test_avro_confluent(void **state)
{
	struct verdict_format_config cfg = {.kind = VERDICT_FORMAT_AVRO_CONFLUENT, .registry_url = fx.url,
					    .topic = "rampart.verdicts"};
	char err[256];
	struct verdict_format *f = verdict_format_new(&cfg, err, sizeof(err));
	struct rp_buf out = {0};
	struct rp_verdict v;
	uint32_t id;

	(void)state;
	if (!f)
		fail_msg("%s", err);
	id = verdict_format_schema_id(f);
	assert_true(id > 0);
	pod_verdict(&v);
	assert_int_equal(verdict_format_encode(f, &v, &out), 0);
	assert_int_equal(out.data[0], 0);
	assert_int_equal((uint32_t)out.data[1] << 24 | out.data[2] << 16 | out.data[3] << 8 | out.data[4], id);
	decode_body(&out, RP_CONFLUENT_HEADER, "0123456789abcdef-000000000000002a");
	verdict_format_free(f);
	/* The same schema under the same subject: the same id. */
	f = verdict_format_new(&cfg, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(verdict_format_schema_id(f), id);
	verdict_format_free(f);
	cfg.registry_url = "http://127.0.0.1:1";
	assert_null(verdict_format_new(&cfg, err, sizeof(err)));
	buf_free(&out);
}

/* ---- the webhook's accounting (a refused port: every POST fails fast) ---- */

static void test_webhook_accounting(void **state)
{
	struct falco_webhook_config cfg = {.url = "http://127.0.0.1:1/", .timeout_ms = 1000, .queue_max = 2,
					   .max_attempts = 2, .drain_ms = 3000};
	char err[256];
	struct falco_webhook *wh = falco_webhook_start(&cfg, err, sizeof(err));
	struct falco_webhook_stats st;
	struct rp_verdict v;

	(void)state;
	if (!wh)
		fail_msg("%s", err);
	pod_verdict(&v);
	falco_webhook_stage(wh, &v);
	falco_webhook_stage(wh, &v);
	falco_webhook_stage(wh, &v); /* third one: staging is full */
	assert_int_equal(falco_webhook_pending(wh), 2);
	falco_webhook_discard(wh); /* the transaction aborted */
	assert_int_equal(falco_webhook_pending(wh), 0);
	falco_webhook_stage(wh, &v);
	falco_webhook_release(wh); /* committed: goes to the poster */
	assert_int_equal(falco_webhook_pending(wh), 0);
	falco_webhook_stats(wh, &st);
	assert_int_equal(st.staged, 4);
	assert_int_equal(st.discarded, 2);
	assert_int_equal(st.dropped, 1);
	for (int i = 0; i < 300 && st.failed + st.posted == 0; i++) {
		usleep(10000);
		falco_webhook_stats(wh, &st);
	}
	assert_int_equal(st.failed, 1); /* tried twice (refused is retriable), then given up */
	assert_int_equal(st.retries, 1);
	assert_int_equal(st.posted, 0);
	falco_webhook_stop(wh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ocsf_severity_and_action_maps),
		cmocka_unit_test(test_ocsf_detection_finding),
		cmocka_unit_test(test_ocsf_objects),
		cmocka_unit_test(test_ocsf_ecs_and_host),
		cmocka_unit_test(test_ocsf_non_utf8),
		cmocka_unit_test(test_falco_priority_map),
		cmocka_unit_test(test_falco_alert),
		cmocka_unit_test(test_falco_rule_tags),
		cmocka_unit_test(test_json_stable_names),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_avro_single_object),
		cmocka_unit_test(test_avro_confluent),
		cmocka_unit_test(test_webhook_accounting),
	};

	return cmocka_run_group_tests(tests, start_registry, stop_registry);
}
