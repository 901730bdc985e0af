/* The local driver (actuator/local_*.c) without touching real cgroups or
 * namespaces: cgroup path safety (the root, "..", empty, the actuator's own
 * cgroup are refused), a missing or empty cgroup is already terminated,
 * isolation records round trip, release without a record or of a gone
 * container, the SIGKILL fallback for kernels without cgroup.kill. A
 * stand-in directory tree plays the cgroup2 mount. Real kills and
 * quarantines are tests/integration/test_actuator_local.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "local_cgroup.h"
#include "local_driver.h"
#include "local_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CID "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"
#define CGROUP "/kubepods/besteffort/pod0f5d6a3c-2b1e-4f8a-9c7d-1e2f3a4b5c6d/" CID

struct fx {
	char root[64];
	char cg[128], state[128];
	struct local_driver_options opts;
	struct act_driver *d;
};

static void sh(const char *fmt, const char *arg)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, arg);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	strcpy(f->root, "/tmp/rampart-local-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->cg, sizeof(f->cg), "%s/cg", f->root);
	snprintf(f->state, sizeof(f->state), "%s/state/isolated", f->root);
	assert_int_equal(mkdir(f->cg, 0755), 0);
	f->opts = (struct local_driver_options){.cgroup2_root = f->cg, .state_dir = f->state, .kill_wait_ms = 100};
	f->d = local_driver_new(&f->opts, err, sizeof(err));
	assert_non_null(f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	f->d->free(f->d);
	sh("rm -rf '%s'", f->root);
	free(f);
	return 0;
}

static struct rp_str str(const char *s)
{
	return (struct rp_str){s, (uint32_t)strlen(s)};
}

static enum act_status act(struct fx *f, enum rp_action a, const char *cgroup, struct act_reply *r)
{
	struct act_target t = {.orchestrator = RP_ORCH_NONE, .container_id = str(CID), .cgroup = str(cgroup),
			       .pid = 0};
	struct act_call call = {.verdict_id = str("v1"), .action = a, .target = &t};
	enum act_status st = f->d->act(f->d, &call, r);

	print_message("%s %s -> %d %s\n", a == RP_ACTION_TERMINATE ? "terminate" : "isolate", cgroup, st, r->detail);
	assert_int_equal(st, r->status);
	return st;
}

static void assert_norm(const char *in, size_t len, const char *want)
{
	char out[LOCAL_CGROUP_PATH_MAX];
	int rc = local_cgroup_path_norm((struct rp_str){in, (uint32_t)len}, out, sizeof(out));

	if (!want) {
		assert_int_equal(rc, -1);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

static void test_path_norm(void **state)
{
	char small[8];

	(void)state;
	assert_norm("", 0, NULL);
	assert_norm("/", 1, NULL);
	assert_norm("///", 3, NULL);
	assert_norm("..", 2, NULL);
	assert_norm("/kubepods/../..", 15, NULL);
	assert_norm("/kubepods/..", 12, NULL);
	assert_norm("/kubepods/./x", 13, NULL);
	assert_norm("/kube\0pods", 10, NULL);
	assert_norm("/kubepods//pod1/c1/", 19, "/kubepods/pod1/c1");
	assert_norm("kubepods", 8, "/kubepods");
	assert_norm("/a..b/.c", 8, "/a..b/.c");
	assert_norm("/kubepods/x", 4, "/kub"); /* the view's length counts, not a NUL */
	assert_int_equal(local_cgroup_path_norm(str("/kubepods"), small, sizeof(small)), -1);
	assert_int_equal(local_cgroup_path_norm((struct rp_str){NULL, 0}, small, sizeof(small)), -1);
}

static void test_contains(void **state)
{
	(void)state;
	assert_true(local_cgroup_contains("/a", "/a"));
	assert_true(local_cgroup_contains("/a", "/a/b"));
	assert_false(local_cgroup_contains("/a", "/ab"));
	assert_false(local_cgroup_contains("/a/b", "/a"));
	assert_false(local_cgroup_contains("/a", "/"));
}

