/* The collector's pod watcher (collector/pod_watch*.c) against a real
 * kube-apiserver, and an identity cache (collector/identity.c) resolving
 * containers through it. Run by test_pod_watch.sh, which applies
 * deploy/kubernetes/collector-rbac.yaml and leaves in
 * RAMPART_TEST_POD_WATCH_WORK: collector-token (rampart/rampart-collector),
 * nobody.kubeconfig (a ServiceAccount without rights), rotating.kubeconfig
 * (its token file holds a bad token), stub.kubeconfig and stub.log (a
 * stand-in server scripted to answer 503 and 410). Pods are bound to nodes
 * by spec.nodeName; nothing runs them (no kubelet). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kube_test_util.h"

#include "identity.h"
#include "pod_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS "shop"
#define WAIT_MS 5000
#define WATCH_TIMEOUT_S 2 /* short, so the watch is re-opened many times during the test */

static struct pod_watch *main_watch; /* node-a, in-cluster credentials */

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("%s is not set: run under test_pod_watch.sh", name);
	return v;
}

static const char *work(const char *file)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", env("RAMPART_TEST_POD_WATCH_WORK"), file);
	return p;
}

static void kubectl(const char *args)
{
	free(run(KUBECTL "%s >/dev/null", KARGS, args));
}

struct pod_spec {
	const char *name, *node, *labels, *annotations, *owners, *sa;
};

/* Creates the pod in NS; returns its uid (caller frees). */
static char *create_pod(const struct pod_spec *p)
{
	const char *path = work("pod.yaml");
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f,
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: " NS "\n  labels: {%s}\n"
		"  annotations: {%s}\n  ownerReferences: [%s]\nspec:\n  nodeName: %s\n%s%s%s"
		"  containers:\n  - name: app\n    image: busybox:1.36\n",
		p->name, p->labels ? p->labels : "", p->annotations ? p->annotations : "", p->owners ? p->owners : "",
		p->node, p->sa ? "  serviceAccountName: " : "", p->sa ? p->sa : "", p->sa ? "\n" : "");
	assert_int_equal(fclose(f), 0);
	return run(KUBECTL "create -f '%s' -o jsonpath='{.metadata.uid}'", KARGS, path);
}

static char *create_plain(const char *name, const char *node)
{
	return create_pod(&(struct pod_spec){.name = name, .node = node});
}

static uint64_t stat_of(struct pod_watch *w, size_t offset)
{
	return metrics_get((const metrics_u64 *)((const char *)pod_watch_stats(w) + offset));
}

#define STAT(w, field) stat_of((w), offsetof(struct pod_watch_stats, field))

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static const char *label_of(const struct pod_meta *m, const char *key)
{
	for (uint32_t i = 0; i < m->nlabels; i++)
		if (!strcmp(pod_meta_label_key(m, i), key))
			return pod_meta_label_value(m, i);
	return NULL;
}

/* Whether uid's presence (and, if key, its label value) becomes as wanted
 * within ms. */
static bool eventually(struct pod_watch *w, const char *uid, bool present, const char *key, const char *value,
		       long ms)
{
	static struct pod_meta m;

	for (long waited = 0;; waited += 50) {
		bool found = pod_watch_lookup(w, uid, &m);
		const char *v = found && key ? label_of(&m, key) : NULL;

		if (found == present && (!key || (v && !strcmp(v, value))))
			return true;
		if (waited >= ms)
			return false;
		sleep_ms(50);
	}
}

static bool wait_synced(struct pod_watch *w, long ms)
{
	for (long waited = 0; !pod_watch_synced(w); waited += 50) {
		if (waited >= ms)
			return false;
		sleep_ms(50);
	}
	return true;
}

static struct pod_watch *start(struct pod_watch_config *cfg)
{
	char err[512];
	struct pod_watch *w;

	cfg->node = cfg->node ? cfg->node : "node-a";
	cfg->watch_timeout_s = WATCH_TIMEOUT_S;
	cfg->log = stderr;
	w = pod_watch_start(cfg, err, sizeof(err));
	if (!w)
		fail_msg("pod_watch_start: %s", err);
	return w;
}

