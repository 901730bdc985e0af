/* rampart-console's API over real HTTP (console_start on 127.0.0.1:0,
 * libcurl as the client), the dir store over a temporary copy of the
 * shipped rules: every rule of the managed-ruleset procedure, the roles,
 * the audit log, the ECS notes, TLS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "console.h"
#include "console_config.h"

#define ADMIN "admin-token-00000000000000000001"
#define READER "read-token-000000000000000000002"

struct env {
	char dir[256], log[300];
	int saved_stderr;
	struct console_config cfg;
	struct console *c;
	char base[64];
};

struct resp {
	long status;
	json_t *json;
	char auth_header[256];
};

static void run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

struct body {
	char *p;
	size_t n;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct body *b = ctx;
	char *more = realloc(b->p, b->n + size * n + 1);

	if (!more)
		return 0;
	memcpy(more + b->n, p, size * n);
	b->p = more;
	b->n += size * n;
	b->p[b->n] = 0;
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct resp *r = ctx;
	if (n * size > 18 && strncasecmp(p, "WWW-Authenticate:", 17) == 0)
		snprintf(r->auth_header, sizeof(r->auth_header), "%.*s", (int)(n * size - 18), p + 18);
	return size * n;
}

/* method path [token] [body]; extra curl setup for TLS through ca */
static struct resp call_ca(const struct env *e, const char *method, const char *path, const char *token,
			   const char *body, const char *base, const char *ca)
{
	struct resp r = {0};
	struct body b = {0};
	char url[512], auth[128];
	struct curl_slist *h = NULL;
	CURL *c = curl_easy_init();

	assert_non_null(c);
	snprintf(url, sizeof(url), "%s%s", base ? base : e->base, path);
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	r.json = b.p ? json_loads(b.p, JSON_DECODE_ANY, NULL) : NULL;
	free(b.p);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return r;
}

static struct resp call(const struct env *e, const char *method, const char *path, const char *token,
			const char *body)
{
	return call_ca(e, method, path, token, body, NULL, NULL);
}

