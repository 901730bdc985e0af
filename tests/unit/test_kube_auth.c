/* Kubernetes API credentials (actuator/kube_auth.c, kube_kubeconfig.c,
 * kube_exec.c) and the helpers under them: kubeconfig contexts and their
 * file vs -data forms, token vs tokenFile and its periodic re-read, refusals
 * (insecure-skip-tls-verify, http://, no current-context, malformed YAML
 * with file:line:col), exec credential plugins (shell scripts in a temp
 * dir: arguments, env, KUBERNETES_EXEC_INFO, expiry caching, re-run on 401,
 * failures), in-cluster configuration with an IPv6 host, and the JWT sub
 * claim naming the actor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kube_auth.h"
#include "kube_base64.h"
#include "kube_exec.h"
#include "kube_names.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* payload {"iss": ..., "sub": "system:serviceaccount:rampart:rampart-actuator", ...} */
#define SA_JWT                                                                                                 \
	"eyJhbGciOiAiUlMyNTYiLCAia2lkIjogIngifQ."                                                              \
	"eyJpc3MiOiAiaHR0cHM6Ly9rdWJlcm5ldGVzLmRlZmF1bHQuc3ZjIiwgInN1YiI6ICJzeXN0ZW06c2VydmljZWFjY291bnQ6cmFt" \
	"cGFydDpyYW1wYXJ0LWFjdHVhdG9yIiwgImt1YmVybmV0ZXMuaW8iOiB7Im5hbWVzcGFjZSI6ICJyYW1wYXJ0In19."           \
	"c2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2lnc2ln"
#define SA_SUB "system:serviceaccount:rampart:rampart-actuator"
#define CA_PEM "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"
#define CA_B64 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K"
#define T0 ((time_t)1800000000)

struct fx {
	char dir[64];
	char path[256];    /* the kubeconfig */
	char err[512];
	struct kube_auth *auth;
};

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/kube-auth-XXXXXX");
	if (!mkdtemp(f->dir))
		return free(f), -1;
	snprintf(f->path, sizeof(f->path), "%s/config", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	kube_auth_free(f->auth);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void write_at(const char *path, const char *text, mode_t mode)
{
	FILE *o = fopen(path, "w");

	assert_non_null(o);
	assert_int_equal(fputs(text, o) >= 0, 1);
	assert_int_equal(fclose(o), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* dir/name <- text; returns the full path (static buffer per call site use). */
static const char *write_file(struct fx *f, const char *name, const char *text, mode_t mode)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	write_at(path, text, mode);
	return path;
}

static struct kube_auth *load(struct fx *f, const char *yaml, const char *context)
{
	write_at(f->path, yaml, 0600);
	f->auth = kube_auth_from_kubeconfig(f->path, context, f->err, sizeof(f->err));
	return f->auth;
}

/* The Authorization header prepare added, or NULL. */
static const char *prepare(struct fx *f, time_t now, struct http_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->headers[0] = "Accept: application/json";
	assert_int_equal(kube_auth_prepare(f->auth, now, rq, f->err, sizeof(f->err)), KUBE_CRED_OK);
	assert_non_null(rq->tls);
	return rq->headers[1];
}

static void assert_starts(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)))
		fail_msg("\"%s\" does not start with \"%s\"", s, prefix);
}

