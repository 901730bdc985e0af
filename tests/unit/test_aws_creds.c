/* The AWS credential chain (actuator/aws_creds.c and its sources) and the
 * ECS driver's signed JSON 1.1 calls (actuator/ecs_*.c) against
 * aws_endpoints_server.py on a loopback port, which plays the ECS
 * task-role endpoint, IMDSv2 and an ECS endpoint that records what it is
 * sent and answers what each test scripts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "aws_creds.h"
#include "ecs_driver.h"
#include "http.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TASK_ARN "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef"
#define EU_TASK_ARN "arn:aws:ecs:eu-west-1:123456789012:task/prod/fedcba9876543210fedcba9876543210"

static struct {
	pid_t pid;
	char url[64], task_role[96];
	struct http_client *http;
} srv;

static const char *const aws_vars[] = {
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_DISABLED", "AWS_REGION", "AWS_DEFAULT_REGION",
};

static int server_start(void)
{
	int pipefd[2], port;
	char line[32] = {0};
	FILE *out;

	if (pipe(pipefd))
		return -1;
	srv.pid = fork();
	if (srv.pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		execlp("python3", "python3", AWS_ENDPOINTS_SERVER, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	if (!out)
		return close(pipefd[0]), -1;
	if (!fgets(line, sizeof(line), out) || (port = atoi(line)) <= 0)
		return fclose(out), -1;
	fclose(out);
	snprintf(srv.url, sizeof(srv.url), "http://127.0.0.1:%d", port);
	snprintf(srv.task_role, sizeof(srv.task_role), "%s/task-role/creds", srv.url);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	srv.http = http_client_new();
	return srv.http ? server_start() : -1;
}

static int teardown(void **state)
{
	(void)state;
	if (srv.pid > 0) {
		kill(srv.pid, SIGTERM);
		waitpid(srv.pid, NULL, 0);
	}
	http_client_free(srv.http);
	return 0;
}

/* Every test starts from a clean server and an environment without AWS_*. */
static void control(const char *path, const char *json);

static int each_setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(aws_vars) / sizeof(*aws_vars); i++)
		unsetenv(aws_vars[i]);
	control("/_reset", "{}");
	return 0;
}

static void control(const char *path, const char *json)
{
	char url[128];
	struct http_request rq = {.method = "POST", .url = url, .body = json, .body_len = strlen(json)};
	struct http_response resp = {0};

	snprintf(url, sizeof(url), "%s%s", srv.url, path);
	rq.headers[0] = "Content-Type: application/json";
	assert_int_equal(http_do(srv.http, &rq, &resp), 0);
	assert_int_equal(resp.status, 200);
	http_response_free(&resp);
}

/* GET /_stats, parsed; the caller json_decrefs. */
static json_t *stats(void)
{
	char url[128];
	struct http_request rq = {.method = "GET", .url = url};
	struct http_response resp = {0};
	json_t *doc;

	snprintf(url, sizeof(url), "%s/_stats", srv.url);
	assert_int_equal(http_do(srv.http, &rq, &resp), 0);
	doc = json_loads((const char *)resp.body.data, 0, NULL);
	http_response_free(&resp);
	assert_non_null(doc);
	return doc;
}

static long count_of(const char *kind)
{
	json_t *doc = stats();
	long n = (long)json_integer_value(json_object_get(json_object_get(doc, "counts"), kind));

	json_decref(doc);
	return n;
}

static struct aws_creds *creds_new(const struct aws_creds_options *o)
{
	char err[256] = "";
	struct aws_creds *c = aws_creds_new(o, err, sizeof(err));

	if (!c)
		fail_msg("aws_creds_new: %s", err);
	return c;
}

/* Options that reach only the test server: no environment keys, no 169.254.x. */
static struct aws_creds_options task_role_only(void)
{
	return (struct aws_creds_options){.ignore_env_keys = true, .container_url = srv.task_role,
					  .container_auth = "Bearer task-secret", .imds_endpoint = ""};
}

static struct aws_creds_options imds_only(void)
{
	return (struct aws_creds_options){.ignore_env_keys = true, .container_url = "", .imds_endpoint = srv.url};
}

static const struct aws_credentials *get_ok(struct aws_creds *c)
{
	const struct aws_credentials *k = NULL;
	char err[512] = "";

	if (aws_creds_get(c, &k, err, sizeof(err)) != AWS_CREDS_OK)
		fail_msg("aws_creds_get: %s", err);
	return k;
}

