/* The Kubernetes driver (actuator/kube_driver.c) against a real
 * kube-apiserver, driven through kube_driver_new + act() as the actuator's
 * core drives it; the API's state is checked with kubectl as the cluster
 * admin after every action. Run by test_actuator_kube.sh, which provides
 * the kubeconfigs in RAMPART_TEST_KUBE_WORK (sa, nobody, wrong-ca,
 * client-cert, exec, token-file, down) and the namespace "shop". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kube_test_util.h"

#include "kube_driver.h"

#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define SA_SUB "system:serviceaccount:rampart:rampart-actuator"
#define NS "shop"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("%s is not set: run under test_actuator_kube.sh", name);
	return v;
}

static void assert_contains(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

/* kubectl get <what> as JSON, or NULL when it does not exist. */
static json_t *kget(const char *what)
{
	char *out = run(KUBECTL "get %s -o json --ignore-not-found", KARGS, what);
	json_t *doc = *out ? json_loads(out, 0, NULL) : NULL;

	if (*out && !doc)
		fail_msg("kubectl get %s: not JSON: %s", what, out);
	free(out);
	return doc;
}

/* Creates pod NS/name (extra: more metadata lines); returns its uid. */
static char *create_pod(const char *name, const char *extra_metadata)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pod-%s.yaml", env("RAMPART_TEST_KUBE_WORK"), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: " NS "\n%s"
		"spec:\n  containers:\n  - name: app\n    image: busybox:1.36\n",
		name, extra_metadata ? extra_metadata : "");
	assert_int_equal(fclose(f), 0);
	return run(KUBECTL "create -f '%s' -o jsonpath='{.metadata.uid}'", KARGS, path);
}

static struct act_driver *driver_for(const char *kubeconfig)
{
	char path[512], err[512] = "";
	struct kube_driver_options o = {.kubeconfig = path, .timeout_ms = 15000};
	struct act_driver *d;

	snprintf(path, sizeof(path), "%s/%s.kubeconfig", env("RAMPART_TEST_KUBE_WORK"), kubeconfig);
	d = kube_driver_new(&o, err, sizeof(err));
	if (!d)
		fail_msg("kube_driver_new(%s): %s", kubeconfig, err);
	return d;
}

static struct rp_str S(const char *s) { return (struct rp_str){s, s ? (uint32_t)strlen(s) : 0}; }

struct pod_call {
	const char *ns, *pod, *uid, *owner_kind, *owner_name;
};

static enum act_status act(struct act_driver *d, enum rp_action action, const struct pod_call *p,
			   struct act_reply *reply)
{
	struct act_target t = {.orchestrator = RP_ORCH_KUBERNETES, .namespace_ = S(p->ns ? p->ns : NS),
			       .pod = S(p->pod), .pod_uid = S(p->uid), .owner_kind = S(p->owner_kind),
			       .owner_name = S(p->owner_name)};
	struct act_call call = {.verdict_id = S("v-0001"), .rule_id = S("RP1001"), .rule_name = S("Shell in container"),
				.action = action, .target = &t};
	enum act_status st = d->act(d, &call, reply);

	printf("# %s %s/%s: status %d, api %ld, %s\n", action == RP_ACTION_ISOLATE ? "isolate" : "terminate",
	       p->ns ? p->ns : NS, p->pod, (int)st, reply->api_status, reply->detail);
	assert_int_equal(st, reply->status);
	return st;
}

static const char *label(json_t *pod, const char *field, const char *key)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(pod, "metadata"), field), key));
}

static void assert_deny_all_policy(void)
{
	json_t *np = kget("networkpolicy rampart-quarantine -n " NS), *spec, *types;

	assert_non_null(np);
	spec = json_object_get(np, "spec");
	types = json_object_get(spec, "policyTypes");
	assert_int_equal(json_object_size(json_object_get(json_object_get(spec, "podSelector"), "matchLabels")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_object_get(spec, "podSelector"), "matchLabels"),
				    "rampart.io/quarantine")),
			    "true");
	assert_int_equal(json_array_size(types), 2);
	assert_string_equal(json_string_value(json_array_get(types, 0)), "Ingress");
	assert_string_equal(json_string_value(json_array_get(types, 1)), "Egress");
	assert_int_equal(json_array_size(json_object_get(spec, "ingress")), 0);
	assert_int_equal(json_array_size(json_object_get(spec, "egress")), 0);
	json_decref(np);
}