static void assert_contains(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

/* ---- helpers ------------------------------------------------------------ */

static void test_base64(void **state)
{
	size_t n;
	char *s;

	(void)state;
	s = kube_base64_decode(CA_B64, strlen(CA_B64), &n);
	assert_non_null(s);
	assert_int_equal(n, strlen(CA_PEM));
	assert_string_equal(s, CA_PEM);
	free(s);
	s = kube_base64_decode("aGk/\n Pz8=", 10, &n); /* wrapped, padded, standard alphabet */
	assert_non_null(s);
	assert_memory_equal(s, "hi???", 5);
	free(s);
	s = kube_base64_decode("aGk_Pz8", 7, &n); /* URL alphabet, unpadded */
	assert_non_null(s);
	assert_memory_equal(s, "hi???", 5);
	free(s);
	assert_null(kube_base64_decode("a*b=", 4, &n));
	assert_null(kube_base64_decode("aGk=aGk=", 8, &n));
	assert_null(kube_base64_decode("a", 1, &n));
}

static void test_names(void **state)
{
	(void)state;
	assert_true(kube_dns_label("prod-1", 6));
	assert_false(kube_dns_label("Prod", 4));
	assert_false(kube_dns_label("-a", 2));
	assert_false(kube_dns_label("a.b", 3));
	assert_false(kube_dns_label("a/b", 3));
	assert_false(kube_dns_label("", 0));
	assert_true(kube_dns_subdomain("web-7d9f.abc", 12));
	assert_false(kube_dns_subdomain("web..abc", 8));
	assert_false(kube_dns_subdomain("../etc", 6));
	assert_false(kube_dns_subdomain("a%2fb", 5));
	assert_false(kube_dns_subdomain("a?x=1", 5));
	assert_true(kube_label_key("rampart.io/quarantine"));
	assert_true(kube_label_key("quarantine"));
	assert_false(kube_label_key("rampart.io/"));
	assert_false(kube_label_key("Bad_Prefix/x"));
	assert_true(kube_label_value("true"));
	assert_false(kube_label_value("a b"));
}

static void test_jwt_subject(void **state)
{
	char sub[128];

	(void)state;
	assert_int_equal(kube_jwt_subject(SA_JWT, sub, sizeof(sub)), 0);
	assert_string_equal(sub, SA_SUB);
	assert_int_equal(kube_jwt_subject("opaque-token", sub, sizeof(sub)), -1);
	assert_int_equal(kube_jwt_subject("a.b.c.d", sub, sizeof(sub)), -1);
	assert_int_equal(kube_jwt_subject("e30.e30.x", sub, sizeof(sub)), -1); /* {} has no sub */
	assert_int_equal(kube_jwt_subject(SA_JWT, sub, 8), -1);                /* does not fit */
}

static void test_rfc3339(void **state)
{
	(void)state;
	assert_int_equal(kube_rfc3339("2027-01-15T08:00:00Z"), 1800000000);
	assert_int_equal(kube_rfc3339("2027-01-15T08:00:00.123456Z"), 1800000000);
	assert_int_equal(kube_rfc3339("2027-01-15T10:00:00+02:00"), 1800000000);
	assert_int_equal(kube_rfc3339("2027-01-15 08:00:00"), -1);
	assert_int_equal(kube_rfc3339("2027-13-15T08:00:00Z"), -1);
	assert_int_equal(kube_rfc3339("2027-01-15T08:00:00+0200"), -1);
}

/* ---- kubeconfig ----------------------------------------------------------- */

#define KC_HEAD                                                                                                \
	"apiVersion: v1\n"                                                                                     \
	"kind: Config\n"                                                                                       \
	"clusters:\n"                                                                                          \
	"- name: dev\n"                                                                                        \
	"  cluster:\n"                                                                                         \
	"    server: https://dev.example:6443/\n"                                                              \
	"    certificate-authority: pki/ca.crt\n"                                                              \
	"- name: prod\n"                                                                                       \
	"  cluster:\n"                                                                                         \
	"    server: https://[2001:db8::1]:443\n"                                                              \
	"    certificate-authority-data: " CA_B64 "\n"

static const char kc_two_contexts[] = KC_HEAD
	"users:\n"
	"- name: alice\n"
	"  user:\n"
	"    token: alice-token\n"
	"- name: robot\n"
	"  user:\n"
	"    client-certificate-data: " CA_B64 "\n"
	"    client-key-data: a2V5\n"
	"- name: files\n"
	"  user:\n"
	"    client-certificate: /etc/robot.crt\n"
	"    client-key: keys/robot.key\n"
	"contexts:\n"
	"- name: dev-alice\n"
	"  context: {cluster: dev, user: alice}\n"
	"- name: prod-robot\n"
	"  context: {cluster: prod, user: robot}\n"
	"- name: dev-files\n"
	"  context: {cluster: dev, user: files}\n"
	"current-context: dev-alice\n";

static void test_kubeconfig_current_context(void **state)
{
	struct fx *f = *state;
	struct http_request rq;
	char ca[300];

	assert_non_null(load(f, kc_two_contexts, NULL));
	assert_string_equal(kube_auth_server(f->auth), "https://dev.example:6443");
	assert_string_equal(kube_auth_actor(f->auth), "kubeconfig user alice");
	assert_string_equal(prepare(f, T0, &rq), "Authorization: Bearer alice-token");
	snprintf(ca, sizeof(ca), "%s/pki/ca.crt", f->dir); /* relative to the kubeconfig */
	assert_string_equal(rq.tls->ca_file, ca);
	assert_null(rq.tls->ca_pem);
	assert_null(rq.tls->cert_file);
	assert_null(rq.tls->cert_pem);
	/* a static token cannot be refreshed: no point retrying a 401 */
	assert_false(kube_auth_on_unauthorized(f->auth));
}

static void test_kubeconfig_data_forms(void **state)
{
	struct fx *f = *state;
	struct http_request rq;

	assert_non_null(load(f, kc_two_contexts, "prod-robot"));
	assert_string_equal(kube_auth_server(f->auth), "https://[2001:db8::1]:443");
	assert_null(prepare(f, T0, &rq)); /* a certificate, no bearer token */
	assert_int_equal(rq.tls->ca_pem_len, strlen(CA_PEM));
	assert_memory_equal(rq.tls->ca_pem, CA_PEM, strlen(CA_PEM));
	assert_null(rq.tls->ca_file);
	assert_int_equal(rq.tls->cert_pem_len, strlen(CA_PEM));
	assert_int_equal(rq.tls->key_pem_len, 3);
	assert_memory_equal(rq.tls->key_pem, "key", 3);
	assert_string_equal(kube_auth_actor(f->auth), "kubeconfig user robot");
}

static void test_kubeconfig_file_forms(void **state)
{
	struct fx *f = *state;
	struct http_request rq;
	char key[300];

	assert_non_null(load(f, kc_two_contexts, "dev-files"));
	assert_null(prepare(f, T0, &rq));
	assert_string_equal(rq.tls->cert_file, "/etc/robot.crt");
	snprintf(key, sizeof(key), "%s/keys/robot.key", f->dir);
	assert_string_equal(rq.tls->key_file, key);
	assert_null(rq.tls->cert_pem);
}

static void test_kubeconfig_unknown_context(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, kc_two_contexts, "staging"));
	assert_contains(f->err, "no contexts entry named \"staging\"");
	assert_starts(f->err, f->path);
}