static void test_env_keys_first(void **state)
{
	struct aws_creds_options o = task_role_only();
	const struct aws_credentials *k;
	struct aws_creds *c;

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE123456", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	setenv("AWS_SESSION_TOKEN", "env-token", 1);
	o.ignore_env_keys = false;
	c = creds_new(&o);
	assert_string_equal(aws_creds_actor(c), "iam:AKIAENVE...");
	k = get_ok(c);
	assert_string_equal(k->access_key_id, "AKIAENVEXAMPLE123456");
	assert_string_equal(k->secret_access_key, "env-secret");
	assert_string_equal(k->session_token, "env-token");
	assert_int_equal(k->expires_at, 0);
	assert_int_equal(aws_creds_requests(c), 0);
	assert_int_equal(count_of("task_role"), 0);
	aws_creds_free(c);
}

static void test_env_keys_half_set(void **state)
{
	struct aws_creds_options o = {.imds_endpoint = ""};
	char err[256] = "";

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE123456", 1);
	assert_null(aws_creds_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "AWS_SECRET_ACCESS_KEY"));
}

static void test_no_source(void **state)
{
	struct aws_creds_options o = {.imds_endpoint = ""};
	char err[256] = "";

	(void)state;
	assert_null(aws_creds_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "no credentials"));
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	o.imds_endpoint = NULL;
	assert_null(aws_creds_new(&o, err, sizeof(err)));
}

static void test_task_role_full_uri(void **state)
{
	struct aws_creds_options o = {0};
	const struct aws_credentials *k;
	struct aws_creds *c;

	(void)state;
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.task_role, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer task-secret", 1);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.url, 1);
	c = creds_new(&o);
	assert_string_equal(aws_creds_actor(c), "iam:unresolved");
	k = get_ok(c);
	assert_memory_equal(k->access_key_id, "ASIATASK", 8);
	assert_non_null(strstr(k->session_token, "session-token-"));
	assert_true(k->expires_at > (int64_t)time(NULL) + 3500);
	assert_string_equal(aws_creds_actor(c), "iam:role/rampart-task-role");
	/* Cached: valid for an hour. */
	get_ok(c);
	assert_int_equal(aws_creds_requests(c), 1);
	assert_int_equal(count_of("task_role"), 1);
	assert_int_equal(count_of("imds_token"), 0);
	aws_creds_free(c);
}

static void test_task_role_token_file(void **state)
{
	char path[] = "/tmp/rp-aws-token-XXXXXX";
	struct aws_creds_options o = {0};
	int fd = mkstemp(path);
	struct aws_creds *c;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "Bearer rotated-1\n", 17), 17);
	close(fd);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.task_role, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer stale", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path, 1);
	control("/_state", "{\"task_role_auth\": \"Bearer rotated-1\", \"expires_in\": 60}");
	c = creds_new(&o);
	get_ok(c);
	/* The file rotates; the next refresh (60 s left < 300) must read it again. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Bearer rotated-2", f);
	fclose(f);
	control("/_state", "{\"task_role_auth\": \"Bearer rotated-2\"}");
	get_ok(c);
	assert_int_equal(count_of("task_role"), 2);
	aws_creds_free(c);
	unlink(path);
}

static void test_task_role_refused(void **state)
{
	struct aws_creds_options o = task_role_only();
	const struct aws_credentials *k;
	struct aws_creds *c;
	char err[512] = "";

	(void)state;
	o.container_auth = "Bearer wrong";
	c = creds_new(&o);
	assert_int_equal(aws_creds_get(c, &k, err, sizeof(err)), AWS_CREDS_FAILED);
	assert_non_null(strstr(err, "HTTP 401"));
	assert_non_null(strstr(err, "/task-role/creds"));
	aws_creds_free(c);
}

static void test_full_uri_must_be_local_or_https(void **state)
{
	struct aws_creds_options o = {0};
	struct aws_creds *c;
	char err[256] = "";

	(void)state;
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds", 1);
	assert_null(aws_creds_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "must be https"));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://creds.example.com/v1", 1);
	c = creds_new(&o);
	aws_creds_free(c);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials", 1);
	c = creds_new(&o);
	aws_creds_free(c);
}

/* A configured task-role endpoint that fails must not fall back to the instance role. */
static void test_task_role_down_no_imds_fallback(void **state)
{
	struct aws_creds_options o = {0};
	const struct aws_credentials *k;
	struct aws_creds *c;
	char err[512] = "";

	(void)state;
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.task_role, 1);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.url, 1);
	control("/_state", "{\"down\": true}");
	c = creds_new(&o);
	assert_int_equal(aws_creds_get(c, &k, err, sizeof(err)), AWS_CREDS_RETRY);
	assert_non_null(strstr(err, "HTTP 503"));
	control("/_state", "{\"down\": false}");
	assert_int_equal(count_of("imds_token"), 0);
	aws_creds_free(c);
}