static char *web_uid, *db_uid, *other_uid;

/* In-cluster credentials, as the DaemonSet runs: KUBERNETES_SERVICE_HOST/
 * PORT, the minted token as the projected token file, the cluster CA. The
 * watcher sees exactly node-a's pods, with labels, the controller owner
 * (not the first ownerReference) and the service account. */
static void test_lists_node_pods(void **state)
{
	static struct pod_meta m;
	const char *server = env("RAMPART_TEST_KUBE_SERVER");
	struct pod_watch_config cfg = {.token_file = work("collector-token"), .ca_file = env("RAMPART_TEST_KUBE_CA")};

	(void)state;
	web_uid = create_pod(&(struct pod_spec){
		.name = "web-1", .node = "node-a", .labels = "app: web, tier: front", .sa = "web-sa",
		.owners = "{apiVersion: v1, kind: ConfigMap, name: cm, uid: 11111111-1111-1111-1111-111111111111},"
			  "{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4,"
			  " uid: 22222222-2222-2222-2222-222222222222, controller: true}"});
	db_uid = create_pod(&(struct pod_spec){
		.name = "db-0", .node = "node-a", .labels = "app: db",
		.owners = "{apiVersion: apps/v1, kind: StatefulSet, name: db,"
			  " uid: 33333333-3333-3333-3333-333333333333, controller: true}"});
	other_uid = create_plain("other", "node-b");
	assert_int_equal(setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1", 1), 0);
	assert_int_equal(setenv("KUBERNETES_SERVICE_PORT", strrchr(server, ':') + 1, 1), 0);
	main_watch = start(&cfg);
	assert_true(wait_synced(main_watch, WAIT_MS));
	assert_true(pod_watch_lookup(main_watch, web_uid, &m));
	assert_string_equal(m.namespace_, NS);
	assert_string_equal(m.name, "web-1");
	assert_string_equal(m.owner_kind, "ReplicaSet");
	assert_string_equal(m.owner_name, "web-5d4");
	assert_string_equal(m.service_account, "web-sa");
	assert_int_equal(m.nlabels, 2);
	assert_string_equal(label_of(&m, "app"), "web");
	assert_string_equal(label_of(&m, "tier"), "front");
	assert_true(pod_watch_lookup(main_watch, db_uid, &m));
	assert_string_equal(m.owner_kind, "StatefulSet");
	assert_string_equal(m.owner_name, "db");
	assert_false(pod_watch_lookup(main_watch, other_uid, &m));
	assert_int_equal(STAT(main_watch, pods), 2);
	assert_int_equal(STAT(main_watch, lists), 1);
}

static void test_label_change_arrives(void **state)
{
	(void)state;
	kubectl("label pod web-1 -n " NS " tier=back --overwrite");
	assert_true(eventually(main_watch, web_uid, true, "tier", "back", WAIT_MS));
}

/* A pod created after the list appears; one bound to another node never
 * does (created first: events arrive in order, so by the time the node-a
 * pod is seen, the node-b one would have been). */
static void test_new_pod_appears_other_node_never(void **state)
{
	static struct pod_meta m;
	char *b = create_plain("late-b", "node-b");
	char *a = create_pod(&(struct pod_spec){.name = "late-a", .node = "node-a", .labels = "app: late"});

	(void)state;
	assert_true(eventually(main_watch, a, true, "app", "late", WAIT_MS));
	assert_false(pod_watch_lookup(main_watch, b, &m));
	assert_false(pod_watch_lookup(main_watch, other_uid, &m));
	free(a);
	free(b);
}

/* A graceful delete leaves the pod Terminating (its containers may still
 * run, and no kubelet here finishes it): kept. Gone for good: dropped. */
static void test_deleted_pod_disappears(void **state)
{
	(void)state;
	kubectl("delete pod db-0 -n " NS " --wait=false");
	sleep_ms(1000);
	assert_true(eventually(main_watch, db_uid, true, NULL, NULL, 0));
	kubectl("delete pod db-0 -n " NS " --grace-period=0 --force");
	assert_true(eventually(main_watch, db_uid, false, NULL, NULL, WAIT_MS));
	assert_int_equal(STAT(main_watch, pods), 2); /* web-1, late-a */
}

/* Pods created one by one across several watch timeouts (2 s) all arrive:
 * each watch resumes from the last version seen, and never needed a relist
 * to catch up. */
static void test_restarts_miss_nothing(void **state)
{
	uint64_t lists = STAT(main_watch, lists), restarts = STAT(main_watch, watch_restarts);
	char *uids[12], name[32], labels[32];

	(void)state;
	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "burst-%d", i);
		snprintf(labels, sizeof(labels), "seq: \"%d\"", i);
		uids[i] = create_pod(&(struct pod_spec){.name = name, .node = "node-a", .labels = labels});
		sleep_ms(400);
	}
	for (int i = 0; i < 12; i++) {
		snprintf(labels, sizeof(labels), "%d", i);
		assert_true(eventually(main_watch, uids[i], true, "seq", labels, WAIT_MS));
		free(uids[i]);
	}
	printf("# watch restarts during the burst: %llu\n",
	       (unsigned long long)(STAT(main_watch, watch_restarts) - restarts));
	assert_true(STAT(main_watch, watch_restarts) >= restarts + 2);
	assert_int_equal(STAT(main_watch, lists), lists);
	assert_int_equal(STAT(main_watch, errors), 0);
	assert_int_equal(STAT(main_watch, pods), 14);
}