#define KC_USER(user_body)                                                                                     \
	"clusters:\n"                                                                                          \
	"- name: c\n"                                                                                          \
	"  cluster:\n"                                                                                         \
	"    server: https://127.0.0.1:6443\n"                                                                 \
	"    certificate-authority-data: " CA_B64 "\n"                                                         \
	"contexts:\n"                                                                                          \
	"- name: x\n"                                                                                          \
	"  context: {cluster: c, user: u}\n"                                                                   \
	"current-context: x\n"                                                                                 \
	"users:\n"                                                                                             \
	"- name: u\n"                                                                                          \
	"  user:\n" user_body

static void test_kubeconfig_token_file(void **state)
{
	struct fx *f = *state;
	struct http_request rq;

	write_file(f, "token", "first-token\n", 0600);
	/* tokenFile is the one that rotates: it wins over a static token */
	assert_non_null(load(f, KC_USER("    token: static\n    tokenFile: token\n"), NULL));
	assert_string_equal(prepare(f, T0, &rq), "Authorization: Bearer first-token");
	write_file(f, "token", "second-token", 0600);
	assert_string_equal(prepare(f, T0 + KUBE_TOKEN_REREAD_S - 1, &rq), "Authorization: Bearer first-token");
	assert_string_equal(prepare(f, T0 + KUBE_TOKEN_REREAD_S + 1, &rq), "Authorization: Bearer second-token");
	/* after a 401 it is re-read at once */
	write_file(f, "token", SA_JWT "\n", 0600);
	assert_true(kube_auth_on_unauthorized(f->auth));
	assert_string_equal(prepare(f, T0 + KUBE_TOKEN_REREAD_S + 2, &rq), "Authorization: Bearer " SA_JWT);
	assert_string_equal(kube_auth_actor(f->auth), SA_SUB);
	/* a vanished token file fails the request rather than sending a stale one */
	unlink(write_file(f, "token", "", 0600));
	assert_true(kube_auth_on_unauthorized(f->auth));
	memset(&rq, 0, sizeof(rq));
	assert_int_equal(kube_auth_prepare(f->auth, T0 + 200, &rq, f->err, sizeof(f->err)), KUBE_CRED_FAILED);
	assert_contains(f->err, "/token: No such file or directory");
}