static void assert_quarantined(const char *name)
{
	char what[128];
	json_t *pod;
	regex_t re;

	snprintf(what, sizeof(what), "pod %s -n " NS, name);
	pod = kget(what);
	assert_non_null(pod);
	assert_string_equal(label(pod, "labels", "rampart.io/quarantine"), "true");
	assert_string_equal(label(pod, "annotations", "rampart.io/verdict-id"), "v-0001");
	assert_string_equal(label(pod, "annotations", "rampart.io/rule"), "RP1001");
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", REG_EXTENDED), 0);
	assert_int_equal(regexec(&re, label(pod, "annotations", "rampart.io/quarantined-at"), 0, NULL, 0), 0);
	regfree(&re);
	json_decref(pod);
}

static void test_isolate(void **state)
{
	struct act_driver *d = driver_for("sa");
	char *uid = create_pod("web-1", NULL), *uid2 = create_pod("web-1b", NULL);
	struct act_reply r;

	(void)state;
	assert_string_equal(d->name, "kubernetes");
	assert_string_equal(d->actor(d), SA_SUB);
	assert_null(kget("networkpolicy rampart-quarantine -n " NS));
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-1", .uid = uid}, &r), ACT_DONE);
	assert_string_equal(r.target, NS "/web-1");
	assert_int_equal(r.api_status, 200);
	assert_contains(r.detail, "(created)");
	assert_deny_all_policy();
	assert_quarantined("web-1");
	/* redelivered verdict: nothing left to do */
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-1", .uid = uid}, &r),
			 ACT_ALREADY_DONE);
	/* a second pod of the namespace reuses the policy (read first, checked to be the deny-all) */
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-1b", .uid = uid2}, &r), ACT_DONE);
	assert_contains(r.detail, "(already present)");
	assert_quarantined("web-1b");
	d->free(d);
	free(uid);
	free(uid2);
}

static void test_isolate_skips(void **state)
{
	struct act_driver *d = driver_for("sa");
	char *uid = create_pod("web-2", NULL);
	char want[200];
	struct act_reply r;
	json_t *pod;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "ghost", .uid = "1234-5678"}, &r),
			 ACT_SKIPPED);
	assert_string_equal(r.detail, "pod no longer exists");
	assert_int_equal(r.api_status, 404);
	assert_int_equal(act(d, RP_ACTION_ISOLATE,
			     &(struct pod_call){.pod = "web-2", .uid = "00000000-0000-0000-0000-000000000000"}, &r),
			 ACT_SKIPPED);
	snprintf(want, sizeof(want), "pod replaced (uid %s)", uid);
	assert_contains(r.detail, want);
	pod = kget("pod web-2 -n " NS);
	assert_null(label(pod, "labels", "rampart.io/quarantine"));
	json_decref(pod);
	d->free(d);
	free(uid);
}

static void test_terminate(void **state)
{
	struct act_driver *d = driver_for("sa");
	char *uid = create_pod("web-3", "  ownerReferences:\n"
					"  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, controller: true,\n"
					"     uid: 6f0e9a34-1111-2222-3333-444455556666}\n");
	struct pod_call p = {.pod = "web-3", .uid = uid, .owner_kind = "ReplicaSet", .owner_name = "web-abc"};
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &p, &r), ACT_DONE);
	assert_contains(r.detail, "grace period 5 s");
	assert_contains(r.detail, "owner ReplicaSet/web-abc: a controller will recreate the pod");
	/* unscheduled pods (no kubelet here) are removed at once */
	assert_null(kget("pod web-3 -n " NS));
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &p, &r), ACT_ALREADY_DONE);
	assert_contains(r.detail, "pod already gone");
	assert_int_equal(r.api_status, 404);
	d->free(d);
	free(uid);
}

/* A StatefulSet recreates db-0 under the same name: a retried terminate
 * for the old pod must leave the new one alone. */
static void test_terminate_spares_replacement(void **state)
{
	struct act_driver *d = driver_for("sa");
	char *old_uid = create_pod("db-0", NULL), *new_uid, *still;
	struct act_reply r;

	(void)state;
	free(run(KUBECTL "delete pod db-0 -n " NS " --wait=true", KARGS));
	new_uid = create_pod("db-0", NULL);
	assert_string_not_equal(old_uid, new_uid);
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "db-0", .uid = old_uid}, &r),
			 ACT_ALREADY_DONE);
	assert_contains(r.detail, "replaced");
	assert_contains(r.detail, "left alone");
	still = run(KUBECTL "get pod db-0 -n " NS " -o jsonpath='{.metadata.uid}'", KARGS);
	assert_string_equal(still, new_uid);
	d->free(d);
	free(old_uid);
	free(new_uid);
	free(still);
}

