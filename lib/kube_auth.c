#include "kube_auth_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kube_base64.h"

#define KUBE_MAX_CRED_FILE (1u << 20)
/* Fetch a plugin credential this long before it expires, so a request is
 * never sent with one that lapses in flight. */
#define KUBE_EXPIRY_MARGIN_S 30

char *kube_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	else if ((unsigned long)size > KUBE_MAX_CRED_FILE)
		snprintf(err, errlen, "%s: larger than %u bytes", path, KUBE_MAX_CRED_FILE);
	else if (!(data = malloc((size_t)size + 1)))
		snprintf(err, errlen, "%s: out of memory", path);
	else if (fread(data, 1, (size_t)size, f) != (size_t)size) {
		snprintf(err, errlen, "%s: read error", path);
		free(data);
		data = NULL;
	} else {
		data[size] = 0;
		*len = (size_t)size;
	}
	fclose(f);
	return data;
}

int kube_jwt_subject(const char *token, char *out, size_t outlen)
{
	const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	const char *sub;
	size_t len;
	char *payload;
	json_t *claims;
	int rc = -1;

	if (!dot2 || strchr(dot2 + 1, '.'))
		return -1;
	payload = kube_base64_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &len);
	if (!payload)
		return -1;
	claims = json_loadb(payload, len, 0, NULL);
	sub = json_string_value(json_object_get(claims, "sub"));
	if (sub && *sub && strlen(sub) < outlen) {
		memcpy(out, sub, strlen(sub) + 1);
		rc = 0;
	}
	json_decref(claims);
	free(payload);
	return rc;
}

static void update_actor(struct kube_auth *a)
{
	char sub[256];

	if (a->token && kube_jwt_subject(a->token, sub, sizeof(sub)) == 0)
		snprintf(a->actor, sizeof(a->actor), "%s", sub);
	else if (a->user)
		snprintf(a->actor, sizeof(a->actor), "kubeconfig user %s", a->user);
	else
		snprintf(a->actor, sizeof(a->actor), "in-cluster service account");
}

static void drop_token(struct kube_auth *a)
{
	free(a->token);
	free(a->auth_header);
	a->token = a->auth_header = NULL;
}

int kube_auth_set_token(struct kube_auth *a, const char *token, size_t len, char *err, size_t errlen)
{
	char *copy, *header;

	while (len && (token[len - 1] == '\n' || token[len - 1] == '\r' || token[len - 1] == ' '))
		len--;
	if (!len)
		return snprintf(err, errlen, "the token is empty"), -1;
	for (size_t i = 0; i < len; i++) {
		/* a token must not be able to end the header or add another */
		if (token[i] < 0x21 || token[i] > 0x7e)
			return snprintf(err, errlen, "the token holds characters not allowed in a header"), -1;
	}
	copy = strndup(token, len);
	if (!copy || asprintf(&header, "Authorization: Bearer %s", copy) < 0) {
		free(copy);
		return snprintf(err, errlen, "out of memory"), -1;
	}
	drop_token(a);
	a->token = copy;
	a->auth_header = header;
	update_actor(a);
	return 0;
}