static const char *str(const json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* Expects status and, for errors, the field and a piece of the message. */
static void expect(const struct env *e, const char *method, const char *path, const char *body, long status,
		   const char *field, const char *msg_part)
{
	struct resp r = call(e, method, path, ADMIN, body);
	const char *msg = r.json ? str(r.json, "error") : NULL;

	if (r.status != status || (field && (!str(r.json, "field") || strcmp(str(r.json, "field"), field))) ||
	    (msg_part && (!msg || !strstr(msg, msg_part))))
		print_error("%s %s %s\n  got %ld %s\n", method, path, body ? body : "", r.status,
			    r.json ? json_dumps(r.json, JSON_COMPACT) : "(no body)");
	assert_int_equal(r.status, status);
	if (field)
		assert_string_equal(str(r.json, "field"), field);
	if (msg_part)
		assert_non_null(strstr(msg, msg_part));
	json_decref(r.json);
}

static int start(struct env *e, const char *extra_yaml)
{
	char yaml[2048], path[300], err[512];
	char *envp[] = {NULL};

	snprintf(path, sizeof(path), "%s/console.yaml", e->dir);
	snprintf(yaml, sizeof(yaml),
		 "console:\n  listen: 127.0.0.1:0\n  tokens_file: %s/tokens\n"
		 "  rules: [%s/rules/catalog, %s/rules/policies, %s/rules/clusters]\n"
		 "  rulesets_dir: %s/rules/rulesets\n%s",
		 e->dir, e->dir, e->dir, e->dir, e->dir, extra_yaml ? extra_yaml : "");
	write_file(path, yaml);
	if (console_config_load(&e->cfg, path, envp, err, sizeof(err)))
		return fprintf(stdout, "config: %s\n", err), -1;
	if (!(e->c = console_start(&e->cfg, err, sizeof(err))))
		return fprintf(stdout, "start: %s\n", err), -1;
	snprintf(e->base, sizeof(e->base), "%s://127.0.0.1:%u", extra_yaml ? "https" : "http", console_port(e->c));
	return 0;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char tokens[300];

	snprintf(e->dir, sizeof(e->dir), "%s/rampart-console-test.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(e->dir))
		return -1;
	run("cp -r '%s' '%s/rules'", RP_RULES_DIR, e->dir);
	snprintf(tokens, sizeof(tokens), "%s/tokens", e->dir);
	write_file(tokens, "# test tokens\n" ADMIN " admin alice\n" READER " read bob\n");
	/* the console logs to stderr: keep it in a file the tests read */
	snprintf(e->log, sizeof(e->log), "%s/console.log", e->dir);
	fflush(stderr);
	e->saved_stderr = dup(2);
	FILE *f = freopen(e->log, "w", stderr);
	if (!f)
		return -1;
	setvbuf(stderr, NULL, _IONBF, 0);
	*state = e;
	return start(e, NULL);
}

/* cmocka's failure messages went to the captured stderr too: show every
 * line that is not one of the console's JSON log lines. */
static void show_test_output(const struct env *e)
{
	FILE *f = fopen(e->log, "r");
	char line[4096];

	while (f && fgets(line, sizeof(line), f))
		if (line[0] != '{')
			fputs(line, stderr);
	if (f)
		fclose(f);
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[600];

	console_stop(e->c);
	console_config_free(&e->cfg);
	fflush(stderr);
	dup2(e->saved_stderr, 2);
	close(e->saved_stderr);
	show_test_output(e);
	if (getenv("RAMPART_TEST_KEEP"))
		fprintf(stdout, "kept %s\n", e->dir);
	else {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
		if (system(cmd) != 0)
			return -1;
	}
	free(e);
	return 0;
}

static int log_has(const struct env *e, const char *a, const char *b)
{
	FILE *f = fopen(e->log, "r");
	char line[4096];
	int found = 0;

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, a) && (!b || strstr(line, b));
	fclose(f);
	return found;
}

static int file_exists(const struct env *e, const char *rel)
{
	char path[600];
	struct stat st;
	snprintf(path, sizeof(path), "%s/rules/%s", e->dir, rel);
	return stat(path, &st) == 0;
}

/* ---- 1. the Managed rulesets view ---------------------------------------- */

static void test_list_and_catalog(void **state)
{
	struct env *e = *state;
	struct resp r = call(e, "GET", "/api/v1/rulesets", ADMIN, NULL);
	json_t *rs, *all = NULL;
	size_t i;

	assert_int_equal(r.status, 200);
	json_array_foreach(json_object_get(r.json, "rulesets"), i, rs)
		if (strcmp(str(rs, "name"), "all_rules.log") == 0)
			all = rs;
	assert_non_null(all);
	assert_non_null(str(all, "description"));
	assert_true(json_integer_value(json_object_get(all, "enabled_rules")) > 50);
	assert_int_equal(json_array_size(json_object_get(all, "policies")), 2); /* default, log_only */
	assert_true(json_is_true(json_object_get(all, "managed")));
	json_decref(r.json);

	r = call(e, "GET", "/api/v1/rules", READER, NULL);
	assert_int_equal(r.status, 200);
	json_t *first = json_array_get(json_object_get(r.json, "rules"), 0);
	assert_string_equal(str(first, "id"), "RP1001");
	assert_string_equal(str(first, "technique_url"), "https://attack.mitre.org/techniques/T1059/004/");
	assert_string_equal(str(first, "tactic_name"), "Execution");
	assert_non_null(str(first, "severity"));
	json_decref(r.json);
}

/* ---- authentication and roles --------------------------------------------- */

static void test_auth_roles(void **state)
{
	struct env *e = *state;
	struct resp r = call(e, "GET", "/api/v1/rulesets", NULL, NULL);

	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.auth_header, "Bearer"));
	json_decref(r.json);
	r = call(e, "GET", "/api/v1/rulesets", "not-a-token-not-a-token", NULL);
	assert_int_equal(r.status, 401);
	json_decref(r.json);
	r = call(e, "GET", "/api/v1/whoami", READER, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "name"), "bob");
	assert_string_equal(str(r.json, "role"), "read");
	json_decref(r.json);
	r = call(e, "POST", "/api/v1/rulesets", READER, "{\"name\":\"by_reader\",\"rules\":[]}");
	assert_int_equal(r.status, 403);
	json_decref(r.json);
	r = call(e, "DELETE", "/api/v1/rulesets/all_rules.log", READER, NULL);
	assert_int_equal(r.status, 403);
	json_decref(r.json);
	assert_false(file_exists(e, "rulesets/by_reader.yaml"));
	assert_true(log_has(e, "\"console change refused\"", "\"who\":\"bob\""));
	/* the UI is served without a token */
	r = call(e, "GET", "/", NULL, NULL);
	assert_int_equal(r.status, 200);
	json_decref(r.json);
}