static void test_kubeconfig_token_file_missing(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, KC_USER("    tokenFile: nowhere\n"), NULL));
	assert_contains(f->err, "/nowhere: No such file or directory");
}

static void test_kubeconfig_jwt_actor(void **state)
{
	struct fx *f = *state;

	assert_non_null(load(f, KC_USER("    token: " SA_JWT "\n"), NULL));
	assert_string_equal(kube_auth_actor(f->auth), SA_SUB);
}

static void test_kubeconfig_insecure_refused(void **state)
{
	struct fx *f = *state;
	char want[600];

	assert_null(load(f,
			 "clusters:\n"
			 "- name: c\n"
			 "  cluster:\n"
			 "    server: https://127.0.0.1:6443\n"
			 "    insecure-skip-tls-verify: true\n"
			 "contexts:\n"
			 "- {name: x, context: {cluster: c, user: u}}\n"
			 "users:\n"
			 "- {name: u, user: {token: t}}\n"
			 "current-context: x\n",
			 NULL));
	snprintf(want, sizeof(want), "%s:5:31: insecure-skip-tls-verify: true is refused", f->path);
	assert_starts(f->err, want);
	/* false is what it should be: accepted */
	assert_non_null(load(f,
			     "clusters:\n"
			     "- {name: c, cluster: {server: 'https://h', insecure-skip-tls-verify: false}}\n"
			     "contexts:\n"
			     "- {name: x, context: {cluster: c, user: u}}\n"
			     "users:\n"
			     "- {name: u, user: {token: t}}\n"
			     "current-context: x\n",
			     NULL));
}

static void test_kubeconfig_refusals(void **state)
{
	struct fx *f = *state;
	char want[600];

	assert_null(load(f, "clusters: []\ncontexts: []\nusers: []\n", NULL));
	snprintf(want, sizeof(want), "%s: no current-context is set and no context was given", f->path);
	assert_string_equal(f->err, want);

	assert_null(load(f,
			 "clusters:\n- {name: c, cluster: {server: 'http://h:8080'}}\n"
			 "contexts:\n- {name: x, context: {cluster: c, user: u}}\n"
			 "users:\n- {name: u, user: {token: t}}\ncurrent-context: x\n",
			 NULL));
	snprintf(want, sizeof(want), "%s:2:31: server must be an https:// URL", f->path);
	assert_starts(f->err, want);

	assert_null(load(f, KC_USER("    username: admin\n    password: secret\n"), NULL));
	assert_contains(f->err, "basic authentication (username/password) is not supported");
	assert_null(load(f, KC_USER("    client-certificate: a.crt\n"), NULL));
	assert_contains(f->err, "a client certificate needs its key");
	assert_null(load(f, KC_USER("    client-certificate-data: '***'\n    client-key-data: a2V5\n"), NULL));
	assert_contains(f->err, "client-certificate-data is not base64");
	assert_null(load(f, KC_USER("    {}\n"), NULL));
	assert_contains(f->err, "no credentials");
	assert_null(load(f, KC_USER("    token: \"two\\nlines\"\n"), NULL));
	assert_contains(f->err, "not allowed in a header");
	assert_null(load(f, KC_USER("    auth-provider: {name: gcp}\n"), NULL));
	assert_contains(f->err, "auth-provider plugins are not supported");
}

