/* The ECS agent introspection client (collector/ecs_agent.c) against
 * ecs_agent_server.py on a loopback port, and its use by the identity cache
 * over a stand-in cgroup tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ecs_agent.h"
#include "identity.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define APP "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define ENVOY "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
#define WORKER "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
#define NOBODY "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
#define STUCK "5104000000000000000000000000000000000000000000000000000000000000"
#define WEB_ARN "arn:aws:ecs:us-east-1:123456789012:task/prod-east/0123456789abcdef0123456789abcdef"
#define TASK_ID "0123456789abcdef0123456789abcdef"

static struct {
	pid_t pid;
	int port;
	char url[64];
} srv;

/* Starts the server on port (0: a free one); 0 or -1. */
static int server_start(int port)
{
	int pipefd[2];
	char line[32] = {0}, arg[16];
	FILE *out;

	snprintf(arg, sizeof(arg), "%d", port);
	if (pipe(pipefd))
		return -1;
	srv.pid = fork();
	if (srv.pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		execlp("python3", "python3", ECS_AGENT_SERVER, arg, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	if (!out)
		return close(pipefd[0]), -1;
	if (!fgets(line, sizeof(line), out) || atoi(line) <= 0)
		return fclose(out), -1;
	fclose(out);
	srv.port = atoi(line);
	snprintf(srv.url, sizeof(srv.url), "http://127.0.0.1:%d", srv.port);
	return 0;
}

static void server_stop(void)
{
	if (srv.pid > 0) {
		kill(srv.pid, SIGTERM);
		waitpid(srv.pid, NULL, 0);
		srv.pid = 0;
	}
}

static int setup(void **state)
{
	(void)state;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	return server_start(0);
}

static int teardown(void **state)
{
	(void)state;
	server_stop();
	curl_global_cleanup();
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct ecs_agent *agent(uint32_t timeout_ms, uint32_t retry_min_ms)
{
	struct ecs_agent_config cfg = {.url = srv.url, .timeout_ms = timeout_ms, .retry_min_ms = retry_min_ms,
				       .retry_max_ms = 4 * retry_min_ms};
	char err[256];
	struct ecs_agent *a = ecs_agent_new(&cfg, err, sizeof(err));

	assert_non_null(a);
	return a;
}

static void assert_empty(const struct ecs_task_info *t)
{
	assert_string_equal(t->task_arn, "");
	assert_string_equal(t->family, "");
	assert_string_equal(t->revision, "");
	assert_string_equal(t->container_name, "");
	assert_string_equal(t->cluster, "");
}

static void test_lookup_by_docker_id(void **state)
{
	struct ecs_agent *a = agent(0, 0);
	struct ecs_task_info t;

	(void)state;
	assert_int_equal(ecs_agent_lookup(a, APP, &t), ECS_LOOKUP_FOUND);
	assert_string_equal(t.task_arn, WEB_ARN);
	assert_string_equal(t.family, "web");
	assert_string_equal(t.revision, "7");
	assert_string_equal(t.container_name, "app");
	assert_string_equal(t.cluster, "prod-east");
	ecs_agent_free(a);
}

/* The old ARN form has no cluster: it can only come from /v1/metadata. */
static void test_cluster_from_metadata(void **state)
{
	struct ecs_agent *a = agent(0, 0);
	struct ecs_task_info t;

	(void)state;
	assert_int_equal(ecs_agent_lookup(a, WORKER, &t), ECS_LOOKUP_FOUND);
	assert_string_equal(t.family, "batch");
	assert_string_equal(t.revision, "12");
	assert_string_equal(t.container_name, "worker");
	assert_string_equal(t.cluster, "prod-east");
	assert_int_equal(ecs_agent_requests(a), 2); /* the task, then the metadata */
	ecs_agent_free(a);
}

static void test_cached(void **state)
{
	struct ecs_agent *a = agent(0, 0);
	struct ecs_task_info t;
	uint64_t n;

	(void)state;
	assert_int_equal(ecs_agent_lookup(a, APP, &t), ECS_LOOKUP_FOUND);
	n = ecs_agent_requests(a);
	assert_int_equal(ecs_agent_lookup(a, APP, &t), ECS_LOOKUP_FOUND);
	assert_string_equal(t.task_arn, WEB_ARN);
	/* Same task: the first answer already named this container. */
	assert_int_equal(ecs_agent_lookup(a, ENVOY, &t), ECS_LOOKUP_FOUND);
	assert_string_equal(t.container_name, "envoy");
	assert_string_equal(t.family, "web");
	assert_int_equal(ecs_agent_requests(a), n);
	ecs_agent_free(a);
}

static void test_unknown_id(void **state)
{
	struct ecs_agent *a = agent(0, 60000);
	struct ecs_task_info t;

	(void)state;
	assert_int_equal(ecs_agent_lookup(a, NOBODY, &t), ECS_LOOKUP_UNKNOWN);
	assert_empty(&t);
	assert_int_equal(ecs_agent_requests(a), 1);
	/* Backing off: not asked again yet. */
	assert_int_equal(ecs_agent_lookup(a, NOBODY, &t), ECS_LOOKUP_UNKNOWN);
	assert_int_equal(ecs_agent_requests(a), 1);
	/* Not a Docker id at all: never sent. */
	assert_int_equal(ecs_agent_lookup(a, "x&dockerid=" APP, &t), ECS_LOOKUP_UNKNOWN);
	assert_int_equal(ecs_agent_lookup(a, "", &t), ECS_LOOKUP_UNKNOWN);
	assert_int_equal(ecs_agent_requests(a), 1);
	ecs_agent_free(a);
}

static void test_unknown_retried_after_backoff(void **state)
{
	struct ecs_agent *a = agent(0, 50);
	struct ecs_task_info t;

	(void)state;
	assert_int_equal(ecs_agent_lookup(a, NOBODY, &t), ECS_LOOKUP_UNKNOWN);
	usleep(80 * 1000);
	assert_int_equal(ecs_agent_lookup(a, NOBODY, &t), ECS_LOOKUP_UNKNOWN);
	assert_int_equal(ecs_agent_requests(a), 2);
	ecs_agent_free(a);
}

static void test_agent_down_then_back(void **state)
{
	struct ecs_agent *a;
	struct ecs_task_info t;
	int port = srv.port;
	uint64_t t0;

	(void)state;
	server_stop();
	a = agent(200, 100);
	t0 = now_ms();
	assert_int_equal(ecs_agent_lookup(a, APP, &t), ECS_LOOKUP_UNAVAILABLE);
	assert_true(now_ms() - t0 < 200);
	assert_empty(&t);
	/* Backing off: no request at all, for any container. */
	assert_int_equal(ecs_agent_lookup(a, ENVOY, &t), ECS_LOOKUP_UNAVAILABLE);
	assert_int_equal(ecs_agent_requests(a), 1);
	assert_int_equal(server_start(port), 0);
	usleep(150 * 1000);
	assert_int_equal(ecs_agent_lookup(a, APP, &t), ECS_LOOKUP_FOUND);
	assert_string_equal(t.task_arn, WEB_ARN);
	assert_string_equal(t.cluster, "prod-east");
	ecs_agent_free(a);
}

static void test_stuck_agent_times_out(void **state)
{
	struct ecs_agent *a = agent(200, 1000);
	struct ecs_task_info t;
	uint64_t t0 = now_ms();

	(void)state;
	assert_int_equal(ecs_agent_lookup(a, STUCK, &t), ECS_LOOKUP_UNAVAILABLE);
	assert_true(now_ms() - t0 < 1000);
	assert_empty(&t);
	ecs_agent_free(a);
}

/* identity_lookup() on an /ecs/<task>/<docker id> cgroup asks the agent. */
static void test_identity_uses_agent(void **state)
{
	char root[] = "/tmp/rp-ecs-XXXXXX", cg[128], state_dir[128], cmd[512];
	const char *dirs[] = {state_dir};
	struct identity_config cfg = {.cgroup2_root = cg, .state_dirs = dirs, .nstate_dirs = 1,
				      .cluster = "configured", .orchestrator = RP_ORCH_ECS,
				      .ecs_agent_url = srv.url};
	const struct container_identity *ci;
	struct stat st;
	struct rp_event ev;
	struct identity *id;
	char err[256];

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(cg, sizeof(cg), "%s/cg", root);
	snprintf(state_dir, sizeof(state_dir), "%s/state", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/ecs/%s/%s %s", cg, TASK_ID, APP, state_dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/ecs/%s/%s", cg, TASK_ID, APP);
	assert_int_equal(stat(cmd, &st), 0);
	id = identity_new(&cfg, err, sizeof(err));
	assert_non_null(id);
	ci = identity_lookup(id, (uint64_t)st.st_ino);
	assert_true(ci->in_container);
	assert_string_equal(ci->container_id, APP);
	assert_string_equal(ci->ecs_task_arn, WEB_ARN);
	assert_string_equal(ci->ecs_family, "web");
	assert_string_equal(ci->ecs_revision, "7");
	assert_string_equal(ci->ecs_cluster, "prod-east");
	assert_string_equal(ci->container_name, "app");
	memset(&ev, 0, sizeof(ev));
	identity_fill_event(ci, &ev);
	assert_int_equal(ev.workload_kind, RP_WORKLOAD_ECS_TASK);
	assert_memory_equal(ev.workload.ecs.task_arn.ptr, WEB_ARN, strlen(WEB_ARN));
	identity_free(id);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

/* With the agent unreachable the identity keeps what the cgroup path gives. */
static void test_identity_agent_down(void **state)
{
	char root[] = "/tmp/rp-ecs-XXXXXX", cg[128], cmd[512];
	struct identity_config cfg = {.orchestrator = RP_ORCH_ECS, .cluster = "configured",
				      .ecs_agent_url = "http://127.0.0.1:1"};
	const struct container_identity *ci;
	struct identity *id;
	struct stat st;
	char err[256];

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(cg, sizeof(cg), "%s/cg", root);
	cfg.cgroup2_root = cg;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/ecs/%s/%s", cg, TASK_ID, APP);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/ecs/%s/%s", cg, TASK_ID, APP);
	assert_int_equal(stat(cmd, &st), 0);
	id = identity_new(&cfg, err, sizeof(err));
	assert_non_null(id);
	ci = identity_lookup(id, (uint64_t)st.st_ino);
	assert_true(ci->in_container);
	assert_int_equal(ci->workload_kind, RP_WORKLOAD_ECS_TASK);
	assert_string_equal(ci->ecs_task_arn, TASK_ID);
	assert_string_equal(ci->ecs_cluster, "configured");
	assert_string_equal(ci->ecs_family, "");
	identity_free(id);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_by_docker_id),
		cmocka_unit_test(test_cluster_from_metadata),
		cmocka_unit_test(test_cached),
		cmocka_unit_test(test_unknown_id),
		cmocka_unit_test(test_unknown_retried_after_backoff),
		cmocka_unit_test(test_agent_down_then_back),
		cmocka_unit_test(test_stuck_agent_times_out),
		cmocka_unit_test(test_identity_uses_agent),
		cmocka_unit_test(test_identity_agent_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