static void test_imds_v2(void **state)
{
	struct aws_creds_options o = {0};
	const struct aws_credentials *k;
	struct aws_creds *c;

	(void)state;
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.url, 1);
	c = creds_new(&o);
	k = get_ok(c);
	assert_memory_equal(k->access_key_id, "ASIANODE", 8);
	assert_non_null(strstr(k->session_token, "session-token-"));
	assert_string_equal(aws_creds_actor(c), "iam:role/rampart-node-role");
	assert_int_equal(aws_creds_requests(c), 3);
	assert_int_equal(count_of("imds_token"), 1);
	assert_int_equal(count_of("imds_get"), 2);
	aws_creds_free(c);
}

/* The server refuses IMDS reads without a session token, as IMDSv2-only instances do. */
static void test_imds_requires_token(void **state)
{
	char url[160];
	struct http_request rq = {.method = "GET", .url = url};
	struct http_response resp = {0};

	(void)state;
	snprintf(url, sizeof(url), "%s/latest/meta-data/iam/security-credentials/", srv.url);
	assert_int_equal(http_do(srv.http, &rq, &resp), 0);
	assert_int_equal(resp.status, 401);
	http_response_free(&resp);
}

static void test_imds_unreachable_is_retry(void **state)
{
	struct aws_creds_options o = imds_only();
	const struct aws_credentials *k;
	struct aws_creds *c;
	char err[512] = "";
	time_t t0;

	(void)state;
	o.timeout_ms = 300;
	control("/_state", "{\"hang_s\": 2}");
	c = creds_new(&o);
	t0 = time(NULL);
	assert_int_equal(aws_creds_get(c, &k, err, sizeof(err)), AWS_CREDS_RETRY);
	assert_true(time(NULL) - t0 <= 1);
	assert_non_null(strstr(err, "/latest/api/token"));
	aws_creds_free(c);
	o.imds_endpoint = "http://127.0.0.1:1";
	c = creds_new(&o);
	assert_int_equal(aws_creds_get(c, &k, err, sizeof(err)), AWS_CREDS_RETRY);
	aws_creds_free(c);
	control("/_state", "{\"hang_s\": 0}");
}

/* Cached until refresh_before_s (default 300) before Expiration. */
static void test_expiry_caching(void **state)
{
	struct aws_creds_options o = imds_only();
	char first[128];
	struct aws_creds *c;

	(void)state;
	control("/_state", "{\"expires_in\": 360}");
	c = creds_new(&o);
	snprintf(first, sizeof(first), "%s", get_ok(c)->access_key_id);
	assert_string_equal(get_ok(c)->access_key_id, first);
	assert_int_equal(aws_creds_requests(c), 3);
	aws_creds_free(c);

	control("/_state", "{\"expires_in\": 240}");
	c = creds_new(&o);
	snprintf(first, sizeof(first), "%s", get_ok(c)->access_key_id);
	assert_string_not_equal(get_ok(c)->access_key_id, first);
	assert_int_equal(aws_creds_requests(c), 6);
	aws_creds_free(c);

	o.refresh_before_s = 60;
	c = creds_new(&o);
	snprintf(first, sizeof(first), "%s", get_ok(c)->access_key_id);
	assert_string_equal(get_ok(c)->access_key_id, first);
	aws_creds_free(c);
}

/* A failed early refresh keeps the old keys while they last; expired ones are not used. */
static void test_refresh_failure(void **state)
{
	struct aws_creds_options o = imds_only();
	const struct aws_credentials *k;
	struct aws_creds *c;
	char first[128], err[512] = "";

	(void)state;
	control("/_state", "{\"expires_in\": 120}");
	c = creds_new(&o);
	snprintf(first, sizeof(first), "%s", get_ok(c)->access_key_id);
	control("/_state", "{\"down\": true}");
	assert_string_equal(get_ok(c)->access_key_id, first);
	aws_creds_free(c);

	control("/_state", "{\"down\": false, \"expires_in\": -10}");
	c = creds_new(&o);
	get_ok(c);
	control("/_state", "{\"down\": true}");
	assert_int_equal(aws_creds_get(c, &k, err, sizeof(err)), AWS_CREDS_RETRY);
	control("/_state", "{\"down\": false, \"expires_in\": 3600}");
	aws_creds_invalidate(c);
	assert_memory_equal(get_ok(c)->access_key_id, "ASIANODE", 8);
	aws_creds_free(c);
}

