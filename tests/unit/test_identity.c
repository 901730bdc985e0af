/* The identity cache (collector/identity.c) over a stand-in cgroup tree:
 * any directory tree works as a cgroup root (ids are inode numbers), so
 * this runs without cgroups or containers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "identity.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define UID "0f5d6a3c-2b1e-4f8a-9c7d-1e2f3a4b5c6d"
#define CID "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"
#define BUNDLE "{\"process\":{},\"annotations\":{\"io.kubernetes.cri.container-name\":\"app\"," \
	       "\"io.kubernetes.cri.sandbox-name\":\"web-0\",\"io.kubernetes.cri.sandbox-namespace\":\"shop\"," \
	       "\"io.kubernetes.cri.sandbox-uid\":\"" UID "\",\"io.kubernetes.cri.image-name\":\"nginx:1\"}}"

struct fx {
	char root[64], cg[128], state[128];
	struct identity *id;
};

static void sh(const char *fmt, const char *a, const char *b)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	assert_int_equal(system(cmd), 0);
}

static uint64_t ino(const char *dir, const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static struct identity *open_cache(struct fx *f, size_t entries, uint32_t retry_ms, uint32_t sweep_ms)
{
	const char *dirs[] = {f->state};
	struct identity_config cfg = {.cgroup2_root = f->cg, .state_dirs = dirs, .nstate_dirs = 1,
				      .cluster = "c1", .orchestrator = RP_ORCH_KUBERNETES,
				      .cache_entries = entries, .retry_ms = retry_ms, .sweep_ms = sweep_ms};
	char err[256];
	struct identity *id = identity_new(&cfg, err, sizeof(err));

	assert_non_null(id);
	return id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->root, "/tmp/rampart-identity-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->cg, sizeof(f->cg), "%s/cg", f->root);
	snprintf(f->state, sizeof(f->state), "%s/state", f->root);
	sh("mkdir -p %s/kubepods/besteffort/pod" UID "/" CID " %s/system.slice", f->cg, f->cg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	identity_free(f->id);
	sh("rm -rf %s%s", f->root, "");
	free(f);
	return 0;
}

static void put_bundle(struct fx *f)
{
	char dir[256], path[512];
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/k8s.io/" CID, f->state);
	sh("mkdir -p %s%s", dir, "");
	snprintf(path, sizeof(path), "%s/config.json", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(BUNDLE, fp);
	fclose(fp);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static void test_resolves_container_and_host(void **state)
{
	struct fx *f = *state;
	const struct container_identity *ci;
	struct rp_event ev;

	put_bundle(f);
	f->id = open_cache(f, 0, 0, 0);
	ci = identity_lookup(f->id, ino(f->cg, "/kubepods/besteffort/pod" UID "/" CID));
	assert_true(ci->in_container);
	assert_true(ci->metadata_found);
	assert_string_equal(ci->cgroup_path, "/kubepods/besteffort/pod" UID "/" CID);
	assert_string_equal(ci->container_id, CID);
	assert_string_equal(ci->container_name, "app");
	assert_string_equal(ci->pod_name, "web-0");
	assert_string_equal(ci->runtime, "containerd");

	memset(&ev, 0, sizeof(ev));
	identity_fill_event(ci, &ev);
	assert_int_equal(ev.workload_kind, RP_WORKLOAD_POD);
	assert_int_equal(ev.orchestrator, RP_ORCH_KUBERNETES);
	assert_int_equal(ev.container.id.len, 64);
	assert_memory_equal(ev.workload.pod.namespace_.ptr, "shop", 4);
	assert_memory_equal(ev.cluster.ptr, "c1", 2);

	ci = identity_lookup(f->id, ino(f->cg, "/system.slice"));
	assert_false(ci->in_container);
	assert_string_equal(ci->cgroup_path, "/system.slice");
	memset(&ev, 0, sizeof(ev));
	identity_fill_event(ci, &ev);
	assert_int_equal(ev.workload_kind, RP_WORKLOAD_NONE);
	assert_int_equal(ev.container.id.len, 0);

	ci = identity_lookup(f->id, ino(f->cg, ""));
	assert_string_equal(ci->cgroup_path, "/");
	ci = identity_lookup(f->id, 0);
	assert_false(ci->in_container);
	ci = identity_lookup(f->id, 0x7fffffffffffULL); /* no such cgroup */
	assert_false(ci->in_container);
	assert_string_equal(ci->cgroup_path, "");
}

/* A container seen before its bundle is readable is retried after retry_ms. */
static void test_incomplete_entry_is_retried(void **state)
{
	struct fx *f = *state;
	uint64_t cg = ino(f->cg, "/kubepods/besteffort/pod" UID "/" CID);
	const struct container_identity *ci;

	f->id = open_cache(f, 0, 50, 0);
	ci = identity_lookup(f->id, cg);
	assert_true(ci->in_container);
	assert_false(ci->metadata_found);
	assert_string_equal(ci->pod_uid, UID); /* what the path tells */
	assert_int_equal(ci->workload_kind, RP_WORKLOAD_POD);
	put_bundle(f);
	ci = identity_lookup(f->id, cg);
	assert_false(ci->metadata_found); /* cached until retry_ms */
	sleep_ms(80);
	ci = identity_lookup(f->id, cg);
	assert_true(ci->metadata_found);
	assert_string_equal(ci->pod_name, "web-0");
}

/* Entries of removed cgroups go after being seen gone by two sweeps. */
static void test_sweep_and_forget(void **state)
{
	struct fx *f = *state;
	uint64_t cg = ino(f->cg, "/kubepods/besteffort/pod" UID "/" CID);
	uint64_t host = ino(f->cg, "/system.slice");

	put_bundle(f);
	f->id = open_cache(f, 0, 0, 60000);
	assert_true(identity_lookup(f->id, cg)->metadata_found);
	identity_lookup(f->id, host);
	assert_int_equal(identity_sweep(f->id), 0);
	sh("rmdir %s/kubepods/besteffort/pod" UID "/" CID "%s", f->cg, "");
	assert_int_equal(identity_sweep(f->id), 0); /* marked gone: grace */
	assert_int_equal(identity_sweep(f->id), 1); /* dropped */
	assert_int_equal(identity_sweep(f->id), 0);
	/* the host entry is still cached; forget drops it explicitly */
	identity_forget(f->id, host);
	identity_forget(f->id, host);
	assert_string_equal(identity_lookup(f->id, host)->cgroup_path, "/system.slice");
}

/* The cache stays bounded and correct with far more cgroups than entries. */
static void test_bounded_cache(void **state)
{
	struct fx *f = *state;
	char rel[64];
	uint64_t ids[64];

	f->id = open_cache(f, 4, 0, 0);
	for (int i = 0; i < 64; i++) {
		snprintf(rel, sizeof(rel), "/system.slice/s%d", i);
		sh("mkdir %s%s", f->cg, rel);
		ids[i] = ino(f->cg, rel);
	}
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 64; i++) {
			snprintf(rel, sizeof(rel), "/system.slice/s%d", i);
			assert_string_equal(identity_lookup(f->id, ids[i])->cgroup_path, rel);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resolves_container_and_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incomplete_entry_is_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_and_forget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