static void test_refuses_host_cgroups(void **state)
{
	struct fx *f = *state;
	const char *bad[] = {"", "/", "//", "..", "/kubepods/../..", "/kubepods/../../etc"};
	char own[LOCAL_CGROUP_PATH_MAX];
	struct act_reply r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(act(f, RP_ACTION_TERMINATE, bad[i], &r), ACT_FAILED);
		assert_non_null(strstr(r.detail, "refusing to kill the root/host cgroup"));
		assert_int_equal(act(f, RP_ACTION_ISOLATE, bad[i], &r), ACT_FAILED);
		assert_non_null(strstr(r.detail, "refusing to isolate the root/host cgroup"));
	}
	/* Our own cgroup (wherever the test runs), and its parent. */
	assert_int_equal(local_cgroup_of_pid(getpid(), own, sizeof(own)), 0);
	assert_int_equal(act(f, RP_ACTION_TERMINATE, own, &r), ACT_FAILED);
	assert_non_null(strstr(r.detail, "refusing to kill the root/host cgroup"));
	assert_string_equal(r.target, CID);
}

static void test_missing_or_empty_cgroup_is_already_done(void **state)
{
	struct fx *f = *state;
	char path[512];
	struct act_reply r;
	FILE *fp;

	assert_int_equal(act(f, RP_ACTION_TERMINATE, CGROUP, &r), ACT_ALREADY_DONE);
	assert_non_null(strstr(r.detail, "gone"));
	/* the directory is there but holds no process */
	snprintf(path, sizeof(path), "%s" CGROUP, f->cg);
	sh("mkdir -p '%s'", path);
	strcat(path, "/cgroup.procs");
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	assert_int_equal(act(f, RP_ACTION_TERMINATE, CGROUP, &r), ACT_ALREADY_DONE);
	assert_non_null(strstr(r.detail, "no processes"));
	/* nothing to isolate either, and nothing recorded */
	assert_int_equal(act(f, RP_ACTION_ISOLATE, CGROUP, &r), ACT_SKIPPED);
	snprintf(path, sizeof(path), "%s/%s", f->state, CID);
	assert_int_equal(access(path, F_OK), -1);
}

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