/* --- identity on the watcher: a stand-in cgroup tree and runtime state ---- */

#define CID_WEB "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define CID_STATIC "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
#define STATIC_UID "3f1c0a9e8b7d6c5f4e3d2c1b0a998877" /* a static pod's uid: its config hash */

struct tree {
	char root[64], cg[128], state[128];
};

/* A container of pod ns/name/uid as containerd lays it out: its cgroup
 * directory and OCI bundle. Returns the cgroup id (the inode number: any
 * directory tree works as a cgroup root). */
static uint64_t put_container(const struct tree *t, const char *cid, const char *name, const char *uid)
{
	char dir[512], path[1024];
	struct stat st;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/kubepods/besteffort/pod%s/%s", t->cg, uid, cid);
	free(run("mkdir -p '%s' '%s/k8s.io/%s'", dir, t->state, cid));
	snprintf(path, sizeof(path), "%s/k8s.io/%s/config.json", t->state, cid);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"{\"process\":{},\"annotations\":{\"io.kubernetes.cri.container-name\":\"app\","
		"\"io.kubernetes.cri.sandbox-name\":\"%s\",\"io.kubernetes.cri.sandbox-namespace\":\"" NS "\","
		"\"io.kubernetes.cri.sandbox-uid\":\"%s\",\"io.kubernetes.cri.image-name\":\"busybox:1.36\"}}",
		name, uid);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(stat(dir, &st), 0);
	return (uint64_t)st.st_ino;
}

static const char *ci_label(const struct container_identity *ci, const char *key)
{
	for (uint32_t i = 0; i < ci->nlabels; i++)
		if (ci->labels[i].key.len == strlen(key) && !memcmp(ci->labels[i].key.ptr, key, ci->labels[i].key.len))
			return ci->labels[i].value.ptr;
	return NULL;
}

/* identity_lookup until ci's label key is value (the cache re-copies pod
 * metadata when the watcher's store changes). */
static const struct container_identity *lookup_until(struct identity *id, uint64_t cg, const char *key,
						     const char *value)
{
	const struct container_identity *ci = NULL;

	for (long waited = 0; waited <= WAIT_MS; waited += 50) {
		const char *v;

		ci = identity_lookup(id, cg);
		v = ci_label(ci, key);
		if (v && !strcmp(v, value))
			return ci;
		sleep_ms(50);
	}
	fail_msg("label %s never became %s", key, value);
	return ci;
}