/* --- the ECS driver against the recording ECS endpoint --- */

static struct act_driver *driver(const char *region)
{
	struct ecs_driver_options o = {.region = region, .endpoint = srv.url, .timeout_ms = 2000,
				       .creds = task_role_only()};
	char err[256] = "";
	struct act_driver *d = ecs_driver_new(&o, err, sizeof(err));

	if (!d)
		fail_msg("ecs_driver_new: %s", err);
	return d;
}

static struct act_target ecs_target(const char *cluster, const char *arn)
{
	return (struct act_target){.orchestrator = RP_ORCH_ECS,
				   .ecs_cluster = {cluster, (uint32_t)strlen(cluster)},
				   .task_arn = {arn, (uint32_t)strlen(arn)}};
}

static enum act_status act(struct act_driver *d, enum rp_action action, const struct act_target *t,
			   struct act_reply *reply)
{
	struct act_call call = {.verdict_id = RP_STR("v-0001"), .rule_id = RP_STR("R042"),
				.rule_name = RP_STR("shell_in_container"), .action = action, .target = t};

	return d->act(d, &call, reply);
}

/* The i-th recorded ECS request (negative: from the end). */
static json_t *ecs_request(json_t *st, int i)
{
	json_t *log = json_object_get(st, "ecs");

	return json_array_get(log, i < 0 ? json_array_size(log) + (size_t)i : (size_t)i);
}

static const char *header(json_t *req, const char *name)
{
	return json_string_value(json_object_get(json_object_get(req, "headers"), name));
}

static void test_signed_describe_then_stop(void **state)
{
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver(NULL);
	struct act_reply r;
	json_t *st, *req;
	const char *auth;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_DONE);
	assert_string_equal(r.target, TASK_ARN);
	assert_int_equal(r.api_status, 200);
	assert_non_null(strstr(r.detail, "StopTask"));
	st = stats();
	assert_int_equal(json_array_size(json_object_get(st, "ecs")), 2);
	req = ecs_request(st, 0);
	assert_string_equal(header(req, "x-amz-target"), "AmazonEC2ContainerServiceV20141113.DescribeTasks");
	assert_string_equal(json_string_value(json_object_get(json_object_get(req, "body"), "cluster")), "prod");
	req = ecs_request(st, 1);
	assert_string_equal(header(req, "x-amz-target"), "AmazonEC2ContainerServiceV20141113.StopTask");
	assert_string_equal(header(req, "content-type"), "application/x-amz-json-1.1");
	assert_non_null(strstr(header(req, "x-amz-security-token"), "session-token-"));
	auth = header(req, "authorization");
	assert_non_null(auth);
	assert_memory_equal(auth, "AWS4-HMAC-SHA256 Credential=ASIATASK", 36);
	assert_non_null(strstr(auth, "/us-east-1/ecs/aws4_request"));
	assert_non_null(strstr(auth, "x-amz-security-token"));
	assert_non_null(strstr(auth, "Signature="));
	assert_string_equal(json_string_value(json_object_get(json_object_get(req, "body"), "task")), TASK_ARN);
	assert_string_equal(json_string_value(json_object_get(json_object_get(req, "body"), "reason")),
			    "rampart: shell_in_container (verdict v-0001)");
	json_decref(st);
	assert_string_equal(d->actor(d), "iam:role/rampart-task-role");
	d->free(d);
}

