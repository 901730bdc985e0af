#include "aws_creds.h"

#include "aws_imds.h"
#include "aws_task_role.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Enough of an access key id to find it in IAM, not all of it in every audit record. */
#define ACTOR_KEY_CHARS 8
/* Temporary credentials that do not say when they expire are asked for again this soon. */
#define NO_EXPIRY_REFRESH_S 60

enum creds_source { SRC_NONE, SRC_ENV, SRC_TASK_ROLE, SRC_IMDS };

struct aws_creds {
	struct aws_meta meta;
	enum creds_source source;
	char *task_role_url, *task_role_auth, *task_role_auth_file; /* NULL when not set */
	char *imds_endpoint;
	int refresh_before_s;
	bool have;
	struct aws_credentials cached;
	int64_t refresh_at, valid_until; /* Unix seconds */
	char actor[160];
};

static int dup_opt(char **dst, const char *src)
{
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static void set_actor(struct aws_creds *c, const char *role)
{
	if (role && role[0])
		snprintf(c->actor, sizeof(c->actor), "iam:role/%s", role);
	else
		snprintf(c->actor, sizeof(c->actor), "iam:%.*s...", ACTOR_KEY_CHARS, c->cached.access_key_id);
}

/* Source 1; 1 when the environment has keys, 0 when not, -1 on a half-set pair. */
static int env_keys(struct aws_creds *c, char *err, size_t errlen)
{
	const char *key = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
	const char *token = getenv("AWS_SESSION_TOKEN");
	struct aws_credentials *k = &c->cached;

	if ((!key || !key[0]) && (!secret || !secret[0]))
		return 0;
	if (!key || !key[0] || !secret || !secret[0])
		return snprintf(err, errlen, "aws: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together"), -1;
	if (snprintf(k->access_key_id, sizeof(k->access_key_id), "%s", key) >= (int)sizeof(k->access_key_id) ||
	    snprintf(k->secret_access_key, sizeof(k->secret_access_key), "%s", secret) >=
		    (int)sizeof(k->secret_access_key) ||
	    snprintf(k->session_token, sizeof(k->session_token), "%s", token ? token : "") >=
		    (int)sizeof(k->session_token))
		return snprintf(err, errlen, "aws: an AWS_* credential variable is too long"), -1;
	c->have = true;
	c->refresh_at = c->valid_until = INT64_MAX;
	set_actor(c, NULL);
	return 1;
}

/* Source 2 from the variables; 0 also when none is set. */
static int task_role_from_env(struct aws_creds *c, char *err, size_t errlen)
{
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	size_t n;

	if (rel && rel[0]) {
		if (rel[0] != '/')
			return snprintf(err, errlen, "aws: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'"), -1;
		n = strlen(AWS_TASK_ROLE_HOST) + strlen(rel) + 1;
		c->task_role_url = malloc(n);
		if (!c->task_role_url)
			return snprintf(err, errlen, "aws: out of memory"), -1;
		snprintf(c->task_role_url, n, "%s%s", AWS_TASK_ROLE_HOST, rel);
	} else if (full && full[0] && dup_opt(&c->task_role_url, full)) {
		return snprintf(err, errlen, "aws: out of memory"), -1;
	}
	if (!c->task_role_url)
		return 0;
	if (dup_opt(&c->task_role_auth_file, file && file[0] ? file : NULL) ||
	    dup_opt(&c->task_role_auth, tok && tok[0] ? tok : NULL))
		return snprintf(err, errlen, "aws: out of memory"), -1;
	return 0;
}

static int imds_from_env(struct aws_creds *c, char *err, size_t errlen)
{
	const char *off = getenv("AWS_EC2_METADATA_DISABLED");
	const char *ep = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");

	if (off && strcasecmp(off, "true") == 0)
		return 0;
	if (dup_opt(&c->imds_endpoint, ep && ep[0] ? ep : AWS_IMDS_DEFAULT_ENDPOINT))
		return snprintf(err, errlen, "aws: out of memory"), -1;
	return 0;
}

static int configure(struct aws_creds *c, const struct aws_creds_options *o, char *err, size_t errlen)
{
	int rc = o->ignore_env_keys ? 0 : env_keys(c, err, errlen);

	if (rc < 0)
		return -1;
	if (rc > 0) {
		c->source = SRC_ENV;
		return 0;
	}
	if (o->container_url) {
		if (o->container_url[0] &&
		    (dup_opt(&c->task_role_url, o->container_url) || dup_opt(&c->task_role_auth, o->container_auth)))
			return snprintf(err, errlen, "aws: out of memory"), -1;
	} else if (task_role_from_env(c, err, errlen)) {
		return -1;
	}
	if (c->task_role_url) {
		if (!aws_task_role_url_allowed(c->task_role_url))
			return snprintf(err, errlen, "aws: credentials endpoint %s must be https, or http to loopback "
				       "or the ECS/EKS agent address", c->task_role_url), -1;
		return c->source = SRC_TASK_ROLE, 0;
	}
	if (o->imds_endpoint) {
		if (o->imds_endpoint[0] && dup_opt(&c->imds_endpoint, o->imds_endpoint))
			return snprintf(err, errlen, "aws: out of memory"), -1;
	} else if (imds_from_env(c, err, errlen)) {
		return -1;
	}
	if (!c->imds_endpoint)
		return snprintf(err, errlen, "aws: no credentials: no AWS_ACCESS_KEY_ID, no task-role endpoint, "
			       "and IMDS is disabled"), -1;
	return c->source = SRC_IMDS, 0;
}

struct aws_creds *aws_creds_new(const struct aws_creds_options *o, char *err, size_t errlen)
{
	struct aws_creds *c = calloc(1, sizeof(*c));

	if (!c)
		return snprintf(err, errlen, "aws: out of memory"), NULL;
	c->meta.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 1000;
	c->refresh_before_s = o->refresh_before_s > 0 ? o->refresh_before_s : 300;
	snprintf(c->actor, sizeof(c->actor), "iam:unresolved");
	if (configure(c, o, err, errlen)) {
		aws_creds_free(c);
		return NULL;
	}
	if (c->source != SRC_ENV && !(c->meta.http = http_client_new())) {
		snprintf(err, errlen, "aws: libcurl failed to initialise");
		aws_creds_free(c);
		return NULL;
	}
	return c;
}

void aws_creds_free(struct aws_creds *c)
{
	if (!c)
		return;
	http_client_free(c->meta.http);
	free(c->task_role_url);
	free(c->task_role_auth);
	free(c->task_role_auth_file);
	free(c->imds_endpoint);
	/* Secrets do not outlive their owner in freed heap memory. */
	explicit_bzero(c, sizeof(*c));
	free(c);
}

/* The token file's first line (it rotates, so it is read at every fetch). */
static int read_token_file(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return snprintf(err, errlen, "aws: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s", path,
				strerror(errno)), -1;
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	if (ferror(f) || !feof(f)) {
		fclose(f);
		return snprintf(err, errlen, "aws: %s: unreadable or longer than %zu bytes", path, outlen - 1), -1;
	}
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	if (!out[0])
		return snprintf(err, errlen, "aws: %s is empty", path), -1;
	return 0;
}

static enum aws_creds_status fetch(struct aws_creds *c, struct aws_fetched *f, char *err, size_t errlen)
{
	char token[4096];
	const char *auth = c->task_role_auth;

	if (c->source == SRC_IMDS)
		return aws_imds_fetch(&c->meta, c->imds_endpoint, f, err, errlen);
	if (c->task_role_auth_file) {
		if (read_token_file(c->task_role_auth_file, token, sizeof(token), err, errlen))
			return AWS_CREDS_FAILED;
		auth = token;
	}
	return aws_task_role_fetch(&c->meta, c->task_role_url, auth, f, err, errlen);
}

static void store(struct aws_creds *c, const struct aws_fetched *f, int64_t now)
{
	c->cached = f->creds;
	c->have = true;
	if (f->creds.expires_at) {
		c->valid_until = f->creds.expires_at;
		c->refresh_at = f->creds.expires_at - c->refresh_before_s;
	} else {
		c->valid_until = c->refresh_at = now + NO_EXPIRY_REFRESH_S;
	}
	set_actor(c, f->role);
}

enum aws_creds_status aws_creds_get(struct aws_creds *c, const struct aws_credentials **out, char *err,
				    size_t errlen)
{
	int64_t now = (int64_t)time(NULL);
	struct aws_fetched f;
	enum aws_creds_status st;

	*out = &c->cached;
	if (c->have && now < c->refresh_at)
		return AWS_CREDS_OK;
	st = fetch(c, &f, err, errlen);
	if (st == AWS_CREDS_OK)
		store(c, &f, now);
	explicit_bzero(&f, sizeof(f));
	/* A failed early refresh is not a failure while the old keys still work. */
	if (st != AWS_CREDS_OK && c->have && now < c->valid_until)
		return AWS_CREDS_OK;
	return st;
}

void aws_creds_invalidate(struct aws_creds *c)
{
	if (c->source == SRC_ENV)
		return;
	c->have = false;
	c->refresh_at = c->valid_until = 0;
}

const char *aws_creds_actor(const struct aws_creds *c)
{
	return c->actor;
}

uint64_t aws_creds_requests(const struct aws_creds *c)
{
	return c->meta.requests;
}