static void check_web_event(const struct container_identity *ci)
{
	struct rp_event ev;

	memset(&ev, 0, sizeof(ev));
	identity_fill_event(ci, &ev);
	assert_int_equal(ev.workload_kind, RP_WORKLOAD_POD);
	assert_int_equal(ev.workload.pod.nlabels, 2);
	assert_memory_equal(ev.workload.pod.owner_kind.ptr, "ReplicaSet", ev.workload.pod.owner_kind.len);
	assert_int_equal(ev.workload.pod.owner_name.len, strlen("web-5d4"));
	assert_int_equal(ev.workload.pod.service_account.len, strlen("web-sa"));
	assert_memory_equal(ev.workload.pod.service_account.ptr, "web-sa", 6);
}

/* A real pod's labels, owner and service account reach the event and
 * follow a relabel; a static pod's container, resolved before its mirror
 * pod exists, gets the mirror's metadata when it appears, but never that of
 * another pod claiming its uid through a forged mirror annotation. */
static void test_identity_through_watcher(void **state)
{
	struct tree t;
	struct identity_config cfg = {.orchestrator = RP_ORCH_KUBERNETES, .cluster = "c1", .nstate_dirs = 1,
				      .pods = main_watch};
	const char *dirs[1];
	const struct container_identity *ci;
	uint64_t web, stat_cg;
	struct identity *id;
	char err[256], *evil, *genuine;

	(void)state;
	strcpy(t.root, "/tmp/rampart-podwatch-XXXXXX");
	assert_non_null(mkdtemp(t.root));
	snprintf(t.cg, sizeof(t.cg), "%s/cg", t.root);
	snprintf(t.state, sizeof(t.state), "%s/state", t.root);
	web = put_container(&t, CID_WEB, "web-1", web_uid);
	stat_cg = put_container(&t, CID_STATIC, "static-x", STATIC_UID);
	dirs[0] = t.state;
	cfg.state_dirs = dirs, cfg.cgroup2_root = t.cg;
	id = identity_new(&cfg, err, sizeof(err));
	if (!id)
		fail_msg("identity_new: %s", err);

	ci = identity_lookup(id, web);
	assert_true(ci->metadata_found && ci->pod_meta_found);
	assert_string_equal(ci_label(ci, "tier"), "back");
	assert_string_equal(ci->owner_kind, "ReplicaSet");
	assert_string_equal(ci->service_account, "web-sa");
	check_web_event(ci);
	kubectl("label pod web-1 -n " NS " tier=mid --overwrite");
	lookup_until(id, web, "tier", "mid");

	ci = identity_lookup(id, stat_cg);
	assert_true(ci->metadata_found);
	assert_false(ci->pod_meta_found);
	assert_string_equal(ci->pod_uid, STATIC_UID);
	evil = create_pod(&(struct pod_spec){.name = "evil", .node = "node-a", .labels = "quiet: \"true\"",
					     .annotations = "kubernetes.io/config.mirror: \"" STATIC_UID "\""});
	assert_true(eventually(main_watch, STATIC_UID, true, "quiet", "true", WAIT_MS));
	ci = identity_lookup(id, stat_cg);
	assert_false(ci->pod_meta_found); /* names evil, not static-x */
	assert_int_equal(ci->nlabels, 0);
	genuine = create_pod(&(struct pod_spec){.name = "static-x", .node = "node-a", .labels = "component: static",
						.annotations = "kubernetes.io/config.mirror: \"" STATIC_UID "\"",
						.owners = "{apiVersion: v1, kind: Node, name: node-a,"
							  " uid: 44444444-4444-4444-4444-444444444444, controller: true}"});
	ci = lookup_until(id, stat_cg, "component", "static");
	assert_true(ci->pod_meta_found);
	assert_string_equal(ci->owner_kind, "Node");

	identity_free(id);
	free(run("rm -rf '%s'", t.root));
	free(evil);
	free(genuine);
}

/* --- credentials and failures ------------------------------------------- */

static void copy_file(const char *from, const char *to)
{
	free(run("cp '%s' '%s.tmp' && mv '%s.tmp' '%s'", from, to, to, to));
}

/* A rejected token (401) is re-read from its file before the retry: once
 * the file holds a good one, the watcher syncs without a restart. */