static void test_terminate_already_terminating(void **state)
{
	struct act_driver *d = driver_for("sa");
	char *uid = create_pod("held", "  finalizers: [rampart.test/hold]\n");
	struct act_reply r;
	json_t *pod;

	(void)state;
	free(run(KUBECTL "delete pod held -n " NS " --wait=false", KARGS));
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "held", .uid = uid}, &r),
			 ACT_ALREADY_DONE);
	assert_contains(r.detail, "already terminating");
	pod = kget("pod held -n " NS);
	assert_non_null(pod);
	json_decref(pod);
	free(run(KUBECTL "patch pod held -n " NS " --type=merge -p '{\"metadata\":{\"finalizers\":null}}'", KARGS));
	d->free(d);
	free(uid);
}

static void test_forbidden(void **state)
{
	struct act_driver *d = driver_for("nobody");
	char *uid = create_pod("web-4", NULL);
	struct act_reply r;
	json_t *pod;

	(void)state;
	assert_string_equal(d->actor(d), "system:serviceaccount:rampart:nobody");
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-4", .uid = uid}, &r), ACT_FAILED);
	assert_int_equal(r.api_status, 403);
	/* the API's own Status message */
	assert_contains(r.detail, "pods \"web-4\" is forbidden: User \"system:serviceaccount:rampart:nobody\" "
				  "cannot get resource \"pods\"");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "web-4", .uid = uid}, &r), ACT_FAILED);
	assert_int_equal(r.api_status, 403);
	pod = kget("pod web-4 -n " NS);
	assert_non_null(pod);
	assert_null(json_object_get(json_object_get(pod, "metadata"), "deletionTimestamp"));
	json_decref(pod);
	d->free(d);
	free(uid);
}

static void test_wrong_ca_refused(void **state)
{
	struct act_driver *d = driver_for("wrong-ca");
	char *uid = create_pod("web-5", NULL);
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "web-5", .uid = uid}, &r), ACT_FAILED);
	assert_int_equal(r.api_status, 0);
	assert_memory_equal(r.detail, "TLS: ", 5);
	free(run(KUBECTL "get pod web-5 -n " NS, KARGS)); /* untouched */
	d->free(d);
	free(uid);
}

static void test_client_certificate(void **state)
{
	struct act_driver *d = driver_for("client-cert");
	char *uid = create_pod("web-6", NULL);
	struct act_reply r;

	(void)state;
	assert_string_equal(d->actor(d), "kubeconfig user client-cert");
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-6", .uid = uid}, &r), ACT_DONE);
	assert_quarantined("web-6");
	d->free(d);
	free(uid);
}

static void test_exec_plugin(void **state)
{
	struct act_driver *d = driver_for("exec");
	char *uid = create_pod("web-7", NULL);
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "web-7", .uid = uid}, &r), ACT_DONE);
	assert_string_equal(d->actor(d), SA_SUB);
	assert_null(kget("pod web-7 -n " NS));
	d->free(d);
	free(uid);
}

/* tokenFile: a rejected token is re-read once per act(); a rotated file is
 * picked up on the 401 without waiting for the periodic re-read. */
static void test_token_file_reread_on_401(void **state)
{
	struct act_driver *d = driver_for("token-file");
	char *uid = create_pod("web-8", NULL);
	const char *work = env("RAMPART_TEST_KUBE_WORK");
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-8", .uid = uid}, &r), ACT_FAILED);
	assert_int_equal(r.api_status, 401);
	assert_contains(r.detail, "Unauthorized");
	free(run("cp '%s/sa-token' '%s/token-file'", work, work));
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-8", .uid = uid}, &r), ACT_DONE);
	assert_string_equal(d->actor(d), SA_SUB);
	assert_quarantined("web-8");
	d->free(d);
	free(uid);
}

static void test_invalid_target(void **state)
{
	struct act_driver *d = driver_for("sa");
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.ns = "kube-system/../shop", .pod = "x", .uid = "1"},
			     &r),
			 ACT_FAILED);
	assert_string_equal(r.detail, "invalid target: namespace is not a DNS label");
	assert_int_equal(r.api_status, 0);
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "x?watch=1", .uid = "1"}, &r), ACT_FAILED);
	assert_string_equal(r.detail, "invalid target: pod name is not a DNS subdomain");
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "x"}, &r), ACT_FAILED);
	assert_string_equal(r.detail, "invalid target: missing or malformed pod uid");
	d->free(d);
}

static void test_unreachable_is_retried(void **state)
{
	struct act_driver *d = driver_for("down");
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-1", .uid = "1"}, &r), ACT_RETRY);
	assert_int_equal(r.api_status, 0);
	d->free(d);
}

/* Makes the race plugin run hook (shell) just before request number at. */
static void race_hook(const char *hook, int at)
{
	const char *work = env("RAMPART_TEST_KUBE_WORK");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/race-hook.sh", work);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nset -e\n%s\n", hook);
	assert_int_equal(fclose(f), 0);
	free(run("chmod 700 '%s' && echo %d >'%s/race-at' && rm -f '%s/race-count'", path, at, work, work));
}