/* ---- 2-8. create ---------------------------------------------------------- */

#define RULES_3 "[{\"id\":\"RP1001\",\"enabled\":true,\"action\":\"log\"},"   \
		"{\"id\":\"RP1002\",\"enabled\":true,\"action\":\"isolate\"}," \
		"{\"id\":\"RP1003\",\"enabled\":true,\"action\":\"terminate\"}]"

static void test_create(void **state)
{
	struct env *e = *state;
	struct resp r = call(e, "POST", "/api/v1/rulesets", ADMIN,
			     "{\"name\":\"web.strict_v2\",\"description\":\"Strict web tier\","
			     "\"labels\":{\"env\":\"prod\",\"app.kubernetes.io/tier\":\"web\"},\"rules\":" RULES_3 "}");

	assert_int_equal(r.status, 201);
	assert_string_equal(str(r.json, "name"), "web.strict_v2");
	assert_string_equal(str(r.json, "description"), "Strict web tier");
	assert_int_equal(json_integer_value(json_object_get(r.json, "enabled_rules")), 3);
	assert_string_equal(str(json_object_get(r.json, "labels"), "app.kubernetes.io/tier"), "web");
	assert_string_equal(str(json_array_get(json_object_get(r.json, "rules"), 2), "action"), "terminate");
	json_decref(r.json);
	assert_true(file_exists(e, "rulesets/web.strict_v2.yaml"));
	assert_true(log_has(e, "\"msg\":\"ruleset created\"", "\"who\":\"alice\""));
	/* listed, with its description */
	r = call(e, "GET", "/api/v1/rulesets/web.strict_v2", READER, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "description"), "Strict web tier");
	json_decref(r.json);
}

static void test_invalid_names(void **state)
{
	struct env *e = *state;
	char body[512];
	char long_name[200];

	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"web strict\",\"rules\":[]}", 400, "name",
	       "character ' ' is not allowed");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"web-strict\",\"rules\":[]}", 400, "name",
	       "character '-' is not allowed");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"web/strict\",\"rules\":[]}", 400, "name",
	       "character '/' is not allowed");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"\",\"rules\":[]}", 400, "name", "non-empty");
	expect(e, "POST", "/api/v1/rulesets", "{\"rules\":[]}", 400, "name", "required");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":7,\"rules\":[]}", 400, "name", "must be a string");
	memset(long_name, 'a', 129);
	long_name[129] = 0;
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"rules\":[]}", long_name);
	expect(e, "POST", "/api/v1/rulesets", body, 400, "name", "longer than 128");
	long_name[128] = 0; /* exactly the limit is fine */
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"rules\":[]}", long_name);
	expect(e, "POST", "/api/v1/rulesets?dry_run=true", body, 200, NULL, NULL);
	assert_false(file_exists(e, "rulesets/web strict.yaml"));
	assert_true(log_has(e, "\"console change refused\"", "character ' ' is not allowed"));
}

static void test_duplicate_name(void **state)
{
	struct env *e = *state;
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"all_rules.log\",\"rules\":[]}", 409, "name", "is taken");
	/* also a ruleset defined in an unmanaged multi-entry file */
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"prod.enforce\",\"rules\":[]}", 409, "name", "is taken");
	expect(e, "POST", "/api/v1/rulesets?dry_run=true", "{\"name\":\"all_rules.log\",\"rules\":[]}", 409, "name",
	       "is taken");
}