static void test_unauthorized_rereads_token(void **state)
{
	struct pod_watch_config cfg = {.kubeconfig = work("rotating.kubeconfig"), .backoff_max_ms = 2000};
	struct pod_watch *w = start(&cfg);

	(void)state;
	sleep_ms(1500);
	assert_false(pod_watch_synced(w));
	assert_true(STAT(w, errors) >= 1);
	copy_file(work("collector-token"), work("rotating-token"));
	assert_true(wait_synced(w, 10000));
	assert_true(eventually(w, web_uid, true, "tier", "mid", WAIT_MS));
	pod_watch_stop(w);
}

/* A ServiceAccount without the collector's grants gets 403: never synced,
 * errors counted, nothing stored. */
static void test_forbidden_stays_unsynced(void **state)
{
	static struct pod_meta m;
	struct pod_watch_config cfg = {.kubeconfig = work("nobody.kubeconfig")};
	struct pod_watch *w = start(&cfg);

	(void)state;
	sleep_ms(1500);
	assert_false(pod_watch_synced(w));
	assert_true(STAT(w, errors) >= 1);
	assert_false(pod_watch_lookup(w, web_uid, &m));
	pod_watch_stop(w);
}

static char *slurp(const char *path)
{
	return run("cat '%s'", path);
}

static bool log_has(const char *part)
{
	for (long waited = 0; waited <= WAIT_MS; waited += 100) {
		char *log = slurp(work("stub.log"));
		bool found = strstr(log, part) != NULL;

		free(log);
		if (found)
			return true;
		sleep_ms(100);
	}
	return false;
}

/* The stand-in server: 503 backs off and retries; ERROR 410 mid-watch
 * relists, and the relist replaces the store (a pod added by the old watch
 * and absent from the new list is gone); a bookmark's version is where the
 * next watch resumes; every request selects the node, URL-encoded, and
 * carries the token. Stop returns promptly although a watch is open. */
#define SELECTED "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&"

static void test_stub_relists_on_gone(void **state)
{
	static struct pod_meta m;
	struct pod_watch_config cfg = {.kubeconfig = work("stub.kubeconfig"), .backoff_max_ms = 1000};
	struct pod_watch *w = start(&cfg);
	char *token = slurp(work("stub-token")), *log, bearer[2048];
	struct timespec t0, t1;

	(void)state;
	assert_true(eventually(w, "stub-b", true, NULL, NULL, WAIT_MS));
	assert_true(eventually(w, "stub-a", true, "v", "2", WAIT_MS));
	assert_false(pod_watch_lookup(w, "stub-c", &m));
	assert_int_equal(STAT(w, lists), 2);
	assert_true(STAT(w, errors) >= 1);
	assert_true(log_has("&watch=1&resourceVersion=25&allowWatchBookmarks=true&timeoutSeconds=2 "));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pod_watch_stop(w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);

	log = slurp(work("stub.log"));
	assert_non_null(strstr(log, "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&limit=500&resourceVersion=0 "));
	assert_non_null(strstr(log, "&watch=1&resourceVersion=10&"));
	assert_non_null(strstr(log, "&watch=1&resourceVersion=20&"));
	snprintf(bearer, sizeof(bearer), " Bearer %s", token);
	for (char *save = NULL, *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_memory_equal(line, SELECTED, strlen(SELECTED));
		assert_true(strlen(line) > strlen(bearer));
		assert_string_equal(line + strlen(line) - strlen(bearer), bearer);
	}
	free(log);
	free(token);
}

static int teardown(void **state)
{
	(void)state;
	pod_watch_stop(main_watch);
	free(web_uid);
	free(db_uid);
	free(other_uid);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_node_pods),
		cmocka_unit_test(test_label_change_arrives),
		cmocka_unit_test(test_new_pod_appears_other_node_never),
		cmocka_unit_test(test_deleted_pod_disappears),
		cmocka_unit_test(test_restarts_miss_nothing),
		cmocka_unit_test(test_identity_through_watcher),
		cmocka_unit_test(test_unauthorized_rereads_token),
		cmocka_unit_test(test_forbidden_stays_unsynced),
		cmocka_unit_test(test_stub_relists_on_gone),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