static void write_procs(const char *dir, const char *text)
{
	char path[1024];
	FILE *fp;

	sh("mkdir -p '%s'", dir);
	assert_true((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", dir) < sizeof(path));
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

/* The stand-in has no cgroup.kill, so the driver signals every pid the
 * subtree's cgroup.procs list, except its own and pid 1; the list never
 * empties (it is a plain file), so the outcome is a retry. */
static void test_sigkill_fallback(void **state)
{
	struct fx *f = *state;
	pid_t a = spawn_sleeper(), b = spawn_sleeper();
	char dir[512], text[64];
	struct act_reply r;
	int st;

	snprintf(dir, sizeof(dir), "%s" CGROUP, f->cg);
	snprintf(text, sizeof(text), "%d\n1\n%d\n", (int)a, (int)getpid());
	write_procs(dir, text);
	strcat(dir, "/init.scope");
	snprintf(text, sizeof(text), "%d\n", (int)b);
	write_procs(dir, text);
	assert_int_equal(act(f, RP_ACTION_TERMINATE, CGROUP, &r), ACT_RETRY);
	assert_non_null(strstr(r.detail, "still populated"));
	/* one the driver missed ends by SIGTERM, not hanging the test */
	kill(a, SIGTERM);
	kill(b, SIGTERM);
	assert_int_equal(waitpid(a, &st, 0), a);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	assert_int_equal(waitpid(b, &st, 0), b);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void test_other_actions_fail(void **state)
{
	struct fx *f = *state;
	struct act_reply r;

	assert_int_equal(act(f, RP_ACTION_LOG, CGROUP, &r), ACT_FAILED);
}

static void test_actor_and_name(void **state)
{
	struct fx *f = *state;
	char want[320], host[256] = "";

	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	snprintf(want, sizeof(want), "host %s uid %u", host, (unsigned)geteuid());
	assert_string_equal(f->d->actor(f->d), want);
	assert_string_equal(f->d->name, "local");
}

static void test_state_round_trip(void **state)
{
	struct fx *f = *state;
	struct local_state in = {.cgroup = CGROUP, .netns = {.dev = 4, .ino = 4026532297ull}}, out;
	char err[256];

	assert_int_equal(local_state_read(f->state, CID, &out, err, sizeof(err)), 1);
	assert_int_equal(local_state_write(f->state, CID, &in, err, sizeof(err)), 0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(local_state_read(f->state, CID, &out, err, sizeof(err)), 0);
	assert_string_equal(out.cgroup, CGROUP);
	assert_int_equal(out.netns.dev, 4);
	assert_int_equal(out.netns.ino, 4026532297ull);
	/* rewriting replaces */
	in.netns.ino = 7;
	assert_int_equal(local_state_write(f->state, CID, &in, err, sizeof(err)), 0);
	assert_int_equal(local_state_read(f->state, CID, &out, err, sizeof(err)), 0);
	assert_int_equal(out.netns.ino, 7);
	assert_int_equal(local_state_remove(f->state, CID, err, sizeof(err)), 0);
	assert_int_equal(local_state_remove(f->state, CID, err, sizeof(err)), 1);
	assert_int_equal(local_state_read(f->state, CID, &out, err, sizeof(err)), 1);
}

static void test_state_ids_and_malformed(void **state)
{
	struct fx *f = *state;
	const char *bad_ids[] = {"", "..", ".hidden", "a/b", "../x", "a b", "-x"};
	struct local_state s = {.cgroup = CGROUP}, out;
	char err[256], path[512];
	FILE *fp;

	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		assert_false(local_state_id_valid(bad_ids[i]));
		assert_int_equal(local_state_write(f->state, bad_ids[i], &s, err, sizeof(err)), -1);
	}
	assert_true(local_state_id_valid("web-1_a.b"));
	/* a record whose cgroup escapes the mount is not one */
	assert_int_equal(local_state_write(f->state, "x", &s, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/x", f->state);
	assert_non_null(fp = fopen(path, "w"));
	fputs("cgroup /kubepods/../..\nnetns 4 5\n", fp);
	fclose(fp);
	assert_int_equal(local_state_read(f->state, "x", &out, err, sizeof(err)), -1);
	assert_non_null(fp = fopen(path, "w"));
	fputs("cgroup /kubepods/x\n", fp);
	fclose(fp);
	assert_int_equal(local_state_read(f->state, "x", &out, err, sizeof(err)), -1);
}

static void test_release(void **state)
{
	struct fx *f = *state;
	struct local_state s = {.cgroup = CGROUP, .netns = {.dev = 4, .ino = 1}};
	char msg[512], err[256];

	assert_int_equal(local_driver_release(&f->opts, CID, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "not isolated"));
	assert_int_equal(local_driver_release(&f->opts, "../etc", msg, sizeof(msg)), -1);
	/* recorded, but the container (its cgroup) is gone: the record goes */
	assert_int_equal(local_state_write(f->state, CID, &s, err, sizeof(err)), 0);
	assert_int_equal(local_driver_release(&f->opts, CID, msg, sizeof(msg)), 0);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "gone"));
	assert_int_equal(local_state_read(f->state, CID, &s, err, sizeof(err)), 1);
}

static void test_bad_root(void **state)
{
	struct local_driver_options o = {.cgroup2_root = "/nonexistent/cgroup2"};
	char err[256] = "";

	(void)state;
	assert_null(local_driver_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/cgroup2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_norm),
		cmocka_unit_test(test_contains),
		cmocka_unit_test_setup_teardown(test_refuses_host_cgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_or_empty_cgroup_is_already_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigkill_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_actions_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_actor_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_ids_and_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
		cmocka_unit_test(test_bad_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
