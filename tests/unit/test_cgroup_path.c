/* cgroup path -> container id, runtime, pod uid, ECS task: every layout
 * collector/cgroup_path.h lists, from paths as real nodes have them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cgroup_path.h"

#include <string.h>

#define ID "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "0f5d6a3c-2b1e-4f8a-9c7d-1e2f3a4b5c6d"
#define UID_ "0f5d6a3c_2b1e_4f8a_9c7d_1e2f3a4b5c6d"
#define TASK "8f6a4b2c1d3e5f708192a3b4c5d6e7f8"

struct want {
	const char *path;
	enum cgroup_runtime rt;
	const char *id, *pod_uid, *task;
};

static void check(const struct want *w)
{
	struct cgroup_container c;
	bool is = cgroup_path_parse(w->path, &c);

	print_message("%s\n", w->path);
	assert_int_equal(is, w->rt != CGROUP_RT_NONE);
	assert_int_equal(c.runtime, w->rt);
	assert_string_equal(c.id, w->id ? w->id : "");
	assert_string_equal(c.pod_uid, w->pod_uid ? w->pod_uid : "");
	assert_string_equal(c.ecs_task_id, w->task ? w->task : "");
}

static void check_all(const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check(&w[i]);
}

static void test_containerd_systemd(void **state)
{
	const struct want w[] = {
		{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID
		 ".scope", CGROUP_RT_CONTAINERD, ID, UID, NULL},
		{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/cri-containerd-" ID
		 ".scope", CGROUP_RT_CONTAINERD, ID, UID, NULL},
		{"/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID ".scope", CGROUP_RT_CONTAINERD, ID,
		 UID, NULL},
		/* a container's own sub-cgroup still belongs to it */
		{"/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID ".scope/init.scope",
		 CGROUP_RT_CONTAINERD, ID, UID, NULL},
		/* the pod slice alone is not a container */
		{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice", CGROUP_RT_NONE,
		 NULL, NULL, NULL},
	};

	(void)state;
	check_all(w, sizeof(w) / sizeof(w[0]));
}

static void test_containerd_cgroupfs(void **state)
{
	const struct want w[] = {
		{"/kubepods/besteffort/pod" UID "/" ID, CGROUP_RT_CONTAINERD, ID, UID, NULL},
		{"/kubepods/burstable/pod" UID "/" ID, CGROUP_RT_CONTAINERD, ID, UID, NULL},
		{"/kubepods/pod" UID "/" ID, CGROUP_RT_CONTAINERD, ID, UID, NULL},
		{"kubepods/pod" UID "/" ID, CGROUP_RT_CONTAINERD, ID, UID, NULL},
		{"/kubepods/besteffort/pod" UID, CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/kubepods/besteffort", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/kubepods", CGROUP_RT_NONE, NULL, NULL, NULL},
	};

	(void)state;
	check_all(w, sizeof(w) / sizeof(w[0]));
}

static void test_crio(void **state)
{
	const struct want w[] = {
		{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" ID ".scope",
		 CGROUP_RT_CRIO, ID, UID, NULL},
		{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" ID
		 ".scope/container", CGROUP_RT_CRIO, ID, UID, NULL},
		{"/kubepods/besteffort/pod" UID "/crio-" ID, CGROUP_RT_CRIO, ID, UID, NULL},
		/* conmon, CRI-O's per-container monitor, is not the container */
		{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-conmon-" ID
		 ".scope", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/kubepods/besteffort/pod" UID "/crio-conmon-" ID, CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/system.slice/crio.service", CGROUP_RT_NONE, NULL, NULL, NULL},
	};

	(void)state;
	check_all(w, sizeof(w) / sizeof(w[0]));
}

static void test_docker_and_podman(void **state)
{
	const struct want w[] = {
		{"/system.slice/docker-" ID ".scope", CGROUP_RT_DOCKER, ID, NULL, NULL},
		{"/docker/" ID, CGROUP_RT_DOCKER, ID, NULL, NULL},
		/* docker in docker: the innermost container */
		{"/docker/" ID "/docker/" ID2, CGROUP_RT_DOCKER, ID2, NULL, NULL},
		{"/system.slice/docker.service", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/machine.slice/libpod-" ID ".scope", CGROUP_RT_PODMAN, ID, NULL, NULL},
		{"/machine.slice/libpod-conmon-" ID ".scope", CGROUP_RT_NONE, NULL, NULL, NULL},
		/* a bare 64-hex dir under an unknown parent */
		{"/system.slice/containerd.service/" ID, CGROUP_RT_UNKNOWN, ID, NULL, NULL},
	};

	(void)state;
	check_all(w, sizeof(w) / sizeof(w[0]));
}

static void test_ecs(void **state)
{
	const struct want w[] = {
		{"/ecs/" TASK "/" ID, CGROUP_RT_ECS, ID, NULL, TASK},
		/* Fargate: container ids are "<task>-<n>" */
		{"/ecs/" TASK "/" TASK "-1527345867", CGROUP_RT_ECS, TASK "-1527345867", NULL, TASK},
		{"/ecstasks.slice/ecstasks-" TASK ".slice/docker-" ID ".scope", CGROUP_RT_DOCKER, ID, NULL, TASK},
		{"/ecs/" TASK, CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/ecs", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/ecs/not-a-task/" ID, CGROUP_RT_UNKNOWN, ID, NULL, NULL},
	};

	(void)state;
	check_all(w, sizeof(w) / sizeof(w[0]));
}

static void test_host_paths(void **state)
{
	const struct want w[] = {
		{"/", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/user.slice/user-1000.slice/session-3.scope", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/system.slice/kubelet.service", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/system.slice/containerd.service", CGROUP_RT_NONE, NULL, NULL, NULL},
		/* near misses: 63 and 65 hex, non-hex, wrong suffix */
		{"/docker/" "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa0011223344556677889",
		 CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/docker/" ID "0", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/docker/" "zz4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899",
		 CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/system.slice/docker-" ID ".service", CGROUP_RT_NONE, NULL, NULL, NULL},
		{"/system.slice/cri-containerd-" ID, CGROUP_RT_NONE, NULL, NULL, NULL},
		/* "pod..." outside kubepods is not a pod uid */
		{"/pod" UID "/x", CGROUP_RT_NONE, NULL, NULL, NULL},
	};

	(void)state;
	check_all(w, sizeof(w) / sizeof(w[0]));
}

static void test_upper_case_id_is_lowered(void **state)
{
	struct cgroup_container c;

	(void)state;
	assert_true(cgroup_path_parse("/docker/3F4E5D6C7B8A99887766554433221100FFEEDDCCBBAA00112233445566778899",
				      &c));
	assert_string_equal(c.id, ID);
	assert_false(cgroup_path_parse(NULL, &c));
	assert_string_equal(cgroup_runtime_name(CGROUP_RT_CRIO), "cri-o");
	assert_string_equal(cgroup_runtime_name(CGROUP_RT_UNKNOWN), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_containerd_systemd),
		cmocka_unit_test(test_containerd_cgroupfs),
		cmocka_unit_test(test_crio),
		cmocka_unit_test(test_docker_and_podman),
		cmocka_unit_test(test_ecs),
		cmocka_unit_test(test_host_paths),
		cmocka_unit_test(test_upper_case_id_is_lowered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