static void test_kubeconfig_malformed(void **state)
{
	struct fx *f = *state;
	char want[600];

	assert_null(load(f, "clusters:\n- name: c\n  cluster: {server: https://h\ncontexts: []\n", NULL));
	snprintf(want, sizeof(want), "%s:4:9: ", f->path);
	assert_starts(f->err, want);
	assert_null(load(f, "- just\n- a list\n", NULL));
	snprintf(want, sizeof(want), "%s:1:1: a kubeconfig is a mapping", f->path);
	assert_string_equal(f->err, want);
	assert_null(load(f, "", NULL));
	assert_contains(f->err, "empty kubeconfig");
	assert_null(kube_auth_from_kubeconfig("/nonexistent/config", NULL, f->err, sizeof(f->err)));
	assert_string_equal(f->err, "/nonexistent/config: No such file or directory");
}

/* ---- exec credential plugins --------------------------------------------- */

/* Records each run and what it was given next to itself, then prints an
 * ExecCredential for token $1 (suffixed with $GREETING) expiring at $2. */
static const char plugin_ok[] =
	"#!/bin/sh\n"
	"d=$(dirname \"$0\")\n"
	"echo run >>\"$d/runs\"\n"
	"printf '%s' \"$KUBERNETES_EXEC_INFO\" >\"$d/info\"\n"
	"[ -t 0 ] && echo 'stdin is a terminal' >&2 && exit 9\n"
	"printf '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
	"\"status\":{\"token\":\"%s-%s\",\"expirationTimestamp\":\"%s\"}}\\n' \"$1\" \"$GREETING\" \"$2\"\n";

#define KC_EXEC(exec_body)                                                                                     \
	KC_USER("    exec:\n"                                                                                  \
		"      apiVersion: client.authentication.k8s.io/v1\n"                                          \
		"      interactiveMode: Never\n" exec_body)

static int plugin_runs(struct fx *f)
{
	char path[300], line[16];
	int n = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/runs", f->dir);
	in = fopen(path, "r");
	if (!in)
		return 0;
	while (fgets(line, sizeof(line), in))
		n++;
	fclose(in);
	return n;
}

static void test_exec_plugin_cached_until_expiry(void **state)
{
	struct fx *f = *state;
	struct http_request rq;
	char info[600], path[300];
	FILE *in;

	write_file(f, "plugin.sh", plugin_ok, 0700);
	assert_non_null(load(f,
			     KC_EXEC("      command: ./plugin.sh\n"
				     "      args: [tok, '2027-01-15T09:00:00Z']\n"
				     "      env: [{name: GREETING, value: hello}]\n"
				     "      provideClusterInfo: true\n"),
			     NULL));
	assert_int_equal(plugin_runs(f), 0); /* not before it is needed */
	assert_string_equal(kube_auth_actor(f->auth), "kubeconfig user u");
	assert_string_equal(prepare(f, T0, &rq), "Authorization: Bearer tok-hello");
	assert_int_equal(plugin_runs(f), 1);
	assert_string_equal(prepare(f, T0 + 3000, &rq), "Authorization: Bearer tok-hello");
	assert_int_equal(plugin_runs(f), 1);
	/* close to expirationTimestamp (T0 + 3600): fetched again */
	assert_string_equal(prepare(f, T0 + 3590, &rq), "Authorization: Bearer tok-hello");
	assert_int_equal(plugin_runs(f), 2);
	/* a 401 re-runs it whatever the expiry says */
	assert_true(kube_auth_on_unauthorized(f->auth));
	prepare(f, T0 + 3591, &rq);
	assert_int_equal(plugin_runs(f), 3);

	snprintf(path, sizeof(path), "%s/info", f->dir);
	in = fopen(path, "r");
	assert_non_null(in);
	assert_non_null(fgets(info, sizeof(info), in));
	fclose(in);
	assert_contains(info, "\"kind\":\"ExecCredential\"");
	assert_contains(info, "\"apiVersion\":\"client.authentication.k8s.io/v1\"");
	assert_contains(info, "\"interactive\":false");
	assert_contains(info, "\"server\":\"https://127.0.0.1:6443\"");
	assert_contains(info, "\"certificate-authority-data\":\"" CA_B64 "\"");
}