/* The scope follows the task's region, whatever the endpoint's host says. */
static void test_scope_from_arn_region(void **state)
{
	struct act_target t = ecs_target("", EU_TASK_ARN);
	struct act_driver *d = driver(NULL);
	struct act_reply r;
	json_t *st;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_DONE);
	st = stats();
	assert_non_null(strstr(header(ecs_request(st, -1), "authorization"), "/eu-west-1/ecs/aws4_request"));
	/* No cluster in the verdict: the one in the ARN. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(ecs_request(st, -1), "body"), "cluster")),
			    "prod");
	json_decref(st);
	d->free(d);
}

static void test_region_and_cluster_mismatch(void **state)
{
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver("us-west-2");
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_FAILED);
	assert_non_null(strstr(r.detail, "us-east-1"));
	d->free(d);
	d = driver(NULL);
	t = ecs_target("staging", TASK_ARN);
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_FAILED);
	assert_non_null(strstr(r.detail, "staging"));
	t = ecs_target("prod", "not/an:arn");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_FAILED);
	/* A bare task id has no region: none configured anywhere. */
	t = ecs_target("prod", "0123456789abcdef0123456789abcdef");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_FAILED);
	assert_non_null(strstr(r.detail, "no region"));
	assert_int_equal(count_of("ecs"), 0);
	d->free(d);
}

static void test_isolate_skipped(void **state)
{
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver(NULL);
	struct act_reply r;

	(void)state;
	assert_int_equal(act(d, RP_ACTION_ISOLATE, &t, &r), ACT_SKIPPED);
	assert_string_equal(r.detail, "ECS has no network isolation of a task; logged");
	assert_string_equal(r.target, TASK_ARN);
	assert_int_equal(count_of("ecs"), 0);
	d->free(d);
}

static void test_already_stopped_or_missing(void **state)
{
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver(NULL);
	struct act_reply r;

	(void)state;
	control("/_script", "[[200, {\"tasks\": [{\"taskArn\": \"" TASK_ARN "\", \"lastStatus\": \"STOPPED\", "
			    "\"desiredStatus\": \"STOPPED\", \"stoppedReason\": \"Essential container exited\"}], "
			    "\"failures\": []}],"
			    " [200, {\"tasks\": [], \"failures\": [{\"arn\": \"" TASK_ARN "\", \"reason\": \"MISSING\"}]}],"
			    " [200, {\"tasks\": [], \"failures\": [{\"arn\": \"" TASK_ARN "\", \"reason\": \"ACCESS\","
			    " \"detail\": \"no access to the task\"}]}]]");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_ALREADY_DONE);
	assert_non_null(strstr(r.detail, "Essential container exited"));
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_ALREADY_DONE);
	assert_non_null(strstr(r.detail, "MISSING"));
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_FAILED);
	assert_non_null(strstr(r.detail, "no access to the task"));
	assert_int_equal(count_of("ecs"), 3); /* never a StopTask */
	d->free(d);
}

struct error_case {
	const char *reply;
	enum act_status want;
	long status;
	const char *detail;
};

static void test_error_classes(void **state)
{
	static const struct error_case cases[] = {
		{"[400, {\"__type\": \"ThrottlingException\", \"message\": \"Rate exceeded\"}]", ACT_RETRY, 400,
		 "ThrottlingException: Rate exceeded"},
		{"[503, \"\"]", ACT_RETRY, 503, "HTTP 503"},
		{"[400, {\"__type\": \"AccessDeniedException\", \"Message\": \"User: x is not authorized\"}]",
		 ACT_FAILED, 400, "AccessDeniedException: User: x is not authorized"},
		{"[400, {\"__type\": \"com.amazonaws.ecs#ClusterNotFoundException\", \"message\": \"Cluster not "
		 "found.\"}]", ACT_FAILED, 400, "DescribeTasks: ClusterNotFoundException: Cluster not found."},
		{"[403, \"<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>bad sig</Message>"
		 "</Error></ErrorResponse>\"]", ACT_FAILED, 403, "SignatureDoesNotMatch: bad sig"},
		{"[404, \"\"]", ACT_FAILED, 404, "HTTP 404"},
	};
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver(NULL);
	char script[512];
	struct act_reply r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(script, sizeof(script), "[%s]", cases[i].reply);
		control("/_script", script);
		assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), cases[i].want);
		assert_int_equal(r.api_status, cases[i].status);
		if (!strstr(r.detail, cases[i].detail))
			fail_msg("case %zu: detail \"%s\" lacks \"%s\"", i, r.detail, cases[i].detail);
	}
	d->free(d);
}

/* An expired session token is retried with credentials fetched anew. */
static void test_expired_token_refetches(void **state)
{
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver(NULL);
	struct act_reply r;

	(void)state;
	control("/_script", "[[400, {\"__type\": \"ExpiredTokenException\", \"message\": \"expired\"}]]");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_RETRY);
	assert_int_equal(count_of("task_role"), 1);
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_DONE);
	assert_int_equal(count_of("task_role"), 2);
	d->free(d);
}