/* The replacement appears between the driver's GET and its DELETE: the UID
 * precondition makes the API refuse, and the new pod survives. */
static void test_terminate_race_uid_precondition(void **state)
{
	struct act_driver *d = driver_for("race");
	char *old_uid = create_pod("db-1", NULL), *now_uid, hook[2048];
	struct act_reply r;

	(void)state;
	snprintf(hook, sizeof(hook),
		 KUBECTL "delete pod db-1 -n " NS " --wait=true\n" KUBECTL "create -f '%s/pod-db-1.yaml'", KARGS,
		 KARGS, env("RAMPART_TEST_KUBE_WORK"));
	race_hook(hook, 2); /* 1: GET pod, 2: DELETE */
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "db-1", .uid = old_uid}, &r),
			 ACT_ALREADY_DONE);
	assert_int_equal(r.api_status, 409);
	assert_contains(r.detail, "uid precondition failed");
	now_uid = run(KUBECTL "get pod db-1 -n " NS " -o jsonpath='{.metadata.uid}'", KARGS);
	assert_string_not_equal(now_uid, old_uid);
	d->free(d);
	free(old_uid);
	free(now_uid);
}

/* The pod changes between the GET and the PATCH: the resourceVersion in
 * the patch makes it a 409, which is worth retrying; the retry succeeds. */
static void test_isolate_race_conflict(void **state)
{
	struct act_driver *d = driver_for("race");
	char *uid = create_pod("web-9", NULL), hook[1024];
	json_t *np = kget("networkpolicy rampart-quarantine -n " NS);
	struct act_reply r;

	(void)state;
	snprintf(hook, sizeof(hook), KUBECTL "label pod web-9 -n " NS " touched=yes", KARGS);
	/* 1: GET pod, 2: GET policy (+ 3: POST it when it is absent), then PATCH */
	race_hook(hook, np ? 3 : 4);
	json_decref(np);
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-9", .uid = uid}, &r), ACT_RETRY);
	assert_int_equal(r.api_status, 409);
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = "web-9", .uid = uid}, &r), ACT_DONE);
	assert_quarantined("web-9");
	d->free(d);
	free(uid);
}

static int requests_for(const char *pod)
{
	char *out = run("grep -c '/pods/%s ' '%s/stub.log' || true", pod, env("RAMPART_TEST_KUBE_WORK"));
	int n = atoi(out);

	free(out);
	return n;
}

/* Answers a healthy API server will not give on demand, from the stub. */
static void test_status_classification(void **state)
{
	static const struct {
		long code;
		enum act_status want;
	} cases[] = {{408, ACT_RETRY}, {429, ACT_RETRY}, {500, ACT_RETRY}, {503, ACT_RETRY},
		     {400, ACT_FAILED}, {403, ACT_FAILED}, {422, ACT_FAILED}};
	struct act_driver *d = driver_for("stub");
	char pod[32], msg[32];
	struct act_reply r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(pod, sizeof(pod), "status-%ld", cases[i].code);
		snprintf(msg, sizeof(msg), "stub says %ld", cases[i].code);
		assert_int_equal(act(d, RP_ACTION_ISOLATE, &(struct pod_call){.pod = pod, .uid = "1"}, &r),
				 cases[i].want);
		assert_int_equal(r.api_status, cases[i].code);
		assert_contains(r.detail, msg);
		assert_int_equal(requests_for(pod), 1);
	}
	/* 401: the token file is re-read and the request sent once more, then it fails */
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &(struct pod_call){.pod = "status-401", .uid = "1"}, &r),
			 ACT_FAILED);
	assert_int_equal(r.api_status, 401);
	assert_contains(r.detail, "stub says 401");
	assert_int_equal(requests_for("status-401"), 2);
	d->free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isolate),
		cmocka_unit_test(test_isolate_skips),
		cmocka_unit_test(test_terminate),
		cmocka_unit_test(test_terminate_spares_replacement),
		cmocka_unit_test(test_terminate_already_terminating),
		cmocka_unit_test(test_forbidden),
		cmocka_unit_test(test_wrong_ca_refused),
		cmocka_unit_test(test_client_certificate),
		cmocka_unit_test(test_exec_plugin),
		cmocka_unit_test(test_token_file_reread_on_401),
		cmocka_unit_test(test_invalid_target),
		cmocka_unit_test(test_unreachable_is_retried),
		cmocka_unit_test(test_terminate_race_uid_precondition),
		cmocka_unit_test(test_isolate_race_conflict),
		cmocka_unit_test(test_status_classification),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