static void test_exec_plugin_jwt_and_certificate(void **state)
{
	struct fx *f = *state;
	struct http_request rq;

	write_file(f, "plugin.sh",
		   "#!/bin/sh\n"
		   "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
		   "\"status\":{\"token\":\"" SA_JWT "\",\"clientCertificateData\":\"CERT\","
		   "\"clientKeyData\":\"KEY\"}}'\n",
		   0700);
	assert_non_null(load(f,
			     KC_USER("    exec:\n"
				     "      apiVersion: client.authentication.k8s.io/v1beta1\n"
				     "      command: ./plugin.sh\n"),
			     NULL));
	assert_string_equal(prepare(f, T0, &rq), "Authorization: Bearer " SA_JWT);
	assert_string_equal(kube_auth_actor(f->auth), SA_SUB);
	assert_memory_equal(rq.tls->cert_pem, "CERT", 4);
	assert_int_equal(rq.tls->key_pem_len, 3);
	/* without an expirationTimestamp: kept until a 401 */
	prepare(f, T0 + 86400 * 30, &rq);
}

/* A kubeconfig whose plugin is script; prepare must fail with want. */
static void expect_plugin_failure(struct fx *f, const char *script, const char *exec_extra,
				  enum kube_cred_status want, const char *message)
{
	char yaml[2048];
	struct http_request rq = {0};

	write_file(f, "plugin.sh", script, 0700);
	snprintf(yaml, sizeof(yaml), KC_EXEC("      command: ./plugin.sh\n%s"), exec_extra);
	kube_auth_free(f->auth);
	assert_non_null(load(f, yaml, NULL));
	assert_int_equal(kube_auth_prepare(f->auth, T0, &rq, f->err, sizeof(f->err)), want);
	assert_contains(f->err, message);
}

static void test_exec_plugin_failures(void **state)
{
	struct fx *f = *state;

	expect_plugin_failure(f, "#!/bin/sh\necho 'error: token expired,' >&2\necho 'run login' >&2\nexit 3\n",
			      "", KUBE_CRED_RETRY, "exit status 3: error: token expired, run login");
	expect_plugin_failure(f, "#!/bin/sh\necho not json\n", "", KUBE_CRED_FAILED, "output is not JSON");
	expect_plugin_failure(f,
			      "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":"
			      "\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"t\"}}'\n",
			      "", KUBE_CRED_FAILED, "apiVersion client.authentication.k8s.io/v1beta1, expected");
	expect_plugin_failure(f,
			      "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":"
			      "\"client.authentication.k8s.io/v1\",\"status\":{}}'\n",
			      "", KUBE_CRED_FAILED, "neither a token nor a client certificate");
	expect_plugin_failure(f,
			      "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":"
			      "\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"t\","
			      "\"expirationTimestamp\":\"tomorrow\"}}'\n",
			      "", KUBE_CRED_FAILED, "expirationTimestamp \"tomorrow\" is not RFC 3339");
	expect_plugin_failure(f, "#!/bin/sh\nkill -9 $$\n", "", KUBE_CRED_RETRY, "killed by signal 9");

	kube_auth_free(f->auth);
	assert_non_null(load(f,
			     KC_EXEC("      command: rampart-no-such-plugin\n"
				     "      installHint: install it from the vendor\n"),
			     NULL));
	assert_int_equal(kube_auth_prepare(f->auth, T0, &(struct http_request){0}, f->err, sizeof(f->err)),
			 KUBE_CRED_FAILED);
	assert_string_equal(f->err, "credential plugin rampart-no-such-plugin: cannot run: No such file or "
				    "directory. install it from the vendor");
}