static void test_labels_syntax(void **state)
{
	struct env *e = *state;
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"lab1\",\"labels\":{\"env\":\"prod\",\"bad key\":\"x\"},\"rules\":[]}",
	       400, "labels[1].key", "invalid label key 'bad key'");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"lab1\",\"labels\":{\"env\":\"-prod\"},\"rules\":[]}", 400,
	       "labels[0].value", "invalid label value '-prod'");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"lab1\",\"labels\":{\"Example.com/x\":\"y\"},\"rules\":[]}",
	       400, "labels[0].key", "prefix");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"lab1\",\"labels\":{\"env\":1},\"rules\":[]}", 400,
	       "labels[0].value", "must be a string");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"lab1\",\"labels\":[\"env=prod\"],\"rules\":[]}", 400, "labels",
	       NULL);
	/* an empty value is valid Kubernetes syntax */
	expect(e, "POST", "/api/v1/rulesets?dry_run=true", "{\"name\":\"lab1\",\"labels\":{\"canary\":\"\"},\"rules\":[]}",
	       200, NULL, NULL);
	assert_false(file_exists(e, "rulesets/lab1.yaml"));
}

static void test_rules_and_actions(void **state)
{
	struct env *e = *state;
	expect(e, "POST", "/api/v1/rulesets",
	       "{\"name\":\"r1\",\"rules\":[{\"id\":\"RP1001\",\"action\":\"log\"},{\"id\":\"RP9999\",\"action\":\"log\"}]}",
	       400, "rules[1].id", "unknown rule id 'RP9999'");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\",\"rules\":[{\"id\":\"RP1001\",\"action\":\"explode\"}]}",
	       400, "rules[0].action", "unknown action 'explode' (expected log|isolate|terminate)");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\",\"rules\":[{\"id\":\"RP1001\"}]}", 400, "rules[0].action",
	       "missing key 'action'");
	expect(e, "POST", "/api/v1/rulesets",
	       "{\"name\":\"r1\",\"rules\":[{\"id\":\"RP1001\",\"action\":\"log\"},{\"id\":\"RP1001\",\"action\":\"log\"}]}",
	       400, "rules[1].id", "duplicate rule id");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\",\"rules\":[{\"id\":\"RP1001\",\"enabled\":\"yes\",\"action\":\"log\"}]}",
	       400, "rules[0].enabled", "true or false");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\",\"rules\":[{\"id\":\"RP1001\",\"action\":\"log\",\"x\":1}]}",
	       400, "rules[0].x", "unknown field");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\",\"rulez\":[]}", 400, "rulez", "unknown field");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\"", 400, NULL, "not valid JSON");
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"r1\",\"name\":\"r2\",\"rules\":[]}", 400, NULL, "duplicate");
	assert_false(file_exists(e, "rulesets/r1.yaml"));
}

/* Values that could break a hand-made YAML document stay data. */
static void test_hostile_text(void **state)
{
	struct env *e = *state;
	struct resp r = call(e, "POST", "/api/v1/rulesets", ADMIN,
			     "{\"name\":\"odd.text\",\"description\":\"a\\\"b\\nrulesets: [x]\\\\ \\u00e9 \\ud83d\\ude00 \\u0085\","
			     "\"rules\":[]}");
	assert_int_equal(r.status, 201);
	assert_string_equal(str(r.json, "description"), "a\"b\nrulesets: [x]\\ \xc3\xa9 \xf0\x9f\x98\x80 \xc2\x85");
	json_decref(r.json);
	expect(e, "DELETE", "/api/v1/rulesets/odd.text", NULL, 204, NULL, NULL);
}

/* ---- editing, duplicating, deleting -------------------------------------- */