/* StopTask's "not found" counts as done only when DescribeTasks agrees. */
static void test_stop_not_found_confirmed(void **state)
{
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d = driver(NULL);
	struct act_reply r;

	(void)state;
	control("/_script", "[[200, {\"tasks\": [{\"taskArn\": \"" TASK_ARN "\", \"lastStatus\": \"RUNNING\"}]}],"
			    " [400, {\"__type\": \"InvalidParameterException\", \"message\": \"The referenced task was "
			    "not found.\"}],"
			    " [200, {\"tasks\": [], \"failures\": [{\"arn\": \"" TASK_ARN "\", \"reason\": \"MISSING\"}]}]]");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_ALREADY_DONE);
	assert_non_null(strstr(r.detail, "not found"));
	control("/_script", "[[200, {\"tasks\": [{\"taskArn\": \"" TASK_ARN "\", \"lastStatus\": \"RUNNING\"}]}],"
			    " [400, {\"__type\": \"ClientException\", \"message\": \"The referenced task was not found.\"}],"
			    " [200, {\"tasks\": [{\"taskArn\": \"" TASK_ARN "\", \"lastStatus\": \"RUNNING\"}]}]]");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_FAILED);
	assert_non_null(strstr(r.detail, "StopTask: ClientException: The referenced task was not found."));
	d->free(d);
}

static void test_ecs_timeout_is_retry(void **state)
{
	struct ecs_driver_options o = {.endpoint = srv.url, .timeout_ms = 300, .creds = task_role_only()};
	struct act_target t = ecs_target("prod", TASK_ARN);
	struct act_driver *d;
	struct act_reply r;
	char err[256];

	(void)state;
	d = ecs_driver_new(&o, err, sizeof(err));
	assert_non_null(d);
	assert_non_null(d->actor(d)); /* fetches the credentials before the hang */
	control("/_state", "{\"hang_s\": 1}");
	assert_int_equal(act(d, RP_ACTION_TERMINATE, &t, &r), ACT_RETRY);
	assert_int_equal(r.api_status, 0);
	assert_non_null(strstr(r.detail, "no answer"));
	control("/_state", "{\"hang_s\": 0}");
	d->free(d);
}

static void test_driver_options(void **state)
{
	struct ecs_driver_options o = {.endpoint = "http://ecs.example.com/", .creds = task_role_only()};
	char err[256] = "";

	(void)state;
	assert_null(ecs_driver_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "https"));
	o.endpoint = NULL;
	o.region = "us-east-1:evil";
	assert_null(ecs_driver_new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "region"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_env_keys_first, each_setup),
		cmocka_unit_test_setup(test_env_keys_half_set, each_setup),
		cmocka_unit_test_setup(test_no_source, each_setup),
		cmocka_unit_test_setup(test_task_role_full_uri, each_setup),
		cmocka_unit_test_setup(test_task_role_token_file, each_setup),
		cmocka_unit_test_setup(test_task_role_refused, each_setup),
		cmocka_unit_test_setup(test_full_uri_must_be_local_or_https, each_setup),
		cmocka_unit_test_setup(test_task_role_down_no_imds_fallback, each_setup),
		cmocka_unit_test_setup(test_imds_v2, each_setup),
		cmocka_unit_test_setup(test_imds_requires_token, each_setup),
		cmocka_unit_test_setup(test_imds_unreachable_is_retry, each_setup),
		cmocka_unit_test_setup(test_expiry_caching, each_setup),
		cmocka_unit_test_setup(test_refresh_failure, each_setup),
		cmocka_unit_test_setup(test_signed_describe_then_stop, each_setup),
		cmocka_unit_test_setup(test_scope_from_arn_region, each_setup),
		cmocka_unit_test_setup(test_region_and_cluster_mismatch, each_setup),
		cmocka_unit_test_setup(test_isolate_skipped, each_setup),
		cmocka_unit_test_setup(test_already_stopped_or_missing, each_setup),
		cmocka_unit_test_setup(test_error_classes, each_setup),
		cmocka_unit_test_setup(test_expired_token_refetches, each_setup),
		cmocka_unit_test_setup(test_stop_not_found_confirmed, each_setup),
		cmocka_unit_test_setup(test_ecs_timeout_is_retry, each_setup),
		cmocka_unit_test_setup(test_driver_options, each_setup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