static void test_exec_plugin_timeout(void **state)
{
	struct fx *f = *state;
	char cmd[300];
	struct kube_exec_config c = {.api_version = "client.authentication.k8s.io/v1", .command = cmd,
				     .timeout_ms = 300};
	struct kube_exec_cred cred;

	snprintf(cmd, sizeof(cmd), "%s", write_file(f, "slow.sh", "#!/bin/sh\nexec sleep 30\n", 0700));
	assert_int_equal(kube_exec_run(&c, &cred, f->err, sizeof(f->err)), KUBE_CRED_RETRY);
	assert_contains(f->err, "no answer within 300 ms");
	assert_null(cred.token);
}

static void test_exec_config_refusals(void **state)
{
	struct fx *f = *state;

	assert_null(load(f, KC_USER("    exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}\n"),
			 NULL));
	assert_contains(f->err, "exec apiVersion must be");
	assert_null(load(f, KC_USER("    exec: {apiVersion: client.authentication.k8s.io/v1, command: x, "
				    "interactiveMode: Always}\n"),
			 NULL));
	assert_contains(f->err, "interactiveMode Always needs a terminal");
	assert_null(load(f, KC_EXEC("      args: [a]\n"), NULL));
	assert_contains(f->err, "exec has no command");
	assert_null(load(f, KC_EXEC("      command: x\n      env: [{value: v}]\n"), NULL));
	assert_contains(f->err, "env entries need a name");
	assert_null(load(f, KC_USER("    token: t\n    exec: {apiVersion: client.authentication.k8s.io/v1, "
				    "command: x}\n"),
			 NULL));
	assert_contains(f->err, "either a token (or tokenFile) or exec");
}

/* ---- in-cluster ------------------------------------------------------------ */

static struct kube_auth *in_cluster(struct fx *f, const char *host, const char *port)
{
	char token[300], ca[300];

	snprintf(token, sizeof(token), "%s", write_file(f, "sa-token", SA_JWT, 0600));
	snprintf(ca, sizeof(ca), "%s", write_file(f, "ca.crt", CA_PEM, 0644));
	if (host)
		setenv("KUBERNETES_SERVICE_HOST", host, 1);
	else
		unsetenv("KUBERNETES_SERVICE_HOST");
	setenv("KUBERNETES_SERVICE_PORT", port, 1);
	kube_auth_free(f->auth);
	f->auth = kube_auth_in_cluster(token, ca, f->err, sizeof(f->err));
	return f->auth;
}

static void test_in_cluster(void **state)
{
	struct fx *f = *state;
	struct http_request rq;

	assert_non_null(in_cluster(f, "fd00:10:96::1", "443"));
	assert_string_equal(kube_auth_server(f->auth), "https://[fd00:10:96::1]:443");
	assert_string_equal(kube_auth_actor(f->auth), SA_SUB);
	assert_string_equal(prepare(f, T0, &rq), "Authorization: Bearer " SA_JWT);
	assert_contains(rq.tls->ca_file, "/ca.crt");
	assert_true(kube_auth_on_unauthorized(f->auth));

	assert_non_null(in_cluster(f, "10.96.0.1", "6443"));
	assert_string_equal(kube_auth_server(f->auth), "https://10.96.0.1:6443");

	assert_null(in_cluster(f, NULL, "443"));
	assert_contains(f->err, "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	f->auth = kube_auth_in_cluster(NULL, "/nonexistent/ca.crt", f->err, sizeof(f->err));
	assert_null(f->auth);
	assert_string_equal(f->err, "/nonexistent/ca.crt: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_jwt_subject),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test_setup_teardown(test_kubeconfig_current_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_data_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_file_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_unknown_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_token_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_token_file_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_jwt_actor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_insecure_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_plugin_cached_until_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_plugin_jwt_and_certificate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_plugin_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_plugin_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_config_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_cluster, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