static void test_update_and_rename(void **state)
{
	struct env *e = *state;
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"edit.me\",\"rules\":[{\"id\":\"RP1001\",\"action\":\"log\"}]}", 201,
	       NULL, NULL);
	expect(e, "PUT", "/api/v1/rulesets/edit.me", "{\"name\":\"edit.you\",\"rules\":[]}", 400, "name",
	       "cannot be changed");
	assert_false(file_exists(e, "rulesets/edit.you.yaml"));
	expect(e, "PUT", "/api/v1/rulesets/edit.me",
	       "{\"description\":\"now with labels\",\"labels\":{\"env\":\"dev\"},"
	       "\"rules\":[{\"id\":\"RP1001\",\"enabled\":false,\"action\":\"terminate\"}]}",
	       200, NULL, NULL);
	struct resp r = call(e, "GET", "/api/v1/rulesets/edit.me", READER, NULL);
	assert_string_equal(str(r.json, "description"), "now with labels");
	assert_int_equal(json_integer_value(json_object_get(r.json, "enabled_rules")), 0);
	assert_string_equal(str(json_array_get(json_object_get(r.json, "rules"), 0), "action"), "terminate");
	json_decref(r.json);
	expect(e, "PUT", "/api/v1/rulesets/edit.me", "{\"name\":\"edit.me\",\"rules\":[{\"id\":\"RP1\",\"action\":\"log\"}]}",
	       400, "rules[0].id", "unknown rule id");
	assert_true(log_has(e, "\"msg\":\"ruleset updated\"", "\"name\":\"edit.me\""));
	/* duplicating = creating a copy under a new name */
	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"edit.me.copy\",\"rules\":[{\"id\":\"RP1001\",\"action\":\"log\"}]}",
	       201, NULL, NULL);
	expect(e, "PUT", "/api/v1/rulesets/nope", "{\"rules\":[]}", 404, "name", NULL);
	expect(e, "GET", "/api/v1/rulesets/nope", NULL, 404, "name", NULL);
	/* defined in a multi-entry file the console does not manage */
	expect(e, "PUT", "/api/v1/rulesets/prod.enforce", "{\"rules\":[]}", 409, "name", "does not manage");
	expect(e, "DELETE", "/api/v1/rulesets/network.isolate", NULL, 409, "name", "does not manage");
}

static void test_delete_in_use(void **state)
{
	struct env *e = *state;
	struct resp r;

	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"in.use\",\"rules\":[{\"id\":\"RP1002\",\"action\":\"isolate\"}]}",
	       201, NULL, NULL);
	expect(e, "POST", "/api/v1/policies", "{\"name\":\"payments\",\"rulesets\":[\"all_rules.log\",\"in.use\"]}", 201,
	       NULL, NULL);
	r = call(e, "DELETE", "/api/v1/rulesets/in.use", ADMIN, NULL);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(str(r.json, "error"), "used by policy 'payments'"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.json, "policies"), 0)), "payments");
	json_decref(r.json);
	assert_true(file_exists(e, "rulesets/in.use.yaml"));
	/* the list names the policy using it */
	r = call(e, "GET", "/api/v1/rulesets/in.use", READER, NULL);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.json, "policies"), 0)), "payments");
	json_decref(r.json);
	/* a policy used by a cluster cannot go either */
	expect(e, "POST", "/api/v1/clusters", "{\"name\":\"pay-eu-1\",\"orchestrator\":\"kubernetes\",\"policy\":\"payments\"}",
	       201, NULL, NULL);
	expect(e, "DELETE", "/api/v1/policies/payments", NULL, 409, "name", "used by cluster 'pay-eu-1'");
	expect(e, "DELETE", "/api/v1/clusters/pay-eu-1", NULL, 204, NULL, NULL);
	expect(e, "DELETE", "/api/v1/policies/payments?dry_run=true", NULL, 200, NULL, NULL);
	expect(e, "DELETE", "/api/v1/policies/payments", NULL, 204, NULL, NULL);
	expect(e, "DELETE", "/api/v1/rulesets/in.use", NULL, 204, NULL, NULL);
	assert_false(file_exists(e, "rulesets/in.use.yaml"));
	assert_false(file_exists(e, "rulesets/policies/payments.yaml"));
	assert_true(log_has(e, "\"msg\":\"ruleset deleted\"", "\"who\":\"alice\""));
	expect(e, "DELETE", "/api/v1/rulesets/in.use", NULL, 404, "name", NULL);
}

/* ---- ECS: what will happen there ------------------------------------------ */