static int read_token_file(struct kube_auth *a, time_t now, char *err, size_t errlen)
{
	size_t len;
	char *data = kube_read_file(a->token_file, &len, err, errlen);
	char why[160];

	if (!data)
		return -1;
	if (kube_auth_set_token(a, data, len, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", a->token_file, why);
		free(data);
		return -1;
	}
	free(data);
	a->token_read_at = now;
	return 0;
}

/* The client certificate in use: the plugin's, else the configured one. */
static void point_tls(struct kube_auth *a)
{
	a->tls = (struct http_tls){.ca_file = a->ca_file, .ca_pem = a->ca_pem, .ca_pem_len = a->ca_len};
	if (a->have_cred && a->cred.cert_pem) {
		a->tls.cert_pem = a->cred.cert_pem, a->tls.cert_pem_len = a->cred.cert_len;
		a->tls.key_pem = a->cred.key_pem, a->tls.key_pem_len = a->cred.key_len;
		return;
	}
	a->tls.cert_pem = a->cert_pem, a->tls.cert_pem_len = a->cert_len;
	a->tls.key_pem = a->key_pem, a->tls.key_pem_len = a->key_len;
	a->tls.cert_file = a->cert_file, a->tls.key_file = a->key_file;
}

static enum kube_cred_status run_plugin(struct kube_auth *a, char *err, size_t errlen)
{
	struct kube_exec_cred c;
	enum kube_cred_status st = kube_exec_run(a->exec, &c, err, errlen);
	char why[160];

	if (st != KUBE_CRED_OK)
		return st;
	if (c.token && kube_auth_set_token(a, c.token, strlen(c.token), why, sizeof(why))) {
		snprintf(err, errlen, "credential plugin %s: %s", a->exec->command, why);
		kube_exec_cred_free(&c);
		return KUBE_CRED_FAILED;
	}
	if (!c.token) {
		drop_token(a);
		update_actor(a);
	}
	kube_exec_cred_free(&a->cred);
	a->cred = c;
	a->have_cred = true;
	point_tls(a);
	return KUBE_CRED_OK;
}

static bool plugin_stale(const struct kube_auth *a, time_t now)
{
	return !a->have_cred || (a->cred.expires && now + KUBE_EXPIRY_MARGIN_S >= a->cred.expires);
}

static bool token_file_stale(const struct kube_auth *a, time_t now)
{
	return !a->token_read_at || now < a->token_read_at || now - a->token_read_at >= KUBE_TOKEN_REREAD_S;
}

static int add_header(struct http_request *rq, const char *h)
{
	for (size_t i = 0; i < HTTP_MAX_HEADERS; i++) {
		if (!rq->headers[i]) {
			rq->headers[i] = h;
			return 0;
		}
	}
	return -1;
}

enum kube_cred_status kube_auth_prepare(struct kube_auth *a, time_t now, struct http_request *rq, char *err,
					size_t errlen)
{
	if (a->exec && plugin_stale(a, now)) {
		enum kube_cred_status st = run_plugin(a, err, errlen);

		if (st != KUBE_CRED_OK)
			return st;
	} else if (a->token_file && token_file_stale(a, now) && read_token_file(a, now, err, errlen)) {
		return KUBE_CRED_FAILED;
	}
	rq->tls = &a->tls;
	if (a->auth_header && add_header(rq, a->auth_header))
		return snprintf(err, errlen, "no room for the Authorization header"), KUBE_CRED_FAILED;
	return KUBE_CRED_OK;
}

bool kube_auth_on_unauthorized(struct kube_auth *a)
{
	if (a->exec) {
		a->have_cred = false;
		return true;
	}
	if (a->token_file) {
		a->token_read_at = 0;
		return true;
	}
	return false;
}

const char *kube_auth_actor(const struct kube_auth *a) { return a->actor; }

const char *kube_auth_server(const struct kube_auth *a) { return a->server; }

int kube_auth_finish(struct kube_auth *a, char *err, size_t errlen)
{
	bool cert = a->cert_pem || a->cert_file, key = a->key_pem || a->key_file;

	if (cert != key)
		return snprintf(err, errlen, "a client certificate needs its key and a key its certificate"), -1;
	if (!a->token && !a->token_file && !a->exec && !cert)
		return snprintf(err, errlen, "no credentials: neither a token, a client certificate nor a plugin"),
		       -1;
	point_tls(a);
	update_actor(a);
	if (a->token_file)
		return read_token_file(a, time(NULL), err, errlen);
	return 0;
}

static char *service_url(const char *host, const char *port)
{
	char *url;
	bool v6 = strchr(host, ':') && host[0] != '[';

	if (asprintf(&url, "https://%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "", port) < 0)
		return NULL;
	return url;
}

struct kube_auth *kube_auth_in_cluster(const char *token_path, const char *ca_path, char *err, size_t errlen)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST"), *port = getenv("KUBERNETES_SERVICE_PORT");
	struct kube_auth *a;

	if (!host || !*host || !port || !*port) {
		snprintf(err, errlen, "not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
				      "must be set (or give a kubeconfig)");
		return NULL;
	}
	token_path = token_path ? token_path : KUBE_SA_DIR "/token";
	ca_path = ca_path ? ca_path : KUBE_SA_DIR "/ca.crt";
	if (access(ca_path, R_OK)) {
		snprintf(err, errlen, "%s: %s", ca_path, strerror(errno));
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a || !(a->server = service_url(host, port)) || !(a->ca_file = strdup(ca_path)) ||
	    !(a->token_file = strdup(token_path))) {
		snprintf(err, errlen, "out of memory");
		kube_auth_free(a);
		return NULL;
	}
	if (kube_auth_finish(a, err, errlen)) {
		kube_auth_free(a);
		return NULL;
	}
	return a;
}

void kube_auth_free(struct kube_auth *a)
{
	if (!a)
		return;
	free(a->server);
	free(a->user);
	free(a->ca_file);
	free(a->ca_pem);
	free(a->cert_file);
	free(a->key_file);
	free(a->cert_pem);
	free(a->key_pem);
	drop_token(a);
	free(a->token_file);
	kube_exec_config_free(a->exec);
	kube_exec_cred_free(&a->cred);
	free(a);
}
