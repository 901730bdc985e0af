/* OCI bundle lookup in the runtimes' state layouts and config.json parsing
 * (collector/oci_bundle.c) against containerd- and CRI-O-style fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "oci_bundle.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIXTURE(name) RP_TEST_DATA_DIR "/bundles/" name

static void test_containerd_annotations(void **state)
{
	struct oci_meta m;
	char err[256];

	(void)state;
	assert_int_equal(oci_bundle_parse_file(FIXTURE("containerd.config.json"), &m, err, sizeof(err)), 0);
	assert_string_equal(m.container_name, "nginx");
	assert_string_equal(m.pod_name, "web-7d9c8b6f5-x2k4p");
	assert_string_equal(m.pod_namespace, "shop");
	assert_string_equal(m.pod_uid, "0f5d6a3c-2b1e-4f8a-9c7d-1e2f3a4b5c6d");
	assert_string_equal(m.image, "docker.io/library/nginx:1.25.3");
	assert_string_equal(m.image_digest, "");
	assert_string_equal(m.runtime, "containerd");
	assert_false(m.sandbox);
	assert_false(m.privileged);
}

static void test_containerd_sandbox_digest(void **state)
{
	struct oci_meta m;
	char err[256];

	(void)state;
	assert_int_equal(oci_bundle_parse_file(FIXTURE("containerd-sandbox.config.json"), &m, err, sizeof(err)), 0);
	assert_true(m.sandbox);
	assert_string_equal(m.container_name, "");
	assert_string_equal(m.pod_name, "web-7d9c8b6f5-x2k4p");
	assert_string_equal(m.image_digest,
			    "sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097");
}

static void test_crio_privileged(void **state)
{
	struct oci_meta m;
	char err[256];

	(void)state;
	assert_int_equal(oci_bundle_parse_file(FIXTURE("crio-privileged.config.json"), &m, err, sizeof(err)), 0);
	assert_string_equal(m.container_name, "node-exporter");
	assert_string_equal(m.pod_name, "node-exporter-abcde");
	assert_string_equal(m.pod_namespace, "monitoring");
	assert_string_equal(m.pod_uid, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
	assert_string_equal(m.image, "quay.io/prometheus/node-exporter:v1.7.0");
	assert_string_equal(m.image_digest,
			    "sha256:4cb2b9019f1757be8482419002cb7afe028fdba35d47958829e4cfeaf6246d80");
	assert_string_equal(m.runtime, "cri-o");
	assert_true(m.privileged);
}

/* CAP_SYS_ADMIN alone, with /proc and /sys still masked, is not privileged. */
static void test_sys_admin_masked_not_privileged(void **state)
{
	struct oci_meta m;
	char err[256];

	(void)state;
	assert_int_equal(oci_bundle_parse_file(FIXTURE("sysadmin-masked.config.json"), &m, err, sizeof(err)), 0);
	assert_false(m.privileged);
	assert_string_equal(m.runtime, "");
	assert_string_equal(m.pod_name, "");
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "{", "[]", "{\"annotations\":{}}", "{\"process\":{},\"annotations\":[]}",
		"{\"process\":{},\"process\":{}}",
	};
	struct oci_meta m;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(oci_bundle_parse_json(bad[i], strlen(bad[i]), &m, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
		assert_string_equal(m.pod_name, "");
	}
	assert_int_equal(oci_bundle_parse_file("/nonexistent/config.json", &m, err, sizeof(err)), -1);
	/* wrong types are ignored, not trusted */
	const char *odd = "{\"process\":{\"capabilities\":{\"bounding\":\"CAP_SYS_ADMIN\"}},"
			  "\"annotations\":{\"io.kubernetes.pod.name\":7,\"io.kubernetes.cri.image-name\":"
			  "\"x@sha256:abc\"}}";
	assert_int_equal(oci_bundle_parse_json(odd, strlen(odd), &m, err, sizeof(err)), 0);
	assert_string_equal(m.pod_name, "");
	assert_string_equal(m.image_digest, "");
	assert_false(m.privileged);
}

/* ---- lookup in state directories -------------------------------------- */

#define CID "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"

static void mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm_tree(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_find_layouts(void **state)
{
	char tmpl[] = "/tmp/rampart-bundles-XXXXXX", d[512], path[PATH_MAX], want[PATH_MAX], rt[16];
	char *root = mkdtemp(tmpl);
	char containerd[128], crio[128], runc[128];
	const char *dirs[3];

	(void)state;
	assert_non_null(root);
	snprintf(containerd, sizeof(containerd), "%s/io.containerd.runtime.v2.task", root);
	snprintf(crio, sizeof(crio), "%s/overlay-containers", root);
	snprintf(runc, sizeof(runc), "%s/runc", root);
	dirs[0] = containerd;
	dirs[1] = crio;
	dirs[2] = runc;

	/* nothing yet */
	assert_int_equal(oci_bundle_find(dirs, 3, CID, path, sizeof(path), rt, sizeof(rt)), -1);

	/* runc: state.json names the bundle */
	snprintf(d, sizeof(d), "%s/bundle-elsewhere", root);
	put(d, "config.json", "{\"process\":{}}");
	snprintf(d, sizeof(d), "%s/" CID, runc);
	snprintf(want, sizeof(want), "{\"id\":\"" CID "\",\"config\":{\"labels\":[\"a=b\",\"bundle=%s/bundle-elsewhere\"]}}",
		 root);
	put(d, "state.json", want);
	assert_int_equal(oci_bundle_find(dirs, 3, CID, path, sizeof(path), rt, sizeof(rt)), 0);
	snprintf(want, sizeof(want), "%s/bundle-elsewhere/config.json", root);
	assert_string_equal(path, want);
	assert_string_equal(rt, "runc");

	/* CRI-O userdata takes precedence (earlier directory) */
	snprintf(d, sizeof(d), "%s/" CID "/userdata", crio);
	put(d, "config.json", "{\"process\":{}}");
	assert_int_equal(oci_bundle_find(dirs, 3, CID, path, sizeof(path), rt, sizeof(rt)), 0);
	snprintf(want, sizeof(want), "%s/config.json", d);
	assert_string_equal(path, want);
	assert_string_equal(rt, "cri-o");

	/* containerd: <root>/<namespace>/<id>/config.json */
	snprintf(d, sizeof(d), "%s/k8s.io/" CID, containerd);
	put(d, "config.json", "{\"process\":{}}");
	assert_int_equal(oci_bundle_find(dirs, 3, CID, path, sizeof(path), rt, sizeof(rt)), 0);
	snprintf(want, sizeof(want), "%s/config.json", d);
	assert_string_equal(path, want);
	assert_string_equal(rt, "containerd");

	/* ids that could escape the directory are refused */
	assert_int_equal(oci_bundle_find(dirs, 3, "../" CID, path, sizeof(path), rt, sizeof(rt)), -1);
	assert_int_equal(oci_bundle_find(dirs, 3, "", path, sizeof(path), rt, sizeof(rt)), -1);
	assert_int_equal(oci_bundle_find(dirs, 3, "k8s.io", path, sizeof(path), rt, sizeof(rt)), -1);
	rm_tree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_containerd_annotations),
		cmocka_unit_test(test_containerd_sandbox_digest),
		cmocka_unit_test(test_crio_privileged),
		cmocka_unit_test(test_sys_admin_masked_not_privileged),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_find_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