static void test_ecs_notes(void **state)
{
	struct env *e = *state;
	struct resp r;
	json_t *ecs;

	expect(e, "POST", "/api/v1/rulesets", "{\"name\":\"ecs.rs\",\"rules\":[{\"id\":\"RP1003\",\"action\":\"terminate\"}]}",
	       201, NULL, NULL);
	expect(e, "POST", "/api/v1/policies", "{\"name\":\"ecs_pol\",\"rulesets\":[\"ecs.rs\"]}", 201, NULL, NULL);
	expect(e, "POST", "/api/v1/clusters", "{\"name\":\"ecs-old\",\"orchestrator\":\"ecs\",\"policy\":\"ecs_pol\"}", 400,
	       "protection_version", "missing key 'protection_version'");
	expect(e, "POST", "/api/v1/clusters",
	       "{\"name\":\"ecs-old\",\"orchestrator\":\"ecs\",\"policy\":\"ecs_pol\",\"protection_version\":\"2.x\"}", 400,
	       "protection_version", "invalid protection_version");
	expect(e, "POST", "/api/v1/clusters",
	       "{\"name\":\"ecs-old\",\"orchestrator\":\"ecs\",\"policy\":\"ecs_pol\",\"protection_version\":\"2.2.2\"}", 201,
	       NULL, NULL);
	expect(e, "POST", "/api/v1/clusters",
	       "{\"name\":\"ecs-new\",\"orchestrator\":\"ecs\",\"policy\":\"ecs_pol\",\"protection_version\":\"2.10.0\"}", 201,
	       NULL, NULL);
	expect(e, "POST", "/api/v1/clusters", "{\"name\":\"k\",\"orchestrator\":\"kubernetes\",\"policy\":\"nope\"}", 400,
	       "policy", "unknown policy 'nope'");
	r = call(e, "GET", "/api/v1/rulesets/ecs.rs", READER, NULL);
	ecs = json_object_get(r.json, "ecs");
	assert_int_equal(json_array_size(ecs), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *c = json_array_get(ecs, i);
		assert_string_equal(str(c, "isolate"), "log");
		assert_string_equal(str(c, "terminate"), strcmp(str(c, "cluster"), "ecs-old") == 0 ? "log" : "terminate");
	}
	json_decref(r.json);
}

/* ---- the HTTP surface ------------------------------------------------------ */

static void test_http_surface(void **state)
{
	struct env *e = *state;
	char *big = malloc(2 * 1024 * 1024);

	expect(e, "PATCH", "/api/v1/rulesets/all_rules.log", "{}", 405, NULL, NULL);
	expect(e, "GET", "/api/v1/things", NULL, 404, NULL, NULL);
	expect(e, "GET", "/api/v1/rulesets/a/b", NULL, 404, NULL, NULL);
	expect(e, "GET", "/api/v2/rulesets", NULL, 404, NULL, NULL);
	expect(e, "POST", "/api/v1/rulesets", "[1,2]", 400, NULL, "must be a JSON object");
	assert_non_null(big);
	memset(big, ' ', 2 * 1024 * 1024 - 1);
	big[2 * 1024 * 1024 - 1] = 0;
	expect(e, "POST", "/api/v1/rulesets", big, 413, NULL, NULL);
	free(big);
}

/* ---- TLS -------------------------------------------------------------------- */

static void test_tls(void **state)
{
	struct env *e = *state, t = {0};
	char extra[800], ca[300];
	struct resp r;

	snprintf(t.dir, sizeof(t.dir), "%s", e->dir);
	run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
	    "-keyout '%s/key.pem' -out '%s/cert.pem' >/dev/null 2>&1", e->dir, e->dir);
	snprintf(extra, sizeof(extra), "  tls_cert: %s/cert.pem\n  tls_key: %s/key.pem\n", e->dir, e->dir);
	assert_int_equal(start(&t, extra), 0);
	snprintf(ca, sizeof(ca), "%s/cert.pem", e->dir);
	r = call_ca(&t, "GET", "/api/v1/whoami", ADMIN, NULL, NULL, ca);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "name"), "alice");
	json_decref(r.json);
	console_stop(t.c);
	console_config_free(&t.cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_catalog), cmocka_unit_test(test_auth_roles),
		cmocka_unit_test(test_create),		 cmocka_unit_test(test_invalid_names),
		cmocka_unit_test(test_duplicate_name),	 cmocka_unit_test(test_labels_syntax),
		cmocka_unit_test(test_rules_and_actions), cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_update_and_rename), cmocka_unit_test(test_delete_in_use),
		cmocka_unit_test(test_ecs_notes),	 cmocka_unit_test(test_http_surface),
		cmocka_unit_test(test_tls),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
